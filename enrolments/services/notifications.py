"""The email owed to learners: written with the change, queued once the transaction commits.

If the broker is down at that moment the row stays pending and `dispatch_pending` (run by
Celery beat every minute) queues it again later: a learner never loses an email because the
broker was away. Queuing never holds up the request that made the change: one connection
attempt with short socket timeouts, no retries, and after a failure the following
notifications of the next few seconds are left pending without trying again.
"""

import logging
import time

from django.db import transaction
from kombu import pools

from enrolments.models import Notification

logger = logging.getLogger("jazari.notifications")

# Publishing from the web process: fail fast, `dispatch_pending` does the retrying.
PUBLISH_TRANSPORT_OPTIONS = {
    "max_retries": 0,  # one connection attempt (kombu's default is to retry for seconds)
    "socket_connect_timeout": 2,  # a broker host that drops packets
    "socket_timeout": 3,
}
POOL_TIMEOUT = 2  # seconds to wait for a free pooled connection
BROKER_BACKOFF = 10  # seconds during which, after a failure, queuing is not even tried

_broker_down_until = 0.0


def notify(kind, enrolment, *, key=None, new=False):
    """Owe `enrolment`'s learner an email of `kind`; the same `key` is never owed twice.

    `new` says the enrolment was created in this transaction, so nothing can be owed for it
    yet: one INSERT instead of a look-up (this runs under the session's lock).
    """
    key = key or f"{kind}:{enrolment.pk}"
    fields = {"kind": kind, "user_id": enrolment.learner_id, "enrolment": enrolment}
    if new:
        notification, created = Notification.objects.create(key=key, **fields), True
    else:
        notification, created = Notification.objects.get_or_create(key=key, defaults=fields)
    if created:
        transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def enqueue(notification_id, *, force=False):
    """Queue the sending task; True when queued (or sent inline), False when left pending.

    Never raises: a broker failure leaves the notification pending for `dispatch_pending`.
    `force` tries the broker even within the back-off that follows a failure (the
    dispatcher runs in a worker, which just heard from the broker).
    """
    global _broker_down_until
    from enrolments.tasks import send_notification

    app = send_notification.app
    if app.conf.task_always_eager:  # `make run` and the tests: sent inline
        try:
            send_notification.apply_async(args=[notification_id])
        except Exception:
            logger.exception("Notification %s left pending: sending failed", notification_id)
            return False
        return True

    if not force and time.monotonic() < _broker_down_until:
        logger.warning("Notification %s left pending: broker unavailable", notification_id)
        return False
    try:
        connection = app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS)
        with pools.connections[connection].acquire(block=True, timeout=POOL_TIMEOUT) as conn:
            send_notification.apply_async(args=[notification_id], connection=conn, retry=False)
    except Exception as exc:  # the broker is unreachable: dispatch_pending will retry
        _broker_down_until = time.monotonic() + BROKER_BACKOFF
        logger.warning(
            "Notification %s left pending: broker unavailable (%s)", notification_id, exc
        )
        return False
    _broker_down_until = 0.0
    return True
