"""No overbooking, ever: many learners enrolling at once into one session on PostgreSQL."""

import threading

import pytest
from django.db import connection

from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services.enrolment import cancel, enrol
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CAPACITY = 7
LEARNERS = 40
THREADS = 20


def run_in_threads(work, items, threads=THREADS):
    """Run `work(item)` for every item from `threads` threads released together."""
    errors, start = [], threading.Barrier(threads)
    chunks = [items[i::threads] for i in range(threads)]

    def worker(chunk):
        try:
            start.wait()
            for item in chunk:
                work(item)
        except Exception as exc:  # reported below: the test fails on any error
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    return errors


@pytest.fixture
def crowd(db):
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Atelier très demandé", root)
    session = factories.session(course, capacity=CAPACITY)
    learners = [factories.learner(f"crowd{i}@example.com") for i in range(LEARNERS)]
    return session, learners


def test_concurrent_enrolments_never_exceed_capacity(crowd):
    """40 learners from 20 threads: exactly 7 confirmed, the rest waitlisted in arrival order."""
    session, learners = crowd
    errors = run_in_threads(lambda learner: enrol(learner, session.pk), learners)
    assert errors == []
    enrolments = list(Enrolment.objects.filter(session=session).order_by("pk"))
    assert len(enrolments) == LEARNERS
    confirmed = [e for e in enrolments if e.status == EnrolmentStatus.CONFIRMED]
    waitlisted = [e for e in enrolments if e.status == EnrolmentStatus.WAITLISTED]
    assert len(confirmed) == CAPACITY
    # Arrival order is the order in which learners got the lock: ids and times agree, the
    # first seven arrivals hold the seats and the line follows arrival.
    assert confirmed == enrolments[:CAPACITY]
    line = list(Enrolment.objects.filter(session=session).waitlisted())
    assert line == waitlisted
    assert [e.queued_at for e in line] == sorted(e.queued_at for e in line)
    assert [e.waitlist_position() for e in line] == list(range(1, len(line) + 1))
    session.refresh_from_db()
    assert (session.confirmed_count, session.waitlist_count) == (CAPACITY, LEARNERS - CAPACITY)


def test_concurrent_cancellations_and_enrolments_keep_capacity(crowd):
    """Cancelling and enrolling at the same time never confirms more than the capacity."""
    session, learners = crowd
    first = [enrol(learner, session.pk).enrolment for learner in learners[:20]]
    to_cancel = [e.pk for e in first[:10]]
    newcomers = learners[20:]

    def work(item):
        kind, value = item
        if kind == "cancel":
            cancel(value, actor=None)
        else:
            enrol(value, session.pk)

    items = [("cancel", pk) for pk in to_cancel] + [("enrol", learner) for learner in newcomers]
    errors = run_in_threads(work, items)
    assert errors == []
    held = Enrolment.objects.filter(session=session, status=EnrolmentStatus.CONFIRMED).count()
    assert held == CAPACITY
    waiting = Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED)
    assert waiting.count() == 30 - CAPACITY
