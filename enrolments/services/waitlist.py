"""The waiting list: first come, first served."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Session, SessionStatus
from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment
from enrolments.services import transitions
from enrolments.services.counts import refresh_display_counts, seat_counts
from enrolments.services.locking import lock_session
from enrolments.states import Actor, EnrolmentStatus


def promote_waitlisted(
    session: Session, *, actor=None, now: datetime | None = None
) -> list[Enrolment]:
    """Give every free seat to the waiting list in arrival order. Call under the session's lock.

    Nothing is promoted once the session has started or when it is cancelled.
    """
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED or now >= session.starts_at:
        return []
    held, _waiting = seat_counts(session.pk)
    free = session.capacity - held
    if free <= 0:
        return []
    promoted = list(Enrolment.objects.filter(session=session).waitlisted()[:free])
    for enrolment in promoted:
        transitions.move(
            enrolment,
            EnrolmentStatus.CONFIRMED,
            actor=Actor.SYSTEM,
            user=actor,
            now=now,
            session=session,
        )
    return promoted


def promote_by_hand(enrolment_id: int, *, actor, now: datetime | None = None) -> Enrolment:
    """An organiser gives a free seat to this waitlisted learner, ahead of the line."""
    now = now or timezone.now()
    with transaction.atomic():
        session_id = Enrolment.objects.values_list("session_id", flat=True).get(pk=enrolment_id)
        session = lock_session(session_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.status != EnrolmentStatus.WAITLISTED:
            raise EnrolmentError(_("This learner is not on the waiting list."), "not_waitlisted")
        held, _waiting = seat_counts(session.pk)
        if held >= session.capacity:
            raise EnrolmentError(_("No seat is free: raise the session's capacity first."), "full")
        transitions.move(
            enrolment,
            EnrolmentStatus.CONFIRMED,
            actor=Actor.ORGANISER,
            user=actor,
            now=now,
            session=session,
        )
        refresh_display_counts(session.pk)
    return enrolment
