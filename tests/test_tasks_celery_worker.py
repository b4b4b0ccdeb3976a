"""A real Celery worker against Redis delivers the emails queued by the enrolment services.

The worker runs in a thread of the test process (`celery.contrib.testing.worker`), so it
shares the database and the local-memory email outbox; the test's rows are committed
(`transaction=True`) for it to see them. Redis is a private `redis-server` started for the
test (or `CELERY_BROKER_URL` where the binary is missing).
"""

import os
import threading

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from enrolments.models import Notification
from enrolments.services.enrolment import cancel, enrol
from jazari.celery import app
from tests import factories
from tests.redis_server import (
    RedisServer,
    TaskWatcher,
    celery_on_broker,
    for_this_worker,
    redis_server_binary,
    require_redis_server,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEND = "enrolments.send_notification"


@pytest.fixture
def broker_url():
    """A private Redis; else the one CI provides in CELERY_BROKER_URL (a database per
    pytest-xdist worker); else skip (fail in CI)."""
    if redis_server_binary() is None and os.environ.get("CELERY_BROKER_URL"):
        yield for_this_worker(os.environ["CELERY_BROKER_URL"])
        return
    with RedisServer(require_redis_server()) as server:
        yield server.url


@pytest.fixture
def worker(settings, broker_url):
    """An embedded worker consuming from the test's Redis; no thread outlives the test."""
    before = set(threading.enumerate())
    with (
        celery_on_broker(settings, app, broker_url),
        TaskWatcher() as watcher,
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
    ):
        yield watcher
    leftover = [t for t in set(threading.enumerate()) - before if t.is_alive()]
    for thread in leftover:
        thread.join(timeout=5)
    assert [t for t in leftover if t.is_alive()] == []


@pytest.fixture
def session(db):
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    return factories.session(course, capacity=1)


def test_worker_sends_the_confirmation(worker, session):
    """Enrolling queues the confirmation after commit; the worker sends it and stamps it."""
    learner = factories.learner("amina@example.com")
    enrolment = enrol(learner, session.pk).enrolment

    assert worker.wait_for(SEND) == ["sent"]
    [message] = mail.outbox
    assert message.to == ["amina@example.com"]
    assert message.subject.startswith("Inscription confirmée")
    notification = Notification.objects.get(enrolment=enrolment)
    assert notification.sent_at is not None and notification.attempts == 1


def test_worker_sends_cancellation_and_promotion(worker, session):
    """Cancelling sends the cancellation and tells the first waitlisted learner of the seat."""
    first = factories.learner("first@example.com")
    second = factories.learner("second@example.com", language="ar")
    # One change at a time: on SQLite the worker's thread and the test's share one in-memory
    # database, which reports "table is locked" to concurrent writers instead of waiting.
    enrolment = enrol(first, session.pk).enrolment
    worker.wait_for(SEND, count=1)
    enrol(second, session.pk)
    worker.wait_for(SEND, count=2)

    cancel(enrolment.pk, actor=first)

    assert worker.wait_for(SEND, count=4) == ["sent"] * 4
    sent = sorted((m.to[0], m.subject.split(":")[0].strip()) for m in mail.outbox)
    assert sent[0] == ("first@example.com", "Inscription annulée")
    assert sent[1] == ("first@example.com", "Inscription confirmée")
    assert [to for to, _subject in sent[2:]] == ["second@example.com"] * 2
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
