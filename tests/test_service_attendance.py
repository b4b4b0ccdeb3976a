"""Meetings and attendance per meeting through the services: when it may be recorded, what it
makes of the enrolment, who may take it."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group

from courses.models import CourseInstructor, Instructor, Meeting
from courses.permissions import attendance_sessions, can_take_attendance
from enrolments.errors import EnrolmentError
from enrolments.models import Attendance, AttendanceMethod, Enrolment
from enrolments.services.attendance import mark, record
from enrolments.services.enrolment import enrol
from enrolments.services.sessions import cancel_session
from jazari.time import CASABLANCA
from tests import factories

MONDAY = datetime(2031, 3, 10, 9, 0, tzinfo=CASABLANCA)


@pytest.fixture
def root(tree):
    return factories.institute(tree, "Jazari Root", is_hub=True)


@pytest.fixture
def course(tree, root):
    return factories.course(tree, "Bootcamp data", root, format="bootcamp")


@pytest.fixture
def bootcamp(course):
    """Monday 09:00 to Wednesday 17:00: three meetings, 09:00-17:00 each day."""
    session = factories.session(course, capacity=3)
    session.starts_at, session.ends_at = MONDAY, MONDAY + timedelta(days=2, hours=8)
    session.save()
    return session


@pytest.fixture
def learners(db):
    return [factories.learner(f"learner{i}@example.com") for i in range(1, 5)]


def meetings_of(session):
    return list(Meeting.objects.filter(session=session).order_by("starts_at"))


def status_of(enrolment):
    return Enrolment.objects.values_list("status", flat=True).get(pk=enrolment.pk)


def test_a_session_has_its_meetings_and_they_follow_its_schedule(bootcamp):
    """Three days, three meetings; a written schedule replaces them; a meeting with attendance
    is kept when the schedule drops it."""
    assert [(m.starts_at, m.ends_at) for m in meetings_of(bootcamp)] == [
        (MONDAY + timedelta(days=n), MONDAY + timedelta(days=n, hours=8)) for n in range(3)
    ]
    bootcamp.schedule = "10/03/2031 09:00-12:00\n12/03/2031 14:00-17:00"
    bootcamp.save()
    monday, wednesday = meetings_of(bootcamp)
    assert monday.ends_at == MONDAY + timedelta(hours=3)  # the same meeting, its end moved
    assert wednesday.starts_at == MONDAY + timedelta(days=2, hours=5)


def test_a_meeting_with_attendance_is_not_deleted_by_a_new_schedule(bootcamp, learners):
    """The attendance protects its meeting: the schedule change keeps it."""
    enrolment = enrol(learners[0], bootcamp.pk, now=MONDAY - timedelta(days=3)).enrolment
    tuesday = meetings_of(bootcamp)[1]
    record(enrolment.pk, tuesday.pk, True, actor=None, now=tuesday.starts_at)
    bootcamp.schedule = "10/03/2031 09:00-17:00"
    bootcamp.save()
    assert [m.pk for m in meetings_of(bootcamp)][1] == tuesday.pk
    assert len(meetings_of(bootcamp)) == 2


def test_no_attendance_on_a_list_before_the_meeting_starts(bootcamp, learners):
    """Tuesday's meeting can't be marked on Monday, nor at 08:59 on Tuesday; from 09:00 it
    can."""
    enrolment = enrol(learners[0], bootcamp.pk, now=MONDAY - timedelta(days=3)).enrolment
    tuesday = meetings_of(bootcamp)[1]
    for early in (MONDAY + timedelta(hours=2), tuesday.starts_at - timedelta(minutes=1)):
        with pytest.raises(EnrolmentError) as refused:
            record(enrolment.pk, tuesday.pk, True, actor=None, now=early)
        assert refused.value.code == "meeting_not_started"
    assert not Attendance.objects.exists()
    record(enrolment.pk, tuesday.pk, True, actor=None, now=tuesday.starts_at)
    assert status_of(enrolment) == "attended"


def test_check_in_is_taken_on_the_meetings_day_before_it_starts(bootcamp, learners):
    """Learners arrive before 09:00: check-in counts from the meeting's day, not the day before."""
    enrolment = enrol(learners[0], bootcamp.pk, now=MONDAY - timedelta(days=3)).enrolment
    monday = meetings_of(bootcamp)[0]
    with pytest.raises(EnrolmentError) as refused:
        record(
            enrolment.pk,
            monday.pk,
            True,
            actor=None,
            method=AttendanceMethod.CHECK_IN,
            now=MONDAY - timedelta(hours=10),  # Sunday 23:00
        )
    assert refused.value.code == "not_today"
    arrival = MONDAY - timedelta(minutes=12)
    attendance = record(
        enrolment.pk, monday.pk, True, actor=None, method=AttendanceMethod.CHECK_IN, now=arrival
    )
    assert attendance.checked_in_at == arrival and attendance.method == "check_in"
    assert status_of(enrolment) == "attended"


def test_the_enrolment_follows_its_attendance(bootcamp, learners):
    """Absent only: no-show; present once: attended; a correction goes back; the same twice
    writes nothing new."""
    enrolment = enrol(learners[0], bootcamp.pk, now=MONDAY - timedelta(days=3)).enrolment
    monday, tuesday, _wednesday = meetings_of(bootcamp)
    later = MONDAY + timedelta(days=1, hours=2)
    record(enrolment.pk, monday.pk, False, actor=None, now=later)
    assert status_of(enrolment) == "no_show"
    record(enrolment.pk, tuesday.pk, True, actor=None, now=later)
    assert status_of(enrolment) == "attended"
    record(enrolment.pk, tuesday.pk, True, actor=None, now=later)
    assert Attendance.objects.filter(enrolment=enrolment).count() == 2
    record(enrolment.pk, tuesday.pk, False, actor=None, now=later)
    assert status_of(enrolment) == "no_show"


def test_only_seat_holders_of_a_running_session_have_attendance(bootcamp, learners):
    """Waitlisted, completed or in a cancelled session: refused, and why; another session's
    meeting too."""
    early = MONDAY - timedelta(days=3)
    seated = [enrol(learner, bootcamp.pk, now=early).enrolment for learner in learners[:3]]
    waiting = enrol(learners[3], bootcamp.pk, now=early).enrolment
    monday = meetings_of(bootcamp)[0]
    later = MONDAY + timedelta(days=3)
    with pytest.raises(EnrolmentError) as refused:
        record(waiting.pk, monday.pk, True, actor=None, now=later)
    assert refused.value.code == "not_in_seat"
    mark(seated[0].pk, "completed", actor=None, now=later)
    with pytest.raises(EnrolmentError) as refused:
        record(seated[0].pk, monday.pk, False, actor=None, now=later)
    assert refused.value.code == "completed"
    other = factories.session(bootcamp.course, starts_in=timedelta(days=40))
    with pytest.raises(EnrolmentError) as refused:
        record(seated[1].pk, meetings_of(other)[0].pk, True, actor=None, now=later)
    assert refused.value.code == "wrong_meeting"
    cancel_session(bootcamp.pk, actor=None, now=MONDAY - timedelta(days=1))
    with pytest.raises(EnrolmentError) as refused:
        record(seated[2].pk, monday.pk, True, actor=None, now=later)
    assert refused.value.code == "session_cancelled"


def test_marking_attended_means_present_at_every_meeting_so_far(bootcamp, learners):
    """On Tuesday afternoon, "attended" records Monday and Tuesday; Wednesday stays open."""
    enrolment = enrol(learners[0], bootcamp.pk, now=MONDAY - timedelta(days=3)).enrolment
    mark(enrolment.pk, "attended", actor=None, now=MONDAY + timedelta(days=1, hours=5))
    recorded = Attendance.objects.filter(enrolment=enrolment).order_by("meeting__starts_at")
    assert [(a.meeting.starts_at.day, a.present, a.method) for a in recorded] == [
        (10, True, "admin"),
        (11, True, "admin"),
    ]
    assert status_of(enrolment) == "attended"


def test_the_completion_rule_counts_meetings_attended(course):
    """75 % by default, rounded up, and at least one meeting."""
    assert course.completion_met(3, 4) and not course.completion_met(2, 4)
    assert course.completion_met(1, 1) and not course.completion_met(0, 0)
    course.completion_threshold = 100
    assert course.completion_met(3, 3) and not course.completion_met(2, 3)


def test_attendance_is_taken_by_the_institutes_staff_and_the_sessions_trainers(
    tree, root, course, bootcamp
):
    """The organiser's editors and the course's trainer take attendance; another institute's
    editors, a learner, and a trainer of another course don't."""
    fes = factories.institute(tree, "Jazari Fès", region="fes-meknes", city="Fès")
    root_editor = factories.learner("root.editor@example.com")
    root_editor.groups.add(Group.objects.get(pk=root.editors_id))
    fes_editor = factories.learner("fes.editor@example.com")
    fes_editor.groups.add(Group.objects.get(pk=fes.editors_id))
    trainer = factories.learner("trainer@example.com")
    CourseInstructor.objects.create(
        course=course, instructor=Instructor.objects.create(name="Nadia", user=trainer)
    )
    other_trainer = factories.learner("other.trainer@example.com")
    Instructor.objects.create(name="Omar", user=other_trainer)
    admin = factories.learner("admin@example.com")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    allowed = {root_editor, trainer, admin}
    for user in (root_editor, fes_editor, trainer, other_trainer, admin):
        assert can_take_attendance(user, bootcamp) == (user in allowed), user
        assert (bootcamp in attendance_sessions(user)) == (user in allowed), user
