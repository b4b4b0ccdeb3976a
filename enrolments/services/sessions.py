"""What follows when organisers change a session: more seats, new dates, cancellation."""

import hashlib

from django.db import transaction
from django.utils import timezone

from courses.models import Session, SessionStatus
from enrolments.models import Enrolment, EnrolmentStatus, NotificationKind
from enrolments.services.counts import refresh_display_counts
from enrolments.services.locking import lock_session
from enrolments.services.notifications import notify
from enrolments.services.waitlist import promote_waitlisted
from jazari import audit

# What learners are told about when it changes.
NOTIFIED_FIELDS = ("starts_at", "ends_at", "mode", "institute_id", "online_url", "language")


def session_signature(session):
    values = "|".join(str(getattr(session, name)) for name in NOTIFIED_FIELDS)
    return hashlib.sha256(values.encode()).hexdigest()[:16]


def sync_session(session_id, *, actor=None, now=None):
    """Bring enrolments in line with the session as organisers left it. Safe to run again.

    - cancelled: every active enrolment is cancelled and its learner told;
    - more seats: the waiting list is promoted as far as they go;
    - new dates, place, mode or link: learners with an active enrolment are told once per
      version of the session.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session_id)
        if session.status == SessionStatus.CANCELLED:
            _cancel_enrolments(session, actor=actor, now=now)
        else:
            promote_waitlisted(session, actor=actor, now=now)
            signature = session_signature(session)
            if session.notified_signature and session.notified_signature != signature:
                for enrolment in Enrolment.objects.filter(
                    session=session,
                    status__in=(EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED),
                ):
                    notify(
                        NotificationKind.SESSION_CHANGED,
                        enrolment,
                        key=f"session_changed:{enrolment.pk}:{signature}",
                    )
            if session.notified_signature != signature:
                Session.objects.filter(pk=session.pk).update(notified_signature=signature)
        refresh_display_counts(session.pk)


def _cancel_enrolments(session, *, actor, now):
    active = Enrolment.objects.filter(
        session=session, status__in=(EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED)
    )
    for enrolment in active:
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.cancelled_at = now
        enrolment.save(update_fields=["status", "cancelled_at", "updated_at"])
        audit.record(enrolment, "jazari.enrolment.cancelled", actor=actor, reason="session")
        notify(NotificationKind.SESSION_CANCELLED, enrolment)


def cancel_session(session_id, *, actor, now=None):
    """Organisers cancel a whole session: its enrolments are cancelled and everyone is told."""
    with transaction.atomic():
        session = lock_session(session_id)
        if session.status != SessionStatus.CANCELLED:
            Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
            audit.record(
                session.course, "jazari.session.cancelled", actor=actor, session=session.pk
            )
        sync_session(session_id, actor=actor, now=now)


def change_capacity(session_id, capacity, *, actor, now=None):
    """Set a session's capacity; seats added go to the waiting list at once."""
    with transaction.atomic():
        session = lock_session(session_id)
        if capacity != session.capacity:
            Session.objects.filter(pk=session.pk).update(capacity=capacity)
            audit.record(
                session.course,
                "jazari.session.capacity",
                actor=actor,
                session=session.pk,
                before=session.capacity,
                after=capacity,
            )
        sync_session(session_id, actor=actor, now=now)
