"""Enrolment rules through the service layer: seats, waiting list, cancellation, promotion."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import Session
from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment, EnrolmentStatus, Notification
from enrolments.services.attendance import mark
from enrolments.services.enrolment import cancel, enrol
from enrolments.services.sessions import cancel_session, change_capacity, sync_session
from enrolments.services.waitlist import promote_by_hand
from tests import factories


@pytest.fixture
def session(tree):
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    return factories.session(course, capacity=2)


@pytest.fixture
def learners(db):
    return [factories.learner(f"learner{i}@example.com") for i in range(1, 6)]


def statuses(session):
    return [
        (e.learner.email, e.status)
        for e in Enrolment.objects.filter(session=session).order_by("queued_at", "pk")
    ]


def test_confirmed_while_seats_remain_then_waitlisted_in_order(session, learners):
    """Seats go first come first served; then the waiting list keeps arrival order."""
    results = [enrol(learner, session.pk) for learner in learners[:4]]
    assert [r.enrolment.status for r in results] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert [r.enrolment.waitlist_position() for r in results] == [None, None, 1, 2]
    session.refresh_from_db()
    assert (session.confirmed_count, session.waitlist_count) == (2, 2)


def test_enrolling_again_returns_the_same_enrolment(session, learners):
    """A second enrolment call answers with the first enrolment, not a new one."""
    first = enrol(learners[0], session.pk)
    again = enrol(learners[0], session.pk)
    assert first.created and not again.created
    assert again.enrolment.pk == first.enrolment.pk
    assert Enrolment.objects.count() == 1
    assert Notification.objects.filter(kind="confirmed").count() == 1


def test_one_active_enrolment_is_a_database_constraint(session, learners):
    """Two active enrolments of one learner in one session are refused by the database."""
    enrol(learners[0], session.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(session=session, learner=learners[0], status="waitlisted")


def test_unverified_learner_cannot_enrol(session, db):
    """A learner who hasn't confirmed their email address is told to do so."""
    unverified = factories.learner("new@example.com", verified=False)
    with pytest.raises(EnrolmentError) as error:
        enrol(unverified, session.pk)
    assert error.value.code == "email_not_verified"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": "cancelled"}, "session_cancelled"),
        ({"enrolment_opens_at": timezone.now() + timedelta(days=1)}, "not_open_yet"),
        ({"enrolment_closes_at": timezone.now() - timedelta(minutes=1)}, "closed"),
    ],
)
def test_enrolment_only_while_the_window_is_open(session, learners, changes, code):
    """Cancelled sessions and closed or not-yet-open windows refuse enrolment."""
    Session.objects.filter(pk=session.pk).update(**changes)
    with pytest.raises(EnrolmentError) as error:
        enrol(learners[0], session.pk)
    assert error.value.code == code


def test_full_session_without_waiting_list_refuses(session, learners):
    """Without a waiting list, a full session says so."""
    Session.objects.filter(pk=session.pk).update(waitlist_enabled=False)
    enrol(learners[0], session.pk)
    enrol(learners[1], session.pk)
    with pytest.raises(EnrolmentError) as error:
        enrol(learners[2], session.pk)
    assert error.value.code == "full"


def test_cancel_promotes_the_first_waitlisted(session, learners):
    """A freed seat goes at once to the first in line, who is told."""
    first, _second, third, fourth = (enrol(x, session.pk).enrolment for x in learners[:4])
    cancel(first.pk, actor=learners[0])
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == EnrolmentStatus.CONFIRMED
    assert fourth.status == EnrolmentStatus.WAITLISTED and fourth.waitlist_position() == 1
    assert Notification.objects.filter(kind="promoted", enrolment=third).exists()
    assert Notification.objects.filter(kind="cancelled", enrolment=first).exists()


def test_learner_cannot_cancel_after_the_start(session, learners):
    """Once the session started the learner can't cancel; organisers still can."""
    enrolment = enrol(learners[0], session.pk).enrolment
    later = session.starts_at + timedelta(minutes=5)
    with pytest.raises(EnrolmentError):
        cancel(enrolment.pk, actor=learners[0], now=later)
    cancel(enrolment.pk, actor=None, now=later, by_organiser=True)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED


def test_reenrol_after_cancelling_joins_the_end_of_the_line(session, learners):
    """A learner who cancelled may enrol again, as a new arrival."""
    first = enrol(learners[0], session.pk).enrolment
    enrol(learners[1], session.pk)
    enrol(learners[2], session.pk)  # waitlisted
    cancel(first.pk, actor=learners[0])  # learners[2] promoted
    again = enrol(learners[0], session.pk)
    assert again.created and again.enrolment.status == EnrolmentStatus.WAITLISTED


def test_raising_capacity_promotes_as_many_as_fit(session, learners):
    """Two more seats promote the first two waitlisted learners, not the third."""
    for learner in learners:
        enrol(learner, session.pk)
    change_capacity(session.pk, 4, actor=None)
    assert [s for _e, s in statuses(session)] == [
        "confirmed",
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]


def test_cancelling_a_session_cancels_and_tells_everyone(session, learners):
    """Every active enrolment of a cancelled session is cancelled and its learner told."""
    for learner in learners[:3]:
        enrol(learner, session.pk)
    cancel_session(session.pk, actor=None)
    assert {s for _e, s in statuses(session)} == {"cancelled"}
    assert Notification.objects.filter(kind="session_cancelled").count() == 3


def test_changed_dates_tell_enrolled_learners_once(session, learners):
    """New dates tell each active learner once per version of the session."""
    enrol(learners[0], session.pk)
    sync_session(session.pk)  # records what learners were told
    Session.objects.filter(pk=session.pk).update(starts_at=session.starts_at + timedelta(hours=1))
    sync_session(session.pk)
    sync_session(session.pk)
    assert Notification.objects.filter(kind="session_changed").count() == 1


def test_promote_by_hand_needs_a_free_seat(session, learners):
    """Organisers pick a waitlisted learner ahead of the line, only into a free seat."""
    enrolments = [enrol(x, session.pk).enrolment for x in learners[:4]]
    with pytest.raises(EnrolmentError):
        promote_by_hand(enrolments[3].pk, actor=None)
    Session.objects.filter(pk=session.pk).update(capacity=3)
    promote_by_hand(enrolments[3].pk, actor=None)
    enrolments[3].refresh_from_db()
    assert enrolments[3].status == EnrolmentStatus.CONFIRMED


def test_attendance_transitions(session, learners):
    """Confirmed learners can be marked attended then completed; waitlisted ones cannot."""
    confirmed = enrol(learners[0], session.pk).enrolment
    enrol(learners[1], session.pk)
    waitlisted = enrol(learners[2], session.pk).enrolment
    after = session.ends_at + timedelta(minutes=1)
    assert mark(confirmed.pk, "attended", actor=None, now=after).status == "attended"
    assert mark(confirmed.pk, "completed", actor=None, now=after).status == "completed"
    with pytest.raises(EnrolmentError):
        mark(waitlisted.pk, "attended", actor=None, now=after)


def test_no_attendance_before_the_session_starts_nor_completion_before_it_ends(session, learners):
    """A session in the future can't be marked attended; a session under way can't be
    completed; nothing changes when refused."""
    enrolment = enrol(learners[0], session.pk).enrolment
    with pytest.raises(EnrolmentError) as early:
        mark(enrolment.pk, "attended", actor=None)
    assert early.value.code == "session_not_started"
    during = session.starts_at + timedelta(minutes=30)
    with pytest.raises(EnrolmentError) as unfinished:
        mark(enrolment.pk, "completed", actor=None, now=during)
    assert unfinished.value.code == "session_not_ended"
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    assert mark(enrolment.pk, "attended", actor=None, now=during).status == "attended"


def test_every_change_writes_an_audit_entry(session, learners):
    """Enrolling and cancelling leave who/when/what entries in Wagtail's log."""
    from wagtail.models import ModelLogEntry

    enrolment = enrol(learners[0], session.pk).enrolment
    cancel(enrolment.pk, actor=learners[0])
    entries = ModelLogEntry.objects.filter(object_id=str(enrolment.pk)).order_by("timestamp")
    assert [(e.action, e.user_id) for e in entries] == [
        ("jazari.enrolment.confirmed", learners[0].pk),
        ("jazari.enrolment.cancelled", learners[0].pk),
    ]
