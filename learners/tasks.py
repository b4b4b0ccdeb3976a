"""Celery tasks: ids in, objects re-fetched, safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from learners.models import Enrolment, EnrolmentStatus, Notification, NotificationKind

PENDING_GRACE = timedelta(seconds=60)
MAX_ATTEMPTS = 8


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def send_notification(self, notification_id):
    """Send one owed email and stamp it sent; an email already sent is not sent again."""
    from learners.emails import send_notification_email

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, sent_at__isnull=True)
            .select_related("user", "enrolment__session__course")
            .first()
        )
        if notification is None:  # sent already, or another worker has it right now
            return "skipped"
        notification.attempts += 1
        try:
            send_notification_email(notification)
        except Exception as exc:  # SMTP trouble: keep it pending and try again later
            notification.last_error = f"{exc.__class__.__name__}: {exc}"[:1000]
            notification.save(update_fields=["attempts", "last_error"])
            raise self.retry(exc=exc) from exc
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "sent_at", "last_error"])
    return "sent"


@shared_task
def dispatch_pending():
    """Queue the notifications still pending a minute after they were written (broker outage)."""
    from learners.services.notifications import enqueue

    cutoff = timezone.now() - PENDING_GRACE
    pending = Notification.objects.filter(
        sent_at__isnull=True, created_at__lte=cutoff, attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", flat=True)[:500]
    return sum(1 for pk in pending if enqueue(pk))


@shared_task
def send_reminders(now=None):
    """Owe a reminder to every confirmed learner of a session starting in the next 24 hours."""
    from learners.services.notifications import notify

    now = timezone.now()
    enrolments = Enrolment.objects.filter(
        status=EnrolmentStatus.CONFIRMED,
        session__status="scheduled",
        session__starts_at__gt=now,
        session__starts_at__lte=now + timedelta(hours=24),
    ).select_related("session")
    count = 0
    for enrolment in enrolments:
        with transaction.atomic():
            key = f"reminder:{enrolment.pk}:{enrolment.session.starts_at.isoformat()}"
            notify(NotificationKind.REMINDER, enrolment, key=key)
        count += 1
    return count
