"""Small builders for tests: a site tree, institutes, skills, courses and sessions."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from courses.folders import institute_folder
from courses.meetings import sync_meetings
from courses.models import (
    Audience,
    CourseIndexPage,
    CoursePage,
    CourseSkill,
    Language,
    Session,
)
from home.models import HomePage
from institutes.models import InstitutePage, InstitutesIndexPage
from skills.models import Skill, SkillCategory, SkillsIndexPage


@dataclass
class SiteTree:
    home: HomePage
    catalogue: CourseIndexPage
    institutes: InstitutesIndexPage
    skills: SkillsIndexPage


def site_tree():
    """The home page (made by a migration) with the catalogue, network and skills pages."""
    home = HomePage.objects.get()

    def child(model, title, slug):
        existing = model.objects.child_of(home).first()
        if existing:
            return existing
        page = model(title=title, slug=slug)
        home.add_child(instance=page)
        return page

    return SiteTree(
        home=home,
        catalogue=child(CourseIndexPage, "Catalogue des formations", "courses"),
        institutes=child(InstitutesIndexPage, "Le réseau Jazari", "institutes"),
        skills=child(SkillsIndexPage, "Référentiel de compétences", "skills"),
    )


def institute(tree, title, region="rabat-sale-kenitra", city="Rabat", **fields):
    page = InstitutePage(title=title, slug=slugify(title), region=region, city=city, **fields)
    tree.institutes.add_child(instance=page)
    return page


def folder(organiser):
    """`/courses/<institute>/`, the folder of the institute's courses (made with it)."""
    return institute_folder(organiser)


def skill(name, category="Apprentissage automatique", **fields):
    category, _ = SkillCategory.objects.originals().get_or_create(
        slug=slugify(category), defaults={"name": category}
    )
    return Skill.objects.create(category=category, name=name, slug=slugify(name), **fields)


def course(
    tree,
    title,
    organiser,
    *,
    skills=(),
    languages=("fr",),
    audiences=("everyone",),
    **fields,
):
    fields.setdefault("summary", f"Résumé de {title}.")
    page = CoursePage(title=title, slug=slugify(title), institute=organiser, **fields)
    page.languages = list(Language.objects.filter(code__in=languages))
    page.audiences = list(Audience.objects.originals().filter(slug__in=audiences))
    folder(organiser).add_child(instance=page)
    for position, (taught, level) in enumerate(skills):
        CourseSkill.objects.create(course=page, skill=taught, level=level, sort_order=position)
    return page


def session(course_page, *, starts_in=timedelta(days=10), hours=7, **fields):
    starts_at = timezone.now() + starts_in
    fields.setdefault(
        "institute", course_page.institute if fields.get("mode") != "online" else None
    )
    if fields.get("mode") in ("online", "hybrid"):
        fields.setdefault("online_url", "https://meet.example.com/session")
    return Session.objects.create(
        course=course_page,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        **fields,
    )


def hold(session, *, ended_ago=timedelta(hours=1)):
    """Move a session into the past, as if it had taken place: attendance and completion can
    only be recorded once it has started and ended. Enrolments made before stay as they are."""
    length = session.ends_at - session.starts_at
    ends_at = timezone.now() - ended_ago
    Session.objects.filter(pk=session.pk).update(starts_at=ends_at - length, ends_at=ends_at)
    session.refresh_from_db()
    sync_meetings(session)  # its meetings move with it
    return session


# Admin form data


def session_form(institute=None, **fields):
    """One session of the course form in the Wagtail admin, as an editor types it (local time)."""
    data = {
        "starts_at": "2026-04-13 09:00",
        "ends_at": "2026-04-13 17:00",
        "mode": "in_person",
        "language": "fr",
        "institute": str(institute.pk) if institute else "",
        "online_url": "",
        "capacity": "20",
        "waitlist_enabled": "on",
        "enrolment_opens_at": "",
        "enrolment_closes_at": "",
        "schedule": "",
        "reminders": "7d, 1d",
        "status": "scheduled",
        "id": "",
    }
    data.update(fields)
    return data


def course_form(title, organiser, *, sessions=(), skills=(), languages=("fr",), **fields):
    """POST data of the admin's "add course" form, for `/admin/pages/add/courses/coursepage/…`.

    `sessions` are dicts from `session_form`; `skills` are (Skill, level) pairs.
    """
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    data = {
        "title": title,
        "slug": slugify(title),
        "format": "course",
        "level": "beginner",
        "summary": f"Résumé de {title}.",
        "cover_image": "",
        "institute": str(organiser.pk),
        "languages": [
            str(pk)
            for pk in Language.objects.filter(code__in=languages).values_list("pk", flat=True)
        ],
        "audiences": [],
        "duration_hours": "7",
        "completion_threshold": "75",
        # What Draftail submits for an empty editor; rich_text("") would store an empty <p>.
        "prerequisites": "null",
        "body": streamfield([]),
        "outcomes": streamfield([]),
        "course_skills": inline_formset(
            [
                {"skill": str(taught.pk), "level": str(int(level)), "id": ""}
                for taught, level in skills
            ]
        ),
        "course_instructors": inline_formset([]),
        "sessions": inline_formset(list(sessions)),
        "materials": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(fields)
    # nested_form_data flattens dicts and lists alike: keep the multiple choices as lists.
    multiple = {key: data.pop(key) for key in ("languages", "audiences")}
    flat = nested_form_data(data)
    flat.update(multiple)
    return flat


def small_network(tree):
    """Two institutes, two skills and three courses (course, workshop, seminar) with sessions.

    The introduction has an in-person session with 7 of 12 seats left and an online one; the
    LLM workshop (Fès, Arabic) has a full online session; the seminar has only a past session.
    """
    from skills.models import SkillLevel

    rabat = institute(tree, "Jazari Root", is_hub=True)
    fes = institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
    ml = skill("Apprentissage supervisé")
    nlp = skill("Traitement de l'arabe", category="Langues")
    intro = course(
        tree,
        "Introduction au machine learning",
        rabat,
        format="course",
        level="beginner",
        skills=[(ml, SkillLevel.FOUNDATION)],
        languages=("fr", "ar"),
        audiences=("students",),
    )
    llm = course(
        tree,
        "LLM et langue arabe",
        fes,
        format="workshop",
        level="advanced",
        skills=[(ml, SkillLevel.ADVANCED), (nlp, SkillLevel.ADVANCED)],
        languages=("ar",),
        audiences=("researchers",),
    )
    policy = course(
        tree,
        "IA pour l'administration publique",
        rabat,
        format="seminar",
        level="beginner",
        languages=("fr",),
        audiences=("public-servants",),
    )
    sessions = {
        "intro_in_person": session(
            intro, starts_in=timedelta(days=5), mode="in_person", capacity=12, confirmed_count=5
        ),
        "intro_online": session(
            intro,
            starts_in=timedelta(days=40),
            mode="online",
            online_url="https://meet.example.com/secret",
        ),
        "llm_full": session(
            llm, starts_in=timedelta(days=12), mode="online", capacity=2, confirmed_count=2
        ),
        "policy_past": session(policy, starts_in=timedelta(days=-30), mode="in_person"),
    }
    return {
        "rabat": rabat,
        "fes": fes,
        "ml": ml,
        "nlp": nlp,
        "intro": intro,
        "llm": llm,
        "policy": policy,
        **sessions,
    }


def learner(email="amina@example.com", *, verified=True, language="fr", **profile):
    """A learner with a profile; `verified` marks the email address confirmed (allauth)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.utils import timezone as tz

    from learners.models import Profile

    user = get_user_model().objects.create_user(username=email, email=email, password="pw")
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    profile.setdefault("full_name", email.split("@")[0].title())
    Profile.objects.create(
        user=user, preferred_language=language, privacy_accepted_at=tz.now(), **profile
    )
    return user


def learning_path(tree, title, courses, *, role="Analyste de données", notes=(), **fields):
    """A published learning path under `/paths/` (made on first use) listing `courses` in
    order; `notes` gives the note of each course, by position."""
    from paths.models import LearningPathCourse, LearningPathIndexPage, LearningPathPage

    home = HomePage.objects.get(pk=tree.home.pk)  # fresh: children were added since
    index = LearningPathIndexPage.objects.child_of(home).first()
    if index is None:
        index = LearningPathIndexPage(title="Parcours de formation", slug="paths")
        home.add_child(instance=index)
    fields.setdefault("summary", f"Résumé de {title}.")
    page = LearningPathPage(title=title, slug=slugify(title), role=role, **fields)
    notes = list(notes) + [""] * len(courses)
    page.path_courses = [
        LearningPathCourse(course=taught, note=notes[position], sort_order=position)
        for position, taught in enumerate(courses)
    ]
    index.add_child(instance=page)
    return page


def translate(obj, language, **fields):
    """`obj`'s translation into `language`, made as editors make one with wagtail-localize
    (the pages above it copied into that language's tree first), with `fields` as its
    translated text; published, for a page."""
    from wagtail.models import Locale
    from wagtail_localize.models import TranslationSource

    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.get_or_create_from_instance(obj)
    translation, _created = source.create_or_update_translation(
        locale, copy_parent_pages=True, fallback=True
    )
    for name, value in fields.items():
        setattr(translation, name, value)
    if isinstance(translation, Page):
        translation.save_revision().publish()
    else:
        translation.save()
    return translation
