"""Organisers write to a session's participants.

`send_message` validates the message, picks its recipients by audience, writes it and owes
each recipient an email through the outbox (`enrolments.outbox.notify`), all in one
transaction: each learner is owed it exactly once (the notification's key), and nothing is
lost while the broker is down (the outbox's dispatcher queues it again). The message is logged
in the course page's history (`jazari.session.message`) and shows on each recipient's
dashboard (`addressed_to`).

Who may write is decided by the entry point (`courses.permissions.can_manage_session`).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment, MessageAudience, NotificationKind, SessionMessage
from enrolments.outbox import notify
from enrolments.services.locking import lock_session
from enrolments.states import ATTENDED, ENROLLED, EnrolmentStatus
from jazari import audit

A = MessageAudience

# Whom each audience reaches, by the status groups of `enrolments.states`:
# - confirmed: holding a seat and not marked absent (confirmed, attended, completed);
# - waitlisted: on the waiting list;
# - attended: present at a meeting (attended, completed);
# - all: every active enrolment (anything but cancelled, no-shows included).
AUDIENCE_STATUSES = {
    A.CONFIRMED: ENROLLED,
    A.WAITLISTED: frozenset({EnrolmentStatus.WAITLISTED}),
    A.ATTENDED: ATTENDED,
    A.ALL: frozenset(EnrolmentStatus) - {EnrolmentStatus.CANCELLED},
}

SUBJECT_MAX_LENGTH = SessionMessage._meta.get_field("subject").max_length
BODY_MAX_LENGTH = SessionMessage._meta.get_field("body").max_length
# The same message to the same audience again within this time is a second click, refused.
REPEAT_WINDOW = timedelta(minutes=10)
# How many of their latest messages the learner's dashboard shows.
DASHBOARD_MESSAGES = 20


class MessageRefused(EnrolmentError):
    """A message that can't be sent: empty, too long, or to nobody."""


def audience_filter(audience) -> Q:
    """The condition on enrolments that `audience` reaches."""
    try:
        statuses = AUDIENCE_STATUSES[MessageAudience(audience)]
    except ValueError:
        raise MessageRefused(_("Choose whom to write to."), "bad_audience") from None
    return Q(status__in=sorted(statuses))


def audience_counts(session_id: int) -> dict[str, int]:
    """How many learners each audience reaches in the session (one query)."""
    counts = Enrolment.objects.filter(session_id=session_id).aggregate(
        **{audience: Count("pk", filter=audience_filter(audience)) for audience in A.values}
    )
    return {audience: counts[audience] for audience in A.values}


def check_message(subject: str, body: str) -> tuple[str, str]:
    """The subject and body as they will be sent, or `MessageRefused` saying what is wrong."""
    subject = (subject or "").strip()
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not subject:
        raise MessageRefused(_("Write a subject."), "subject_required")
    if "\n" in subject or "\r" in subject:
        raise MessageRefused(_("The subject is one line."), "subject_lines")
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise MessageRefused(
            _("The subject is at most %(count)s characters long.") % {"count": SUBJECT_MAX_LENGTH},
            "subject_too_long",
        )
    if not body:
        raise MessageRefused(_("Write the message."), "body_required")
    if len(body) > BODY_MAX_LENGTH:
        raise MessageRefused(
            _("The message is at most %(count)s characters long.") % {"count": BODY_MAX_LENGTH},
            "body_too_long",
        )
    return subject, body


def send_message(
    session_id: int,
    *,
    audience: str,
    subject: str,
    body: str,
    author,
    now: datetime | None = None,
) -> SessionMessage:
    """Write to the learners of `session_id` that `audience` reaches; each is emailed once.

    `MessageRefused` when the subject or body is missing or too long, the audience unknown,
    nobody is in it, or the same message went to the same audience in the last ten minutes (a
    second click); `Busy` when the session's lock could not be had in time.
    """
    subject, body = check_message(subject, body)
    condition = audience_filter(audience)
    now = now or timezone.now()
    with transaction.atomic():
        # Under the session's lock: the recipients are those of this moment (no enrolment
        # changes meanwhile), and the same message sent twice (a second click) is seen.
        session = lock_session(session_id)
        if SessionMessage.objects.filter(
            session=session,
            audience=audience,
            subject=subject,
            body=body,
            created_at__gt=now - REPEAT_WINDOW,
        ).exists():
            raise MessageRefused(
                _("This message was sent to these learners a moment ago: it is not sent twice."),
                "already_sent",
            )
        recipients = list(
            Enrolment.objects.filter(condition, session=session)
            .only("pk", "learner_id", "session_id")
            .order_by("pk")
        )
        if not recipients:
            raise MessageRefused(
                _("Nobody in this session is among “%(audience)s”: the message was not sent.")
                % {"audience": MessageAudience(audience).label},
                "no_recipients",
            )
        message = SessionMessage.objects.create(
            session=session,
            author=author if getattr(author, "pk", None) else None,
            audience=audience,
            subject=subject,
            body=body,
            created_at=now,
            recipients=len(recipients),
        )
        for enrolment in recipients:
            notify(
                NotificationKind.MESSAGE,
                enrolment,
                key=f"message:{message.pk}:{enrolment.pk}",
                new=True,  # the message was written just now: nothing is owed for it yet
                message=message,
            )
        audit.record(
            session.course,
            "jazari.session.message",
            actor=message.author,
            session=session.pk,
            message=message.pk,
            audience=audience,
            recipients=len(recipients),
        )
    return message


def sent_messages(session_id: int):
    """The session's messages, newest first, with their authors (one query)."""
    return SessionMessage.objects.filter(session_id=session_id).select_related("author")


def addressed_to(user, limit: int = DASHBOARD_MESSAGES):
    """The latest messages written to `user` (through their notifications), newest first, with
    their session, course and organising institute (one query)."""
    return (
        SessionMessage.objects.filter(notifications__user=user)
        .select_related("session__course__institute")
        .distinct()
        .order_by("-created_at", "-pk")[:limit]
    )
