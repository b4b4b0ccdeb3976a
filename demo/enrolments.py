"""Demo enrolments: learners with every enrolment status, so the dashboard, the admin's
enrolment listings and the API have something to show.

What is seeded, for the demo courses' sessions and the learners `1..--learners`:

- upcoming sessions whose enrolment is open all day today: learners enrolled through
  `enrolments.services.enrolment.enrol` (confirmed), one in seven of them then cancelling
  through `cancel`; and, for every 200 learners (at least one when there are enough
  learners), a FULL session: the open session with a waiting list and the fewest seats gets
  `capacity + 4` learners, so the last four are waitlisted, then its second learner cancels
  and the first in line is promoted, leaving a full session with three on the waiting list;
- past sessions: enrolments that ended attended, completed, no-show or cancelled;
- the session under way today of the first course (the demo trainer's, `demo.plan.UNDER_WAY`):
  confirmed learners, learner 1 among them, whose tickets the trainer checks in; nothing
  recorded yet. Other sessions under way get no enrolment.

Upcoming enrolments go through the services, so the seat counting, the lock, the waiting list,
the audit entries and the owed emails are the real ones. Past enrolments cannot: `enrol`
refuses a session whose window has closed, as it should. They are historical demo data,
written directly in bulk with their final status, never more seat holders than seats, with the
attendance at each meeting that status stands for (`demo.attendance`), then each session's
display counts are refreshed with `enrolments.services.counts.refresh_display_counts`.

Email: `enrol` and `cancel` owe each learner an email (a `Notification` row) and queue its
sending after the commit. Seeding must not mail hundreds of fictional people, nor print them
all on the console of `make run` (where Celery runs inline), so the notifications written
here are stamped as sent (`sent_at`) before the commit while their `attempts` stay 0. The
queued tasks then find nothing to send and stop ("skipped"), and Celery beat's
`dispatch_pending` never retries them. A real sending always counts an attempt, so
`attempts = 0` with a `sent_at` is how these suppressed demo emails are told apart. (The
services offer no flag to skip the emails, and none should exist just for the demo.)

The plan is a pure function of the sessions (their dates, window and seats, judged for the
whole of today in Casablanca), the number of learners and a fixed seed, so every machine
seeds the same enrolments; a (session, learner) pair that already has an enrolment, of any
status, is never planned again, so a rerun creates nothing. The volume follows both the
learners (about `PER_LEARNER` enrolments each) and the sessions (no more than a third of the
seats of an upcoming session and three quarters of a past one).
"""

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from courses.models import Session, SessionStatus
from courses.states import SessionState, session_state
from demo.attendance import write_attendance
from demo.plan import CASABLANCA, SEED
from demo.users import demo_learners
from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment, EnrolmentStatus, Notification
from enrolments.services.counts import refresh_display_counts
from enrolments.services.enrolment import cancel, enrol
from enrolments.states import HOLDS_SEAT

PER_LEARNER = 5
"""About how many enrolments each demo learner gets, in all."""
FUTURE_SHARE = 0.4
"""The part of them in upcoming sessions; the rest are in past sessions."""
LEARNERS_PER_FULL_SESSION = 200
FULL_WAITLIST = 4
"""Learners beyond capacity in a full session; one confirmed cancels, three stay in line."""
MIN_WAITLIST = 3
CANCEL_EVERY = 7
UNDER_WAY_LEARNERS = 8
"""Learners confirmed in a session under way today."""
"""One upcoming enrolment in seven is cancelled by its learner."""
# Final statuses in past sessions, in turn: all four appear from the fourth enrolment on.
PAST_PATTERN = (
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.ATTENDED,
    EnrolmentStatus.NO_SHOW,
    EnrolmentStatus.CANCELLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.ATTENDED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NO_SHOW,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.ATTENDED,
)
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Step:
    """One learner enrolling in an upcoming session, then cancelling if `cancels`."""

    session_id: int
    learner: int
    cancels: bool = False


@dataclass(frozen=True)
class PastRow:
    """One historical enrolment, with its final status."""

    session_id: int
    learner: int
    status: str
    days_before: int
    """How many days before the session the learner enrolled."""


@dataclass
class EnrolmentPlan:
    steps: list = field(default_factory=list)  # in order: the waiting list follows it
    past: list = field(default_factory=list)
    under_way: list = field(default_factory=list)  # confirmed, written like the past rows
    full_sessions: list = field(default_factory=list)


@dataclass
class EnrolmentReport:
    created: int = 0
    by_status: dict = field(default_factory=dict)
    """Status of the enrolments created by this run."""
    full_sessions: int = 0
    refused: int = 0
    """Enrolments the services refused (e.g. a learner whose address another account holds)."""


# Planning, without writing -------------------------------------------------------------------


def classify(sessions, today):
    """(upcoming sessions open for enrolment all day today, sessions over before today,
    sessions starting today and ending after it).

    Judged at both ends of today in Casablanca, so a rerun later the same day sees the same
    sessions; sessions not yet open, closing today or cancelled get no enrolment.
    """
    day_start = datetime.combine(today, time.min, CASABLANCA)
    day_end = day_start + timedelta(days=1)
    upcoming, past, under_way = [], [], []
    for session in sessions:
        if session.status != SessionStatus.SCHEDULED:
            continue
        facts = session.facts
        if session.ends_at <= day_start:
            past.append(session)
        elif day_start <= session.starts_at < day_end < session.ends_at:
            under_way.append(session)
        elif all(
            session_state(_empty(facts), moment) == SessionState.ENROLMENT_OPEN
            for moment in (day_start, day_end)
        ):
            upcoming.append(session)
    return upcoming, past, under_way


def _empty(facts):
    return replace(facts, confirmed=0)


def plan_enrolments(sessions, keys, learner_count, today, trainer_course=None) -> EnrolmentPlan:
    """What to seed. `keys` gives each session a stable name (course slug, sort order);
    `trainer_course` is the id of the course whose session under way gets learners."""
    plan = EnrolmentPlan()
    if learner_count <= 0:
        return plan
    learners = range(1, learner_count + 1)
    ordered = sorted(sessions, key=lambda s: keys[s.pk])
    upcoming, past, under_way = classify(ordered, today)
    budget = PER_LEARNER * learner_count
    future_budget = round(budget * FUTURE_SHARE)

    def rng_for(session):
        return random.Random(f"{SEED}:enrolments:{keys[session.pk]}")

    # Full sessions with a waiting list: the smallest ones, so they fill with few learners.
    wanted = max(1, learner_count // LEARNERS_PER_FULL_SESSION)
    candidates = sorted(
        (s for s in upcoming if s.waitlist_enabled and s.capacity + MIN_WAITLIST <= learner_count),
        key=lambda s: (s.capacity, keys[s.pk]),
    )
    for session in candidates[:wanted]:
        extra = min(FULL_WAITLIST, learner_count - session.capacity)
        chosen = rng_for(session).sample(learners, session.capacity + extra)
        plan.steps += [Step(session.pk, number) for number in chosen]
        if extra > MIN_WAITLIST:
            # Once the line has formed, the second learner cancels: the first in line moves up.
            plan.steps.append(Step(session.pk, chosen[1], cancels=True))
        plan.full_sessions.append(session.pk)
        future_budget -= len(chosen)

    full = set(plan.full_sessions)
    others = [s for s in upcoming if s.pk not in full]
    random.Random(f"{SEED}:enrolments:upcoming").shuffle(others)
    index = 0
    for session in others:
        if future_budget <= 0:
            break
        rng = rng_for(session)
        size = min(rng.randint(2, max(2, session.capacity // 3)), learner_count, future_budget)
        for number in rng.sample(learners, size):
            plan.steps.append(Step(session.pk, number))
            if index % CANCEL_EVERY == 2:
                plan.steps.append(Step(session.pk, number, cancels=True))
            index += 1
        future_budget -= size

    for session in (s for s in under_way if s.course_id == trainer_course):
        rng = rng_for(session)
        others = rng.sample(learners[1:], min(UNDER_WAY_LEARNERS, learner_count) - 1)
        for number in (1, *others):  # learner 1 has a ticket to show
            plan.under_way.append(
                PastRow(session.pk, number, EnrolmentStatus.CONFIRMED, rng.randint(3, 25))
            )

    past_budget = budget - round(budget * FUTURE_SHARE)
    random.Random(f"{SEED}:enrolments:past").shuffle(past)
    index = 0
    for session in past:
        if past_budget <= 0:
            break
        rng = rng_for(session)
        top = max(2, session.capacity * 3 // 4)
        size = min(rng.randint(max(2, session.capacity // 3), top), learner_count, past_budget)
        for number in rng.sample(learners, size):
            status = PAST_PATTERN[index % len(PAST_PATTERN)]
            plan.past.append(PastRow(session.pk, number, status, rng.randint(3, 45)))
            index += 1
        past_budget -= size
    return plan


# Writing ---------------------------------------------------------------------------------------


def ensure_enrolments(courses, learner_count, now=None) -> EnrolmentReport:
    """Seed the demo enrolments of `courses`' sessions; call inside the seeding transaction."""
    now = now or timezone.now()
    today = timezone.localdate(now, CASABLANCA)
    report = EnrolmentReport()
    slugs = {course.pk: course.slug for course in courses}
    sessions = []
    for chunk in _chunks(list(slugs), BATCH_SIZE):
        sessions += Session.objects.filter(course_id__in=chunk)
    keys = {s.pk: f"{slugs[s.course_id]}:{s.sort_order}" for s in sessions}
    trainer_course = courses[0].pk if courses else None  # the first course: `demo.plan`
    plan = plan_enrolments(sessions, keys, learner_count, today, trainer_course)
    report.full_sessions = len(plan.full_sessions)
    if not plan.steps and not plan.past and not plan.under_way:
        return report

    learners = demo_learners(learner_count)
    by_session = {s.pk: s for s in sessions}
    touched = {row.session_id for row in plan.past + plan.under_way}
    touched |= {step.session_id for step in plan.steps}
    seen = set()  # (session id, learner id) pairs with an enrolment of any status
    for chunk in _chunks(sorted(touched), BATCH_SIZE):
        seen.update(
            Enrolment.objects.filter(session_id__in=chunk).values_list("session_id", "learner_id")
        )

    created = _upcoming(plan.steps, learners, seen, report)
    created += _past(plan.past + plan.under_way, learners, by_session, seen)
    _suppress_emails(created, now)
    report.created = len(created)
    for chunk in _chunks(created, BATCH_SIZE):
        for status, count in (
            Enrolment.objects.filter(pk__in=chunk)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            report.by_status[status] = report.by_status.get(status, 0) + count
    return report


def _upcoming(steps, learners, seen, report):
    """Enrol (and cancel) through the services, in the plan's order."""
    created, mine = [], {}
    for step in steps:
        learner = learners.get(step.learner)
        if learner is None:
            continue
        pair = (step.session_id, learner.pk)
        if step.cancels:
            enrolment_id = mine.get(pair)
            if enrolment_id is not None:
                cancel(enrolment_id, actor=learner)
            continue
        if pair in seen:
            continue
        try:
            result = enrol(learner, step.session_id)
        except EnrolmentError:
            report.refused += 1
            continue
        seen.add(pair)
        if result.created:
            mine[pair] = result.enrolment.pk
            created.append(result.enrolment.pk)
    return created


def _past(rows, learners, by_session, seen):
    """Historical demo data, written directly: `enrol` rightly refuses a session that is over."""
    held = dict.fromkeys(by_session, 0)
    sessions = sorted({row.session_id for row in rows})
    for chunk in _chunks(sessions, BATCH_SIZE):
        held.update(
            Enrolment.objects.filter(session_id__in=chunk)
            .values("session_id")
            .annotate(n=Count("pk", filter=Q(status__in=HOLDS_SEAT)))
            .values_list("session_id", "n")
            .order_by()
        )
    new = []
    for row in rows:
        learner = learners.get(row.learner)
        session = by_session[row.session_id]
        if learner is None or (row.session_id, learner.pk) in seen:
            continue
        holds_seat = row.status in HOLDS_SEAT
        if holds_seat and held[row.session_id] >= session.capacity:
            continue  # never more seat holders than seats, even after an editor's change
        queued_at = session.starts_at - timedelta(days=row.days_before, hours=row.learner % 9)
        if session.enrolment_opens_at:
            queued_at = max(queued_at, session.enrolment_opens_at)
        cancelled = row.status == EnrolmentStatus.CANCELLED
        new.append(
            Enrolment(
                session_id=row.session_id,
                learner_id=learner.pk,
                status=row.status,
                queued_at=queued_at,
                confirmed_at=queued_at,
                cancelled_at=queued_at + (session.starts_at - queued_at) / 2 if cancelled else None,
            )
        )
        seen.add((row.session_id, learner.pk))
        held[row.session_id] += holds_seat
    Enrolment.objects.bulk_create(new, batch_size=BATCH_SIZE)
    write_attendance(new, by_session)
    for session_id in sorted({enrolment.session_id for enrolment in new}):
        refresh_display_counts(session_id)
    return [enrolment.pk for enrolment in new]


def _suppress_emails(enrolment_ids, now):
    """Demo learners are not mailed: their notifications are stamped sent, with no attempt."""
    for chunk in _chunks(enrolment_ids, BATCH_SIZE):
        Notification.objects.filter(enrolment_id__in=chunk, sent_at__isnull=True).update(
            sent_at=now
        )


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
