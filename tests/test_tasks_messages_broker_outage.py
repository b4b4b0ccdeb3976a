"""An organiser's message reaches each learner exactly once through the outbox, with a real
Celery worker and the test's own Redis, also when Redis is down at the moment of writing.

While Redis is down, writing the message succeeds at once and each email stays owed in the
outbox table; once Redis is back on the same port, the dispatcher (as beat runs it) queues what
is owed and the worker sends each email once, however often the dispatcher runs.
"""

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from enrolments.models import Notification
from enrolments.outbox import dispatch_pending, send_notification
from enrolments.services.enrolment import enrol
from enrolments.services.messages import send_message
from jazari.celery import app
from tests import factories
from tests.redis_server import RedisServer, TaskWatcher, celery_on_broker, require_redis_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEND = "enrolments.send_notification"
DISPATCH = "enrolments.dispatch_pending"
# How long writing a message to three learners may take while the broker is down.
REQUEST_BUDGET = 5.0
LEARNERS = ["amina@example.com", "karim@example.com", "salma@example.com"]


@pytest.fixture
def redis_server():
    with RedisServer(require_redis_server()) as server:
        yield server
    assert not server.running


@pytest.fixture
def session(db):
    """Two learners with a seat and one waiting, their confirmations sent already."""
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    session = factories.session(course, capacity=2)
    for email in LEARNERS:
        enrol(factories.learner(email), session.pk)  # tasks inline: sent at once
    mail.outbox.clear()
    return session


@pytest.fixture
def no_thread_left():
    before = set(threading.enumerate())
    yield
    leftover = [t for t in set(threading.enumerate()) - before if t.is_alive()]
    for thread in leftover:
        thread.join(timeout=5)
    assert [t for t in leftover if t.is_alive()] == []


def write(session):
    return send_message(
        session.pk,
        audience="all",
        subject="Salle changée",
        body="Rendez-vous en salle 2.",
        author=None,
    )


def test_a_message_written_while_redis_is_down_reaches_each_learner_once(
    settings, redis_server, session, no_thread_left
):
    """Writing is quick and loses nothing with Redis down; each email goes out exactly once."""
    with celery_on_broker(settings, app, redis_server.url):
        redis_server.stop()
        assert not redis_server.ping()
        started = time.monotonic()
        message = write(session)
        took = time.monotonic() - started
        print(f"\nmessage to 3 learners with Redis down: {took:.3f} s")
        assert took < REQUEST_BUDGET
        owed = Notification.objects.filter(message=message)
        assert owed.count() == 3 and owed.filter(sent_at__isnull=True).count() == 3
        assert mail.outbox == []

        redis_server.start()  # same port, empty
        with (
            TaskWatcher() as watcher,
            start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
        ):
            dispatch_pending.apply_async(kwargs={"grace_seconds": 0})  # beat, every minute
            assert watcher.wait_for(DISPATCH) == [3]
            assert watcher.wait_for(SEND, count=3) == ["sent"] * 3
            # The dispatcher runs again, and a duplicate is queued by hand: nothing more.
            dispatch_pending.apply_async(kwargs={"grace_seconds": 0})
            assert watcher.wait_for(DISPATCH, count=2) == [3, 0]
            send_notification.apply_async(args=[owed.first().pk])
            assert watcher.wait_for(SEND, count=4)[-1] == "skipped"

    assert sorted(m.to[0] for m in mail.outbox) == LEARNERS
    assert {m.subject for m in mail.outbox} == {"Introduction au machine learning : Salle changée"}
    assert not owed.filter(sent_at__isnull=True).exists()
    assert set(owed.values_list("attempts", flat=True)) == {1}


def test_with_the_broker_up_the_worker_sends_each_email_once(
    settings, redis_server, session, no_thread_left
):
    """Queued when the message commits, one task per learner, each sent once."""
    with (
        celery_on_broker(settings, app, redis_server.url),
        TaskWatcher() as watcher,
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
    ):
        message = write(session)
        assert watcher.wait_for(SEND, count=3) == ["sent"] * 3
    assert sorted(m.to[0] for m in mail.outbox) == LEARNERS
    assert not Notification.objects.filter(message=message, sent_at__isnull=True).exists()
