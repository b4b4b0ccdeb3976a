"""What follows when organisers change a session (more seats, new dates, cancellation) or
withdraw its course from the catalogue."""

import hashlib
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage, Session, SessionStatus
from enrolments.models import Enrolment, NotificationKind
from enrolments.outbox import notify
from enrolments.services import transitions
from enrolments.services.counts import refresh_display_counts
from enrolments.services.locking import lock_session
from enrolments.services.waitlist import promote_waitlisted
from enrolments.states import AWAITING, Actor, EnrolmentStatus
from jazari import audit

# What learners are told about when it changes.
NOTIFIED_FIELDS = ("starts_at", "ends_at", "mode", "institute_id", "online_url", "language")


def session_signature(session: Session) -> str:
    values = "|".join(str(getattr(session, name)) for name in NOTIFIED_FIELDS)
    return hashlib.sha256(values.encode()).hexdigest()[:16]


def sync_session(session_id: int, *, actor=None, now: datetime | None = None) -> None:
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
                for enrolment in Enrolment.objects.filter(session=session, status__in=AWAITING):
                    notify(
                        NotificationKind.SESSION_CHANGED,
                        enrolment,
                        key=f"session_changed:{enrolment.pk}:{signature}",
                    )
            if session.notified_signature != signature:
                Session.objects.filter(pk=session.pk).update(notified_signature=signature)
        refresh_display_counts(session.pk)


def _cancel_enrolments(session: Session, *, actor, now: datetime) -> None:
    for enrolment in Enrolment.objects.filter(session=session, status__in=AWAITING):
        transitions.move(
            enrolment,
            EnrolmentStatus.CANCELLED,
            actor=Actor.SYSTEM,
            user=actor,
            now=now,
            session=session,
            notification=NotificationKind.SESSION_CANCELLED,
            reason="session",
        )


def cancel_session(session_id: int, *, actor, now: datetime | None = None) -> None:
    """Organisers cancel a whole session: its enrolments are cancelled and everyone is told."""
    with transaction.atomic():
        session = lock_session(session_id)
        if session.status != SessionStatus.CANCELLED:
            Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
            audit.record(
                session.course, "jazari.session.cancelled", actor=actor, session=session.pk
            )
        sync_session(session_id, actor=actor, now=now)


def change_capacity(session_id: int, capacity: int, *, actor, now: datetime | None = None) -> None:
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


def tell_course_unpublished(course: CoursePage, *, now: datetime | None = None) -> int:
    """The course's page was unpublished: each learner awaiting one of its sessions that has not
    ended (confirmed or waitlisted) is owed one email saying so, their enrolment unchanged.

    Once per learner (for their soonest session) and per unpublishing: the key names the
    publication being withdrawn, so unpublishing again after publishing again tells them
    again, and running this twice for one unpublishing owes nothing new. Returns how many
    learners it concerns.
    """
    now = now or timezone.now()
    stamp = (
        course.last_published_at.isoformat()
        if course.last_published_at
        else f"revision-{course.latest_revision_id or 0}"
    )
    enrolments = (
        Enrolment.objects.filter(
            session__course_id=course.pk,
            session__status=SessionStatus.SCHEDULED,
            session__ends_at__gt=now,
            status__in=AWAITING,
        )
        .only("pk", "learner_id", "session_id")
        .order_by("session__starts_at", "pk")
    )
    soonest = {}
    for enrolment in enrolments:
        soonest.setdefault(enrolment.learner_id, enrolment)
    with transaction.atomic():
        for enrolment in soonest.values():
            notify(
                NotificationKind.COURSE_UNPUBLISHED,
                enrolment,
                key=f"course_unpublished:{enrolment.pk}:{stamp}",
            )
    return len(soonest)
