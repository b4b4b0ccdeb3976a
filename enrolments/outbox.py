"""The email owed to learners: owed with the change, sent by a task, never lost.

- `notify` owes an email: a `Notification` row written in the same transaction as the change
  that causes it, its sending queued once the transaction commits (`jazari.queuing`).
- `send_notification` (a task) sends one owed email and stamps it sent; safe to run twice.
- `dispatch_pending` (beat, every minute) queues again what a broker outage left pending, so a
  learner never loses an email because the broker was away.
- `send_reminders` (beat, every hour) owes a reminder for sessions starting within a day.

Tasks take ids, re-fetch, and are named after the app (`enrolments.send_notification`), so
moving code doesn't rename what the broker and beat know them by.
"""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from courses.models import SessionStatus
from enrolments.emails import send_notification_email
from enrolments.models import Enrolment, EnrolmentStatus, Notification, NotificationKind
from jazari.queuing import queue, queue_on_commit

logger = logging.getLogger("jazari.notifications")

# A notification still pending this long after it was written missed the broker.
PENDING_GRACE = timedelta(seconds=60)
# Attempts at sending one email (SMTP failures) before giving up on it.
MAX_ATTEMPTS = 8
# How far ahead reminders look: the day before.
REMINDER_WINDOW = timedelta(hours=24)


def notify(
    kind: str,
    enrolment: Enrolment,
    *,
    key: str | None = None,
    new: bool = False,
    message=None,
    data: dict | None = None,
) -> Notification:
    """Owe `enrolment`'s learner an email of `kind`; the same `key` is never owed twice.

    `new` says the enrolment was created in this transaction, so nothing can be owed for it
    yet: one INSERT instead of a look-up (this runs under the session's lock). `message` is an
    organiser's `SessionMessage`; `data` what the email of a kind of an app above needs.
    """
    key = key or f"{kind}:{enrolment.pk}"
    fields = {
        "kind": kind,
        "user_id": enrolment.learner_id,
        "enrolment": enrolment,
        "message": message,
        "data": data or {},
    }
    if new:
        notification, created = Notification.objects.create(key=key, **fields), True
    else:
        notification, created = Notification.objects.get_or_create(key=key, defaults=fields)
    if created:
        queue_on_commit(send_notification, notification.pk)
    return notification


@shared_task(
    name="enrolments.send_notification",
    bind=True,
    max_retries=5,
    default_retry_delay=30,
    acks_late=True,
)
def send_notification(self, notification_id):
    """Send one owed email and stamp it sent; an email already sent is not sent again.

    The row is locked while the email goes out, so two workers given the same id (the
    dispatcher may queue it twice) send it once. Returns "sent", "skipped" (sent already or
    being sent), "obsolete" (no longer owed: stamped without sending) or "failed".
    """
    failure = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=notification_id, sent_at__isnull=True)
            .select_related("user", "enrolment__session__course__institute")
            .select_related("enrolment__session__institute")
            .first()
        )
        if notification is None:  # sent already, or another worker has it right now
            return "skipped"
        notification.attempts += 1
        try:
            sent = send_notification_email(notification)
        except Exception as exc:  # SMTP trouble: keep it pending and try again later
            failure = exc
            notification.last_error = f"{exc.__class__.__name__}: {exc}"[:1000]
            notification.save(update_fields=["attempts", "last_error"])
        else:
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.save(update_fields=["attempts", "sent_at", "last_error"])
    if failure is None:
        return "sent" if sent else "obsolete"
    # Retried outside the transaction, so that the attempt and its error stay recorded.
    if self.request.is_eager or notification.attempts >= MAX_ATTEMPTS:
        logger.warning(
            "Notification %s not sent (attempt %s): %s",
            notification_id,
            notification.attempts,
            notification.last_error,
        )
        return "failed"
    raise self.retry(exc=failure)


@shared_task(name="enrolments.dispatch_pending")
def dispatch_pending(grace_seconds=None, limit=500):
    """Queue again the notifications still pending `grace_seconds` (60) after they were written.

    They missed the broker when their change committed. Running it twice queues an email
    twice at most, and `send_notification` sends it once.
    """
    grace = PENDING_GRACE if grace_seconds is None else timedelta(seconds=grace_seconds)
    pending = list(
        Notification.objects.filter(
            sent_at__isnull=True,
            created_at__lte=timezone.now() - grace,
            attempts__lt=MAX_ATTEMPTS,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in pending if queue(send_notification, pk, force=True))


@shared_task(name="enrolments.send_reminders")
def send_reminders(now=None):
    """Owe a reminder to every confirmed learner of a session starting in the next 24 hours.

    One reminder per enrolment and start time: running it again (every hour) owes nothing
    new, and a session moved to another day is reminded again. Returns how many were owed.
    """
    if isinstance(now, str):  # from beat or the command line, serialised
        now = parse_datetime(now)
    now = now if isinstance(now, datetime) else timezone.now()
    enrolments = Enrolment.objects.filter(
        status=EnrolmentStatus.CONFIRMED,
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMINDER_WINDOW,
    ).select_related("session")
    owed = {reminder_key(enrolment): enrolment for enrolment in enrolments}
    already = set(Notification.objects.filter(key__in=owed).values_list("key", flat=True))
    for key, enrolment in owed.items():
        if key not in already:
            with transaction.atomic():
                notify(NotificationKind.REMINDER, enrolment, key=key)
    return len(owed) - len(already)


def reminder_key(enrolment):
    return f"reminder:{enrolment.pk}:{enrolment.session.starts_at.isoformat()}"
