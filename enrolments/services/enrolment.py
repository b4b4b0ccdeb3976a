"""Enrol and cancel."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.states import SessionState, session_state
from enrolments import ratelimit
from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment
from enrolments.services import transitions
from enrolments.services.counts import refresh_display_counts, seat_counts, set_display_counts
from enrolments.services.locking import lock_session
from enrolments.services.waitlist import promote_waitlisted
from enrolments.states import Actor, EnrolmentStatus
from jazari.people import email_verified

CLOSED_MESSAGES = {
    SessionState.CANCELLED: (_("This session has been cancelled."), "session_cancelled"),
    SessionState.PAST: (_("This session is over."), "session_past"),
    SessionState.ONGOING: (_("This session has already started."), "session_started"),
    SessionState.UPCOMING: (_("Enrolment for this session is not open yet."), "not_open_yet"),
    SessionState.ENROLMENT_CLOSED: (_("Enrolment for this session is closed."), "closed"),
}


@dataclass
class EnrolResult:
    enrolment: Enrolment
    created: bool


def learner_can_enrol(learner) -> None:
    """Only signed-in learners whose email address is verified may enrol."""
    if not learner.is_authenticated or not learner.is_active:
        raise EnrolmentError(_("Log in to enrol."), "not_authenticated")
    if not email_verified(learner):
        raise EnrolmentError(
            _("Confirm your email address before enrolling: follow the link we sent you."),
            "email_not_verified",
        )


def enrol(
    learner, session_id: int, *, now: datetime | None = None, rate_limited: bool = False
) -> EnrolResult:
    """Enrol `learner`: confirmed while seats remain, else on the waiting list.

    Enrolling again returns the learner's active enrolment unchanged (`created` False).
    `rate_limited`: the learner's own request (pages, API), counted by `enrolments.ratelimit`.
    """
    now = now or timezone.now()
    learner_can_enrol(learner)
    # A repeated call needs no lock: the active enrolment can only be cancelled, never replaced.
    existing = Enrolment.objects.active().filter(session_id=session_id, learner=learner).first()
    if existing is not None:
        return EnrolResult(existing, created=False)
    if rate_limited:
        ratelimit.count_action(learner)
    with transaction.atomic():
        session = lock_session(session_id)
        existing = Enrolment.objects.active().filter(session=session, learner=learner).first()
        if existing is not None:
            return EnrolResult(existing, created=False)

        held, waiting = seat_counts(session.pk)
        state = session_state(replace(session.facts, confirmed=held), now)
        if state in CLOSED_MESSAGES:
            message, code = CLOSED_MESSAGES[state]
            raise EnrolmentError(message, code)
        if state == SessionState.FULL and not session.waitlist_enabled:
            raise EnrolmentError(_("This session is full."), "full")

        if state == SessionState.ENROLMENT_OPEN:
            status, held = EnrolmentStatus.CONFIRMED, held + 1
        else:
            status, waiting = EnrolmentStatus.WAITLISTED, waiting + 1
        enrolment = transitions.create(session, learner, status, now=now)
        set_display_counts(session.pk, held, waiting)
    return EnrolResult(enrolment, created=True)


def cancel(
    enrolment_id: int,
    *,
    actor,
    now: datetime | None = None,
    by_organiser: bool = False,
    rate_limited: bool = False,
) -> Enrolment:
    """Cancel an enrolment; the freed seat goes at once to the first waitlisted learner.

    A learner may cancel until the session starts; organisers (`by_organiser`) at any time
    (`enrolments.states`). Cancelling a cancelled enrolment changes nothing.
    `rate_limited`: the learner's own request (pages, API), counted by `enrolments.ratelimit`.
    """
    now = now or timezone.now()
    session_id, status = Enrolment.objects.values_list("session_id", "status").get(pk=enrolment_id)
    if rate_limited and status != EnrolmentStatus.CANCELLED:
        ratelimit.count_action(actor)
    with transaction.atomic():
        session = lock_session(session_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.status == EnrolmentStatus.CANCELLED:
            return enrolment
        transitions.move(
            enrolment,
            EnrolmentStatus.CANCELLED,
            actor=Actor.ORGANISER if by_organiser else Actor.LEARNER,
            user=actor,
            now=now,
            session=session,
        )
        promote_waitlisted(session, actor=None, now=now)
        refresh_display_counts(session.pk)
    return enrolment
