"""The email owed to learners: owed with the change, sent by a task, never lost.

- `notify` owes an email: a `Notification` row written in the same transaction as the change
  that causes it, its sending queued once the transaction commits (`jazari.queuing`).
- `send_notification` (a task) sends one owed email and stamps it sent; safe to run twice.
- `dispatch_pending` (beat, every minute) queues again what a broker outage left pending, so a
  learner never loses an email because the broker was away.
- `send_reminders` (beat, every 15 minutes) owes the reminders due, at the offsets each session
  sets (`Session.reminders`, by default a week and a day before the start).

Tasks take ids, re-fetch, and are named after the app (`enrolments.send_notification`), so
moving code doesn't rename what the broker and beat know them by.
"""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from courses.models import Session
from courses.schedule import MAX_REMINDER_OFFSET, due_reminder
from enrolments.emails import send_notification_email
from enrolments.models import Enrolment, EnrolmentStatus, Notification, NotificationKind
from jazari.queuing import queue, queue_on_commit

logger = logging.getLogger("jazari.notifications")

# A notification still pending this long after it was written missed the broker.
PENDING_GRACE = timedelta(seconds=60)
# Attempts at sending one email (SMTP failures) before giving up on it.
MAX_ATTEMPTS = 8


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
    """Owe each confirmed learner the reminder due now of their session (`Session.reminders`).

    For each scheduled session starting within its longest reminder offset (60 days at most),
    the reminder due at `now` is the latest of its offsets whose time has passed
    (`courses.schedule.due_reminder`). It is owed once per enrolment, start and offset (the
    key), and only to learners confirmed before that reminder's time: one who enrols the day
    before the session has the confirmation, not "a week to go". A session moved to another
    date is reminded again. Beat runs it every 15 minutes; running it again owes nothing new.

    Four queries and one batch INSERT whatever the number of sessions and learners. Returns
    how many reminders were owed.
    """
    if isinstance(now, str):  # from beat or the command line, serialised
        now = parse_datetime(now)
    now = now if isinstance(now, datetime) else timezone.now()
    due = {}
    sessions = (
        Session.objects.scheduled()
        .filter(starts_at__gt=now, starts_at__lte=now + MAX_REMINDER_OFFSET)
        .exclude(reminders="")
        .only("pk", "starts_at", "reminders")
    )
    for session in sessions:
        offset = due_reminder(session.reminder_offsets(), session.starts_at, now)
        if offset is not None:
            due[session.pk] = (session.starts_at, offset)
    if not due:
        return 0
    enrolments = (
        Enrolment.objects.filter(session_id__in=list(due), status=EnrolmentStatus.CONFIRMED)
        .annotate(confirmed_since=Coalesce("confirmed_at", "queued_at"))
        .only("pk", "learner_id", "session_id")
        .order_by("pk")
    )
    owed = {}
    for enrolment in enrolments:
        starts_at, offset = due[enrolment.session_id]
        if enrolment.confirmed_since <= starts_at - offset:
            data = {
                "offset": int(offset.total_seconds()),
                "starts_at": starts_at.isoformat(),
                "owed_at": now.isoformat(),
            }
            owed[reminder_key(enrolment.pk, starts_at, offset)] = (enrolment, data)
    already = set(Notification.objects.filter(key__in=list(owed)).values_list("key", flat=True))
    new = {key: value for key, value in owed.items() if key not in already}
    with transaction.atomic():
        notify_many(NotificationKind.REMINDER, new)
    return len(new)


def reminder_key(enrolment_id: int, starts_at: datetime, offset: timedelta) -> str:
    """One reminder per enrolment, start time and offset: a moved session is reminded again."""
    return f"reminder:{enrolment_id}:{starts_at.isoformat()}:{int(offset.total_seconds())}"


def notify_many(kind: str, owed: dict[str, tuple[Enrolment, dict]]) -> None:
    """`notify` for many enrolments at once: `owed` maps each key to (enrolment, data).

    One batch INSERT; a key owed already (another run at the same moment) is skipped by the
    database. What is pending under these keys is queued once the transaction commits: a
    notification queued twice is sent once.
    """
    if not owed:
        return
    Notification.objects.bulk_create(
        [
            Notification(
                key=key,
                kind=kind,
                user_id=enrolment.learner_id,
                enrolment_id=enrolment.pk,
                data=data,
            )
            for key, (enrolment, data) in owed.items()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    pending = Notification.objects.filter(key__in=list(owed), sent_at__isnull=True)
    for pk in pending.order_by("pk").values_list("pk", flat=True):
        queue_on_commit(send_notification, pk)
