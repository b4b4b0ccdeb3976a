"""The email owed to learners: written with the change, queued once the transaction commits.

If the broker is down at that moment the row stays pending and `dispatch_pending` (run by
Celery beat every minute) queues it again later: a learner never loses an email because the
broker was away.
"""

import logging

from django.db import transaction

from learners.models import Notification

logger = logging.getLogger("jazari.notifications")


def notify(kind, enrolment, *, key=None):
    """Owe `enrolment`'s learner an email of `kind`; the same `key` is never owed twice."""
    key = key or f"{kind}:{enrolment.pk}"
    notification, created = Notification.objects.get_or_create(
        key=key, defaults={"kind": kind, "user_id": enrolment.learner_id, "enrolment": enrolment}
    )
    if created:
        transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def enqueue(notification_id):
    """Queue the sending task; a broker failure leaves the notification pending for later."""
    from learners.tasks import send_notification

    try:
        send_notification.apply_async(args=[notification_id], retry=False)
    except Exception as exc:  # the broker is unreachable: dispatch_pending will retry
        logger.warning(
            "Notification %s left pending: broker unavailable (%s)", notification_id, exc
        )
        return False
    return True
