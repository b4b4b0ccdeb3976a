"""Completion: once a session has ended, who has completed it by the course's rule.

The rule is the course's (`CoursePage.completion_met`: present at `completion_threshold` % of
the session's meetings, rounded up, and at least at one). Once the session has ended, the
learners marked attended who meet it are proposed (`proposed_completions`); the editors confirm
them all in one action (`confirm_completions`), or, for a course that completes automatically
(`CoursePage.completion_automatic`), the beat task `enrolments.complete_ended_sessions` does
(`complete_automatically`). Completion is final and earns the certificate
(`enrolments.signals.enrolment_completed`); the state machine refuses it before the session
ends (`enrolments.states`), and nothing is proposed before then.

`with_completion_proposals` is the SQL form of the same rule, for lists of sessions (the admin
home's panel, the beat task), in one query whatever their number.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Meeting, Session, SessionStatus
from enrolments.errors import EnrolmentError
from enrolments.models import Attendance, Enrolment
from enrolments.services import transitions
from enrolments.services.locking import lock_session
from enrolments.states import Actor, EnrolmentStatus, Moment, check
from jazari.errors import Busy, DomainError

S = EnrolmentStatus


@dataclass
class Completions:
    """What one confirmation did: the enrolments completed, and those refused with the reason."""

    done: list[Enrolment] = field(default_factory=list)
    refused: list[tuple[Enrolment, str]] = field(default_factory=list)


def has_ended(session: Session, now: datetime) -> bool:
    """Whether completion may be proposed: the session took place (not cancelled) and ended."""
    return session.status != SessionStatus.CANCELLED and now >= session.ends_at


def proposed_completions(session: Session, *, now: datetime | None = None) -> list[Enrolment]:
    """The enrolments of `session` the course's rule proposes as completed, in arrival order,
    each with `present_count` (meetings present at) and `meetings_count`.

    None before the session ends, nor in a cancelled one. Two queries (the meetings, the
    learners marked attended with their attendance counted), and one more if `session`'s
    course was not read with it.
    """
    now = now or timezone.now()
    if not has_ended(session, now):
        return []
    meetings = Meeting.objects.filter(session_id=session.pk).count()
    candidates = (
        Enrolment.objects.filter(session_id=session.pk, status=S.ATTENDED)
        .annotate(present_count=Count("attendances", filter=Q(attendances__present=True)))
        .order_by("queued_at", "pk")
    )
    course = session.course
    proposed = []
    for enrolment in candidates:
        if course.completion_met(enrolment.present_count, meetings):
            enrolment.meetings_count = meetings
            proposed.append(enrolment)
    return proposed


def confirm_completions(
    session_id: int, *, actor, now: datetime | None = None, automatic: bool = False
) -> Completions:
    """Complete every enrolment `proposed_completions` proposes for the session, in one action.

    Under the session's lock, the proposals read again there; each enrolment is completed in a
    savepoint of its own (`transitions.move`, so the audit entry, the signal and the
    certificate follow), and one refused is reported without undoing the others.
    `EnrolmentError` if the session has not ended (the state machine's reason) or is
    cancelled; `Busy` if its lock was not had in time. `automatic`: the course's own choice,
    made by the beat task, which only completes a course that asks for it.
    """
    now = now or timezone.now()
    result = Completions()
    with transaction.atomic():
        session = lock_session(session_id)
        if session.status == SessionStatus.CANCELLED:
            raise EnrolmentError(_("This session has been cancelled."), "session_cancelled")
        # Before the end, the state machine says why not (`session_not_ended`).
        check(S.ATTENDED, S.COMPLETED, Actor.ORGANISER, Moment.of(session, now))
        if automatic and not session.course.completion_automatic:
            return result
        for enrolment in proposed_completions(session, now=now):
            enrolment.session = session
            try:
                with transaction.atomic():
                    transitions.move(
                        enrolment,
                        S.COMPLETED,
                        actor=Actor.ORGANISER,
                        user=actor,
                        now=now,
                        session=session,
                        **({"automatic": True} if automatic else {}),
                    )
            except Busy:
                raise
            except DomainError as error:
                result.refused.append((enrolment, error.message))
            else:
                result.done.append(enrolment)
    return result


def complete_automatically(*, now: datetime | None = None) -> dict[int, int]:
    """Complete the proposals of every ended session whose course completes automatically.

    Returns {session id: learners completed} for the sessions where some were. Running it
    again completes nothing more: the completed are no longer proposed. A session whose lock
    is busy is left for the next run.
    """
    now = now or timezone.now()
    sessions = list(
        with_completion_proposals(Session.objects.filter(course__completion_automatic=True), now)
        .filter(proposals__gt=0)
        .order_by("ends_at", "pk")
        .values_list("pk", flat=True)
    )
    completed = {}
    for session_id in sessions:
        try:
            result = confirm_completions(session_id, actor=None, now=now, automatic=True)
        except Busy:
            continue
        if result.done:
            completed[session_id] = len(result.done)
    return completed


def meeting_the_rule(enrolments):
    """`enrolments` (of any sessions) marked attended that meet their course's rule: the SQL
    form of `CoursePage.completion_met`, in the same query."""
    present = (
        Attendance.objects.filter(enrolment_id=OuterRef("pk"), present=True)
        .order_by()
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    meetings = (
        Meeting.objects.filter(session_id=OuterRef("session_id"))
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counted = enrolments.filter(status=S.ATTENDED).alias(
        present_count=Coalesce(Subquery(present, output_field=IntegerField()), Value(0)),
        meetings_count=Coalesce(Subquery(meetings, output_field=IntegerField()), Value(0)),
    )
    return counted.alias(
        margin=F("present_count") * 100
        - F("session__course__completion_threshold") * F("meetings_count")
    ).filter(present_count__gte=1, margin__gte=0)


def with_completion_proposals(sessions, now: datetime):
    """`sessions`, those ended and not cancelled, each with `proposals`: how many of its
    enrolments `proposed_completions` would propose; in the same query."""
    proposals = (
        meeting_the_rule(Enrolment.objects.filter(session_id=OuterRef("pk")))
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return sessions.filter(status=SessionStatus.SCHEDULED, ends_at__lte=now).annotate(
        proposals=Coalesce(Subquery(proposals, output_field=IntegerField()), Value(0))
    )
