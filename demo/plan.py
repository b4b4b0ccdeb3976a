"""What the demo catalogue should contain, computed without touching the database.

`plan_courses(count, sessions_per_course, today)` turns the hand-written templates of `data.py`
into `count` course plans (the templates first, then numbered variants run by other
institutes) each with its dated sessions. It is a pure function of its arguments: every course
draws from its own `random.Random` seeded with a fixed value and the course's slug, so a course
gets the same sessions whatever `count` is, and a rerun on the same day plans exactly the same
rows. That is what lets `builder` compare the plan with the database and write only the
differences.

Dates are relative to `today` (in Africa/Casablanca) so the demo always has past sessions,
sessions open for enrolment and sessions not yet open, and, for the first course (whose first
instructor is the demo trainer), a session under way: from 09:00 today to 17:00 tomorrow, in
person, so that the participant list and check-in can be tried at once (`UNDER_WAY`).
"""

import math
import random
import string
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from courses.models import CourseFormat, SessionMode, SessionStatus
from demo.data import (
    COURSE_TEMPLATES,
    DEMO_NOTICE,
    INSTITUTES,
    SKILL_CATEGORIES,
    CourseTemplate,
)
from jazari.time import CASABLANCA

SEED = 2025
"""Fixed seed: the same demo data on every machine and every run."""

UNDER_WAY = 1
"""The session of the first course (by its place in the course's list) that is under way."""
PAST_DAYS = 120
FUTURE_DAYS = 180
COVER_COUNT = 10

_SKILL_NAMES = {skill.slug: skill.name for c in SKILL_CATEGORIES for skill in c.skills}
_INSTITUTE_SLUGS = [institute.slug for institute in INSTITUTES]
_ID_NAMESPACE = uuid.UUID("6f1c2a52-4d0b-4c0e-9a53-0f0d7e1c9b11")


@dataclass(frozen=True)
class SessionPlan:
    starts_at: datetime
    ends_at: datetime
    mode: str
    institute: str | None
    language: str
    online_url: str
    capacity: int
    waitlist_enabled: bool
    enrolment_opens_at: datetime | None
    enrolment_closes_at: datetime | None
    status: str


@dataclass(frozen=True)
class CoursePlan:
    template: CourseTemplate
    slug: str
    title: str
    institute: str
    promotion: int
    """1 for the hand-written course, 2, 3… for the numbered variants."""
    cover: int
    sessions: tuple[SessionPlan, ...]

    @property
    def body(self):
        return course_body(self)

    @property
    def outcomes(self):
        return [
            {"type": "outcome", "value": text, "id": stable_id(self.slug, "outcome", i)}
            for i, text in enumerate(self.template.outcomes)
        ]

    @property
    def prerequisites(self):
        return self.template.prerequisites or _TEXT[self.template.text_language]["no_prereq"]


def no_prerequisites(language: str) -> str:
    return _TEXT[language]["no_prereq"]


def plan_courses(count: int, sessions_per_course: int, today: date) -> list[CoursePlan]:
    """`count` courses: every template once, then variants "— promotion 2", "— promotion 3"…"""
    plans = []
    for n in range(count):
        number, promotion = n % len(COURSE_TEMPLATES), n // len(COURSE_TEMPLATES) + 1
        template = COURSE_TEMPLATES[number]
        if promotion == 1:
            slug, title, institute = template.slug, template.title, template.institute
        else:
            label = _TEXT[template.text_language]["promotion"]
            slug = f"{template.slug}-promotion-{promotion}"
            title = f"{template.title} — {label} {promotion}"
            # Variants travel round the network, so every region gets its share.
            start = _INSTITUTE_SLUGS.index(template.institute)
            institute = _INSTITUTE_SLUGS[(start + promotion - 1) % len(_INSTITUTE_SLUGS)]
        sessions = plan_sessions(slug, template, institute, sessions_per_course, today)
        if n == 0:
            sessions = with_session_under_way(sessions, template, institute, today)
        plans.append(
            CoursePlan(template, slug, title, institute, promotion, number % COVER_COUNT, sessions)
        )
    return plans


def with_session_under_way(sessions, template, institute, today):
    """`sessions` with the one at `UNDER_WAY` (or the only one) replaced by a session under
    way: in person at `institute`, from 09:00 today to 17:00 tomorrow, two meetings."""
    if not sessions:
        return sessions
    index = min(UNDER_WAY, len(sessions) - 1)
    starts_at = datetime.combine(today, time(9), CASABLANCA)
    under_way = replace(
        sessions[index],
        starts_at=starts_at,
        ends_at=datetime.combine(today + timedelta(days=1), time(17), CASABLANCA),
        mode=SessionMode.IN_PERSON.value,
        institute=institute,
        language=template.languages[0],
        online_url="",
        capacity=20,
        waitlist_enabled=True,
        enrolment_opens_at=starts_at - timedelta(days=30),
        enrolment_closes_at=None,
        status=SessionStatus.SCHEDULED.value,
    )
    return (*sessions[:index], under_way, *sessions[index + 1 :])


def session_days(duration_hours: int) -> int:
    """A course runs about seven hours a day, over one to five consecutive days."""
    return max(1, min(5, math.ceil(duration_hours / 7)))


def plan_sessions(slug, template, institute, count, today) -> tuple[SessionPlan, ...]:
    """`count` sessions spread from PAST_DAYS ago to FUTURE_DAYS ahead, one per time slot."""
    rng = random.Random(f"{SEED}:{slug}")
    span = PAST_DAYS + FUTURE_DAYS
    days = session_days(template.duration_hours)
    sessions = []
    for i in range(count):
        low = -PAST_DAYS + span * i // count
        high = -PAST_DAYS + span * (i + 1) // count
        day = today + timedelta(days=rng.randrange(low, max(high, low + 1)))
        if day.weekday() + days > 5:  # no weekends: start on the next Monday
            day += timedelta(days=7 - day.weekday())
        starts_at, ends_at = _times(rng, day, days, template.duration_hours)

        if template.format == CourseFormat.WEBINAR:
            mode = SessionMode.ONLINE
        else:
            modes = [SessionMode.IN_PERSON, SessionMode.ONLINE, SessionMode.HYBRID]
            mode = rng.choices(modes, weights=[5, 2, 3])[0]
        venue = None
        if mode != SessionMode.ONLINE:
            venue = institute if rng.random() < 0.8 else rng.choice(_INSTITUTE_SLUGS)
        online_url = "" if mode == SessionMode.IN_PERSON else _meeting_url(rng)
        capacity = rng.randint(30, 40) if mode == SessionMode.ONLINE else rng.randint(12, 30)
        opens_at, closes_at = _enrolment_window(rng, today, day, starts_at)
        sessions.append(
            SessionPlan(
                starts_at=starts_at,
                ends_at=ends_at,
                mode=mode.value,
                institute=venue,
                language=rng.choice(template.languages),
                online_url=online_url,
                capacity=capacity,
                waitlist_enabled=rng.random() < 0.85,
                enrolment_opens_at=opens_at,
                enrolment_closes_at=closes_at,
                status=(
                    SessionStatus.CANCELLED if rng.random() < 0.07 else SessionStatus.SCHEDULED
                ).value,
            )
        )
    return tuple(sessions)


def _times(rng, day, days, hours):
    """Start at 09:00 (or 14:00 for a short session); end the same day or on the last day."""
    if days == 1:
        start_hour = rng.choice([9, 14]) if hours <= 4 else 9
        starts_at = datetime.combine(day, time(start_hour), CASABLANCA)
        lunch = 1 if hours >= 6 else 0
        return starts_at, starts_at + timedelta(hours=hours + lunch)
    starts_at = datetime.combine(day, time(9), CASABLANCA)
    end_hour = min(18, 9 + math.ceil(hours / days) + 1)
    last_day = day + timedelta(days=days - 1)
    return starts_at, datetime.combine(last_day, time(end_hour), CASABLANCA)


def _enrolment_window(rng, today, day, starts_at):
    """Past sessions had a normal window; future ones are open, not yet open or closed."""

    def at(on, hour):
        return datetime.combine(on, time(hour), CASABLANCA)

    ahead = (day - today).days
    if ahead <= 0:
        return starts_at - timedelta(days=60), starts_at - timedelta(days=2)
    kind = rng.choices(["open", "not_yet_open", "closed"], weights=[6, 2, 1])[0]
    if kind == "not_yet_open" and ahead >= 10:
        opens_at = at(today + timedelta(days=rng.randint(3, min(30, ahead - 5))), 9)
        return opens_at, starts_at - timedelta(days=2)
    if kind == "closed" and ahead >= 2:
        closes_at = at(today - timedelta(days=1), 18)
        return closes_at - timedelta(days=30), closes_at
    opens_at = None if rng.random() < 0.5 else at(today - timedelta(days=rng.randint(1, 30)), 9)
    closes_at = starts_at - timedelta(days=1) if ahead >= 3 else None
    return opens_at, closes_at


def _meeting_url(rng):
    letters = string.ascii_lowercase
    code = "-".join("".join(rng.choices(letters, k=k)) for k in (3, 4, 3))
    return f"https://meet.jazari.example/{code}"


def stable_id(*parts) -> str:
    """StreamField block ids derived from the course, so a rerun writes identical JSON."""
    return str(uuid.uuid5(_ID_NAMESPACE, ":".join(str(p) for p in parts)))


# The generated course description, in the language the course's texts are written in.

_TEXT = {
    "fr": {
        "promotion": "promotion",
        "programme": "Au programme",
        "how": "Déroulé",
        "formats": {
            "course": "Un cours",
            "seminar": "Un séminaire",
            "workshop": "Un atelier",
            "codesign": "Une session de co-conception",
            "bootcamp": "Un bootcamp",
            "webinar": "Un webinaire",
        },
        "levels": {"beginner": "débutant", "intermediate": "intermédiaire", "advanced": "avancé"},
        "languages": {"fr": "français", "ar": "arabe", "en": "anglais"},
        "facts": "{format} de {hours} h, niveau {level}. Langues d'enseignement : {languages}. "
        "Compétences travaillées :",
        "sessions": "Les sessions ont lieu en présentiel dans un Jazari Institute, en ligne ou "
        "en mode hybride ; choisissez ci-dessous celle qui vous convient.",
        "notice": f"{DEMO_NOTICE} : cette formation, ses dates et ses intervenants n'existent pas.",
        "no_prereq": "<p>Aucun prérequis.</p>",
    },
    "ar": {
        "promotion": "الدفعة",
        "programme": "البرنامج",
        "how": "سير التكوين",
        "formats": {
            "course": "دورة تكوينية",
            "seminar": "ندوة",
            "workshop": "ورشة",
            "codesign": "جلسة تصميم مشترك",
            "bootcamp": "معسكر تكويني مكثف",
            "webinar": "ندوة عبر الإنترنت",
        },
        "levels": {"beginner": "مبتدئ", "intermediate": "متوسط", "advanced": "متقدم"},
        "languages": {"fr": "الفرنسية", "ar": "العربية", "en": "الإنجليزية"},
        "facts": "{format} مدتها {hours} ساعة، المستوى: {level}. لغات التدريس: {languages}. "
        "الكفاءات المستهدفة:",
        "sessions": "تنظم الدورات حضوريا في أحد معاهد الجزري أو عن بعد أو بشكل مختلط؛ "
        "اختر الدورة المناسبة لك أدناه.",
        "notice": f"بيانات تجريبية — وهمية: هذا التكوين ومواعيده ومؤطروه غير حقيقيين. "
        f"({DEMO_NOTICE})",
        "no_prereq": "<p>لا توجد متطلبات مسبقة.</p>",
    },
    "en": {
        "promotion": "cohort",
        "programme": "Programme",
        "how": "How it runs",
        "formats": {
            "course": "A course",
            "seminar": "A seminar",
            "workshop": "A workshop",
            "codesign": "A co-design session",
            "bootcamp": "A bootcamp",
            "webinar": "A webinar",
        },
        "levels": {"beginner": "beginner", "intermediate": "intermediate", "advanced": "advanced"},
        "languages": {"fr": "French", "ar": "Arabic", "en": "English"},
        "facts": "{format} of {hours} hours, {level} level. Teaching languages: {languages}. "
        "Skills covered:",
        "sessions": "Sessions take place in person at a Jazari Institute, online or hybrid; "
        "pick the one that suits you below.",
        "notice": f"Demo data, fictional: this course, its dates and its instructors do not "
        f"exist. ({DEMO_NOTICE})",
        "no_prereq": "<p>No prerequisites.</p>",
    },
}


def course_body(plan: CoursePlan, language=None, summary=None, skill_names=None) -> list[dict]:
    """Raw StreamField data: a heading and paragraphs, with stable block ids.

    In the language the course is written in, or in `language` for its translation, with
    the translated `summary` and `skill_names` (slug → name); the block ids stay the same.
    """
    template = plan.template
    text = _TEXT[language or template.text_language]
    summary = summary or template.summary
    skill_names = skill_names or _SKILL_NAMES
    facts = text["facts"].format(
        format=text["formats"][template.format],
        hours=template.duration_hours,
        level=text["levels"][template.level],
        languages=", ".join(text["languages"][code] for code in template.languages),
    )
    skills = "".join(f"<li>{skill_names[slug]}</li>" for slug, _level in template.skills)
    blocks = [
        ("heading", {"text": text["programme"], "level": "h2"}),
        ("paragraph", f"<p>{summary}</p>"),
        ("paragraph", f"<p>{facts}</p><ul>{skills}</ul>"),
        ("heading", {"text": text["how"], "level": "h2"}),
        ("paragraph", f"<p>{text['sessions']}</p>"),
        ("paragraph", f"<p><i>{text['notice']}</i></p>"),
    ]
    return [
        {"type": kind, "value": value, "id": stable_id(plan.slug, "body", i)}
        for i, (kind, value) in enumerate(blocks)
    ]
