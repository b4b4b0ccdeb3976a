"""Nothing is lost when the broker is down: the test's own Redis is stopped and started again.

While Redis is down, enrolling still succeeds at once and its email stays owed in the outbox
table; a message that was in Redis when it went down (no persistence) is lost with it. Once
Redis is back on the same port, the dispatcher (as Celery beat runs it) queues what is owed,
and a real worker sends each email exactly once.
"""

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from enrolments.models import Notification
from enrolments.services.enrolment import enrol
from enrolments.tasks import dispatch_pending, send_notification
from jazari.celery import app
from tests import factories
from tests.redis_server import RedisServer, TaskWatcher, celery_on_broker, require_redis_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEND = "enrolments.send_notification"
DISPATCH = "enrolments.dispatch_pending"
# How long an enrolment may take while the broker is down (it takes milliseconds).
REQUEST_BUDGET = 5.0


@pytest.fixture
def redis_server():
    with RedisServer(require_redis_server()) as server:
        yield server
    assert not server.running


@pytest.fixture
def session(db):
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    return factories.session(course, capacity=2)


def timed_enrol(learner, session):
    started = time.monotonic()
    result = enrol(learner, session.pk)
    return result, time.monotonic() - started


def test_enrolments_during_an_outage_get_their_email_once_redis_is_back(
    settings, redis_server, session
):
    """Enrolling with Redis down is quick and loses nothing; each email is sent exactly once."""
    learners = [factories.learner(f"learner{i}@example.com") for i in range(3)]
    before = set(threading.enumerate())
    with celery_on_broker(settings, app, redis_server.url):
        # Redis up, no worker yet: the confirmation waits in Redis…
        _result, queued_in = timed_enrol(learners[0], session)
        # …and is lost with it: the server keeps nothing on disk.
        redis_server.stop()
        assert not redis_server.ping()

        confirmed, first_down = timed_enrol(learners[1], session)
        waitlisted, second_down = timed_enrol(learners[2], session)
        print(
            f"\nenrolment with Redis up: {queued_in:.3f} s; with Redis down: "
            f"{first_down:.3f} s (first), {second_down:.3f} s (second)"
        )
        assert first_down < REQUEST_BUDGET and second_down < REQUEST_BUDGET
        assert (confirmed.enrolment.status, waitlisted.enrolment.status) == (
            "confirmed",
            "waitlisted",
        )
        assert Notification.objects.filter(sent_at__isnull=True).count() == 3
        assert mail.outbox == []
        confirmed_notification = Notification.objects.get(enrolment=confirmed.enrolment)

        redis_server.start()  # same port, empty
        with (
            TaskWatcher() as watcher,
            start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
        ):
            # What beat does every minute; no grace period, the rows are seconds old.
            dispatch_pending.apply_async(kwargs={"grace_seconds": 0})
            assert watcher.wait_for(DISPATCH) == [3]
            assert watcher.wait_for(SEND, count=3) == ["sent"] * 3
            # The dispatcher runs again, and a duplicate is queued by hand: nothing more.
            dispatch_pending.apply_async(kwargs={"grace_seconds": 0})
            assert watcher.wait_for(DISPATCH, count=2) == [3, 0]
            send_notification.apply_async(args=[confirmed_notification.pk])
            assert watcher.wait_for(SEND, count=4)[-1] == "skipped"

    assert sorted(m.to[0] for m in mail.outbox) == [f"learner{i}@example.com" for i in range(3)]
    subjects = {m.to[0]: m.subject.split(":")[0].strip() for m in mail.outbox}
    assert subjects["learner2@example.com"] == "Liste d'attente"
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert Notification.objects.filter(attempts=1).count() == 3

    leftover = [t for t in set(threading.enumerate()) - before if t.is_alive()]
    for thread in leftover:
        thread.join(timeout=5)
    assert [t for t in leftover if t.is_alive()] == []
