"""Queuing Celery tasks from the web process: after the transaction commits, fast, never raising.

Work that follows a change (the email owed to a learner, a certificate to issue, a document to
inspect) is recorded in the database with the change, then queued with `queue_on_commit`. If the
broker is down at that moment the task is simply not queued: the change stands, and the app's
periodic catch-up task (Celery beat) queues it later from what the database says is still to do
(`enrolments.tasks.dispatch_pending`, `certificates.tasks.issue_missing_certificates`,
`materials.tasks.inspect_unchecked_documents`). So queuing never holds up the request that made
the change: one connection attempt with short socket timeouts, no retries, and after a failure
the tasks of the next few seconds are left to the catch-up without trying again.

Without a broker (`make run`, the tests) tasks run inline; a task that fails inline is logged and
left to the catch-up too.
"""

import logging
import time

from celery import Task
from django.db import transaction
from kombu import pools

logger = logging.getLogger("jazari.queuing")

# Publishing from the web process: fail fast, the catch-up tasks do the retrying.
PUBLISH_TRANSPORT_OPTIONS = {
    "max_retries": 0,  # one connection attempt (kombu's default is to retry for seconds)
    "socket_connect_timeout": 2,  # a broker host that drops packets
    "socket_timeout": 3,
}
POOL_TIMEOUT = 2  # seconds to wait for a free pooled connection
BROKER_BACKOFF = 10  # seconds during which, after a failure, queuing is not even tried

_broker_down_until = 0.0


def queue(task: Task, *args, force: bool = False) -> bool:
    """Queue `task(*args)`; True when queued (or run inline), False when left to the catch-up.

    Never raises. `force` tries the broker even within the back-off that follows a failure (the
    catch-up tasks run in a worker, which has just heard from the broker).
    """
    global _broker_down_until
    app = task.app
    if app.conf.task_always_eager:  # `make run` and the tests: run inline
        try:
            task.apply_async(args=list(args))
        except Exception:
            logger.exception("%s%s failed inline: left to the catch-up", task.name, args)
            return False
        return True

    if not force and time.monotonic() < _broker_down_until:
        logger.warning("%s%s not queued: broker unavailable", task.name, args)
        return False
    try:
        connection = app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS)
        with pools.connections[connection].acquire(block=True, timeout=POOL_TIMEOUT) as conn:
            task.apply_async(args=list(args), connection=conn, retry=False)
    except Exception as exc:  # the broker is unreachable: the catch-up will queue it
        _broker_down_until = time.monotonic() + BROKER_BACKOFF
        logger.warning("%s%s not queued: broker unavailable (%s)", task.name, args, exc)
        return False
    _broker_down_until = 0.0
    return True


def queue_on_commit(task: Task, *args) -> None:
    """Queue `task(*args)` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: queue(task, *args))


def forget_broker_failures() -> None:
    """Try the broker again at once (the back-off after a failure is forgotten)."""
    global _broker_down_until
    _broker_down_until = 0.0
