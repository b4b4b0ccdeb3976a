"""Check-in by ticket through the service: which meeting, who may, and every refusal with its
code and words."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from courses.models import CourseInstructor, Instructor, Meeting, Session
from enrolments.models import Attendance, Enrolment
from enrolments.services.attendance import record
from enrolments.services.checkin import (
    CheckInRefused,
    NotAllowed,
    UnknownTicket,
    check_in,
    meeting_of_the_day,
)
from enrolments.services.enrolment import cancel, enrol
from enrolments.services.sessions import cancel_session
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from jazari.time import CASABLANCA
from tests import factories
from tests.shared_data import built_once, fresh

MONDAY = datetime(2031, 3, 10, 9, 0, tzinfo=CASABLANCA)
BEFORE = MONDAY - timedelta(days=5)


@dataclass
class Door:
    bootcamp: Session  # Monday to Wednesday, 09:00-17:00 each day, two seats
    other: Session  # another session of the same course, in April
    seated: Enrolment  # Amina Benali's seat
    second: Enrolment  # Omar's seat
    waiting: Enrolment  # Youssef, on the waiting list
    staff: dict  # role → user


@pytest.fixture(scope="module")
def door_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        root = factories.institute(tree, "Jazari Root", is_hub=True)
        fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
        course = factories.course(tree, "Bootcamp data", root, format="bootcamp")
        bootcamp = factories.session(course, capacity=2)
        bootcamp.starts_at, bootcamp.ends_at = MONDAY, MONDAY + timedelta(days=2, hours=8)
        bootcamp.save()
        other = factories.session(course, capacity=5)
        other.starts_at = MONDAY + timedelta(days=30)
        other.ends_at = other.starts_at + timedelta(hours=8)
        other.save()
        # Fès runs a session of its own: its editor takes attendance there, not at Root's.
        factories.session(factories.course(tree, "Vision par ordinateur", fes))
        people = [
            factories.learner(f"{name.split()[0].lower()}@example.com", full_name=name)
            for name in ("Amina Benali", "Omar Fassi", "Youssef Alami")
        ]
        seated, second, waiting = (
            enrol(learner, bootcamp.pk, now=BEFORE).enrolment for learner in people
        )
        staff = {
            "root_editor": factories.learner("editor-root@example.com"),
            "fes_editor": factories.learner("editor-fes@example.com"),
            "trainer": factories.learner("trainer@example.com"),
            "manager": factories.learner("manager@example.com"),
            "learner": people[1],
        }
        staff["root_editor"].groups.add(Group.objects.get(pk=root.editors_id))
        staff["fes_editor"].groups.add(Group.objects.get(pk=fes.editors_id))
        staff["manager"].groups.add(Group.objects.get(name__iexact=PROGRAMME_MANAGERS_GROUP))
        CourseInstructor.objects.create(
            course=course, instructor=Instructor.objects.create(name="Nadia", user=staff["trainer"])
        )
        yield Door(bootcamp, other, seated, second, waiting, staff)


@pytest.fixture
def door(door_once, db):
    return fresh(door_once)


def days(session):
    return list(Meeting.objects.filter(session=session).order_by("starts_at"))


def refused(ticket, *, staff, **kwargs) -> CheckInRefused:
    with pytest.raises(CheckInRefused) as caught:
        check_in(ticket, staff=staff, **kwargs)
    return caught.value


# Which meeting: a pure choice


def slot(pk, day, start, end):
    """A meeting-like object on March `day`, 2031, from `start` to `end` o'clock (Casablanca)."""
    base = datetime(2031, 3, day, tzinfo=CASABLANCA)
    return SimpleNamespace(
        pk=pk, starts_at=base + timedelta(hours=start), ends_at=base + timedelta(hours=end)
    )


def at(day, hour, minute=0):
    return datetime(2031, 3, day, hour, minute, tzinfo=CASABLANCA)


def test_the_meeting_of_the_day_is_the_one_running_else_the_next_else_the_last():
    """Morning and afternoon on the 10th: before 09:00 the morning, at 13:30 the afternoon
    (next), at 15:00 the afternoon (running), at 20:00 still the afternoon (last); the 11th
    has nothing."""
    morning, afternoon = slot(1, 10, 9, 12), slot(2, 10, 14, 17)
    tomorrow = slot(3, 12, 9, 17)
    meetings = [tomorrow, afternoon, morning]
    assert meeting_of_the_day(meetings, at(10, 7, 30)) is morning
    assert meeting_of_the_day(meetings, at(10, 10)) is morning
    assert meeting_of_the_day(meetings, at(10, 13, 30)) is afternoon
    assert meeting_of_the_day(meetings, at(10, 15)) is afternoon
    assert meeting_of_the_day(meetings, at(10, 20)) is afternoon
    assert meeting_of_the_day(meetings, at(11, 9)) is None
    assert meeting_of_the_day(meetings, at(12, 8)) is tomorrow


def test_the_day_is_casablancas():
    """At 23:30 UTC on the 9th it is already the 10th in Casablanca (UTC+1): the 10th's
    meeting; at 22:30 UTC it is still the 9th: none."""
    morning = slot(1, 10, 9, 12)
    assert meeting_of_the_day([morning], datetime(2031, 3, 9, 23, 30, tzinfo=UTC)) is morning
    assert meeting_of_the_day([morning], datetime(2031, 3, 9, 22, 30, tzinfo=UTC)) is None


# Checking in


@pytest.mark.django_db
def test_a_ticket_checks_its_learner_in_at_todays_meeting(door):
    """Tuesday 08:47, typed in lower case with a space: present at Tuesday's meeting, by
    check-in, at 08:47; the enrolment becomes attended."""
    tuesday = days(door.bootcamp)[1]
    arrival = tuesday.starts_at - timedelta(minutes=13)
    typed = door.seated.ticket.lower().replace("-", " ")
    result = check_in(
        typed, staff=door.staff["root_editor"], session_id=door.bootcamp.pk, now=arrival
    )
    assert (result.learner_name, result.meeting.pk, result.checked_in_at) == (
        "Amina Benali",
        tuesday.pk,
        arrival,
    )
    assert result.session.pk == door.bootcamp.pk
    attendance = Attendance.objects.get(enrolment=door.seated)
    assert (attendance.meeting_id, attendance.present, attendance.method) == (
        tuesday.pk,
        True,
        "check_in",
    )
    assert attendance.recorded_by == door.staff["root_editor"]
    assert Enrolment.objects.get(pk=door.seated.pk).status == "attended"


@pytest.mark.django_db
def test_twice_is_refused_with_the_time_of_the_first(door):
    """The same ticket again answers "already checked in at 08:47" (Casablanca), and writes
    nothing new; a learner marked present on the list is told so."""
    monday = days(door.bootcamp)[0]
    arrival = MONDAY - timedelta(minutes=13)
    check_in(door.seated.ticket, staff=door.staff["trainer"], now=arrival)
    with translation.override("en"):
        again = refused(
            door.seated.ticket, staff=door.staff["trainer"], now=arrival + timedelta(hours=1)
        )
    assert again.code == "already_checked_in"
    assert again.message == "Already checked in at 08:47."
    assert again.learner_name == "Amina Benali"
    assert Attendance.objects.get(enrolment=door.seated).checked_in_at == arrival

    record(door.second.pk, monday.pk, True, actor=None, now=MONDAY + timedelta(minutes=5))
    with translation.override("en"):
        listed = refused(
            door.second.ticket, staff=door.staff["trainer"], now=MONDAY + timedelta(hours=1)
        )
    assert (listed.code, listed.message) == (
        "already_checked_in",
        "Already marked present at 09:05.",
    )


@pytest.mark.django_db
def test_a_learner_marked_absent_who_turns_up_is_checked_in(door):
    """Absent on the list at 09:30, arrives at 10:15: the check-in corrects it."""
    monday = days(door.bootcamp)[0]
    record(door.seated.pk, monday.pk, False, actor=None, now=MONDAY + timedelta(minutes=30))
    check_in(
        door.seated.ticket, staff=door.staff["trainer"], now=MONDAY + timedelta(hours=1, minutes=15)
    )
    attendance = Attendance.objects.get(enrolment=door.seated)
    assert attendance.present and attendance.method == "check_in"
    assert Enrolment.objects.get(pk=door.seated.pk).status == "attended"


@pytest.mark.django_db
def test_a_ticket_of_another_session_is_refused_on_this_sessions_page(door):
    """Given the April session, the bootcamp's ticket is "other session", naming the right
    one; nothing is recorded."""
    wrong = refused(
        door.seated.ticket,
        staff=door.staff["root_editor"],
        session_id=door.other.pk,
        now=MONDAY,
    )
    assert wrong.code == "other_session"
    assert "Bootcamp data" in wrong.message
    assert wrong.learner_name == "Amina Benali"
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_not_today(door):
    """The day before, and on Thursday after the last meeting: "not today", saying when the
    next meeting is, or that they are over."""
    with translation.override("en"):
        early = refused(
            door.seated.ticket, staff=door.staff["trainer"], now=MONDAY - timedelta(days=1)
        )
        late = refused(
            door.seated.ticket, staff=door.staff["trainer"], now=MONDAY + timedelta(days=3)
        )
    assert early.code == late.code == "not_today"
    assert "Monday 10 March 2031" in early.message
    assert "over" in late.message
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_cancelled_waitlisted_and_cancelled_sessions_are_refused(door):
    """A cancelled enrolment, a waitlisted learner, then a cancelled session: each says so."""
    waitlisted = refused(door.waiting.ticket, staff=door.staff["trainer"], now=MONDAY)
    assert waitlisted.code == "not_in_seat"
    cancel(door.second.pk, actor=door.second.learner, now=BEFORE)
    gone = refused(door.second.ticket, staff=door.staff["trainer"], now=MONDAY)
    assert gone.code == "cancelled"
    cancel_session(door.bootcamp.pk, actor=None, now=BEFORE)
    called_off = refused(door.seated.ticket, staff=door.staff["trainer"], now=MONDAY)
    assert called_off.code == "session_cancelled"
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_unknown_and_malformed_codes(door):
    """A code no enrolment has, and text that can't be a code: "unknown ticket"."""
    for text in ("ABCDE-FGHJK", "not a ticket", "", None):
        with pytest.raises(UnknownTicket) as caught:
            check_in(text, staff=door.staff["trainer"], now=MONDAY)
        assert caught.value.code == "unknown_ticket"


@pytest.mark.django_db
def test_who_may_check_in(door):
    """The organiser's editor and the course's trainer may; another institute's editor, a
    programme manager (reads, never acts) and a learner may not, and learn nothing of the
    ticket, not even whose it is; those who take no attendance anywhere are refused before
    the code is even looked up."""
    monday_ticket = door.seated.ticket
    for role in ("fes_editor", "manager", "learner"):
        with pytest.raises(NotAllowed) as caught:
            check_in(monday_ticket, staff=door.staff[role], now=MONDAY)
        assert caught.value.code == "not_allowed" and not caught.value.learner_name, role
    for role in ("manager", "learner"):  # a code that exists and one that doesn't: alike
        with pytest.raises(NotAllowed):
            check_in("ABCDE-FGHJK", staff=door.staff[role], now=MONDAY)
    assert not Attendance.objects.exists()
    assert check_in(monday_ticket, staff=door.staff["trainer"], now=MONDAY).learner_name
    second = check_in(door.second.ticket, staff=door.staff["root_editor"], now=MONDAY)
    assert second.learner_name == "Omar Fassi"
    assert Attendance.objects.filter(present=True).count() == 2
