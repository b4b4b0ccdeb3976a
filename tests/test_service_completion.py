"""Completion through the services: the course's rule proposes learners once the session has
ended, editors confirm them in one action, a course may complete them automatically (the beat
task), and never before the end."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from wagtail.models import ModelLogEntry

from courses.models import Meeting
from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment
from enrolments.services import completion
from enrolments.services.attendance import record
from enrolments.services.completion import (
    confirm_completions,
    meeting_the_rule,
    proposed_completions,
    with_completion_proposals,
)
from enrolments.services.enrolment import enrol
from enrolments.tasks import complete_ended_sessions
from jazari.time import CASABLANCA
from tests import factories

# A four-day bootcamp, Monday to Thursday, 09:00-17:00 each day, long past (the beat task
# reads the clock).
MONDAY = datetime(2025, 3, 10, 9, 0, tzinfo=CASABLANCA)
ENDS = MONDAY + timedelta(days=3, hours=8)
AFTER = ENDS + timedelta(hours=1)
# Meetings present at, of four, for each learner: 4 and 3 meet the 75 % rule, 2 doesn't, 0 is
# a no-show, and None is a learner nothing was recorded for (still confirmed).
PRESENCE = {"Amina": 4, "Bilal": 3, "Chaima": 2, "Driss": 0, "Elias": None}


@pytest.fixture
def root(tree):
    return factories.institute(tree, "Jazari Root", is_hub=True)


def bootcamp(tree, root, title="Bootcamp data", **course_fields):
    course = factories.course(tree, title, root, format="bootcamp", **course_fields)
    session = factories.session(course, capacity=10)
    session.starts_at, session.ends_at = MONDAY, ENDS
    session.save()  # four meetings, one a day
    return session


def attend(session, presence):
    """Enrol each learner before the start and record them present at their first `n`
    meetings, absent at the others; {first name: enrolment}."""
    meetings = list(Meeting.objects.filter(session=session).order_by("starts_at"))
    enrolments = {}
    for name, present in presence.items():
        learner = factories.learner(f"{name.lower()}.{session.pk}@example.com", full_name=name)
        enrolment = enrol(learner, session.pk, now=MONDAY - timedelta(days=7)).enrolment
        enrolments[name] = enrolment
        if present is None:
            continue
        for number, meeting in enumerate(meetings):
            record(enrolment.pk, meeting.pk, number < present, actor=None, now=ENDS)
    return enrolments


def status(enrolment):
    return Enrolment.objects.values_list("status", flat=True).get(pk=enrolment.pk)


def names(enrolments, by_pk):
    return sorted(name for name, e in by_pk.items() if e.pk in {x.pk for x in enrolments})


def test_the_rule_proposes_learners_present_at_three_meetings_of_four(tree, root):
    """75 % by default: 4 and 3 of 4 are proposed, 2 of 4, a no-show and the unrecorded not;
    each proposal says how many meetings it was present at."""
    session = bootcamp(tree, root)
    people = attend(session, PRESENCE)
    proposed = proposed_completions(session, now=AFTER)
    assert names(proposed, people) == ["Amina", "Bilal"]
    assert {(e.present_count, e.meetings_count) for e in proposed} == {(4, 4), (3, 4)}


def test_the_threshold_is_rounded_up_and_per_course(tree, root):
    """At 60 % of four meetings (2.4), three are needed; at 50 %, two do."""
    session = bootcamp(tree, root, completion_threshold=60)
    people = attend(session, PRESENCE)
    assert names(proposed_completions(session, now=AFTER), people) == ["Amina", "Bilal"]
    session.course.completion_threshold = 50
    session.course.save()
    assert names(proposed_completions(session, now=AFTER), people) == ["Amina", "Bilal", "Chaima"]


def test_a_one_meeting_session_needs_its_meeting(tree, root):
    """A one-day session: present at its meeting is enough, whatever the threshold."""
    course = factories.course(tree, "Webinaire", root, format="webinar", completion_threshold=100)
    session = factories.session(course, starts_in=timedelta(days=-30), hours=2)
    [meeting] = Meeting.objects.filter(session=session)
    learner = factories.learner("one@example.com")
    enrolment = enrol(learner, session.pk, now=session.starts_at - timedelta(days=1)).enrolment
    record(enrolment.pk, meeting.pk, True, actor=None, now=meeting.starts_at)
    assert [e.pk for e in proposed_completions(session)] == [enrolment.pk]


def test_nothing_is_proposed_or_completed_before_the_end(tree, root):
    """On Thursday afternoon nothing is proposed yet, and confirming is refused with the state
    machine's reason; nothing changes."""
    session = bootcamp(tree, root)
    people = attend(session, PRESENCE)
    thursday = ENDS - timedelta(hours=2)
    assert proposed_completions(session, now=thursday) == []
    with pytest.raises(EnrolmentError) as refused:
        confirm_completions(session.pk, actor=None, now=thursday)
    assert refused.value.code == "session_not_ended"
    assert status(people["Amina"]) == "attended"


def test_confirming_completes_every_proposal_in_one_action(tree, root):
    """One call completes Amina and Bilal (audit entries by the editor), leaves the others;
    a second call completes no one more."""
    session = bootcamp(tree, root)
    people = attend(session, PRESENCE)
    editor = factories.learner("editor@jazari.ma")
    result = confirm_completions(session.pk, actor=editor, now=AFTER)
    assert names(result.done, people) == ["Amina", "Bilal"] and result.refused == []
    assert {name: status(e) for name, e in people.items()} == {
        "Amina": "completed",
        "Bilal": "completed",
        "Chaima": "attended",
        "Driss": "no_show",
        "Elias": "confirmed",
    }
    entry = ModelLogEntry.objects.get(
        action="jazari.enrolment.completed", object_id=str(people["Amina"].pk)
    )
    assert entry.user == editor
    again = confirm_completions(session.pk, actor=editor, now=AFTER)
    assert again.done == [] and again.refused == []


def test_a_refusal_is_reported_and_the_others_are_completed(tree, root, monkeypatch):
    """One enrolment refused by a rule: reported with its reason, the other still completed."""
    session = bootcamp(tree, root)
    people = attend(session, PRESENCE)
    move = completion.transitions.move

    def refuse_amina(enrolment, target, **kwargs):
        if enrolment.pk == people["Amina"].pk:
            raise EnrolmentError("Refused for the test.", "test")
        return move(enrolment, target, **kwargs)

    monkeypatch.setattr(completion.transitions, "move", refuse_amina)
    result = confirm_completions(session.pk, actor=None, now=AFTER)
    assert names(result.done, people) == ["Bilal"]
    assert [(e.pk, reason) for e, reason in result.refused] == [
        (people["Amina"].pk, "Refused for the test.")
    ]
    assert (status(people["Amina"]), status(people["Bilal"])) == ("attended", "completed")


def test_the_task_completes_only_courses_that_ask_for_it_and_twice_changes_nothing(tree, root):
    """The beat task completes the proposals of ended sessions of automatic courses; another
    course's are left to its editors; running it again completes no one more."""
    automatic = bootcamp(tree, root, "Bootcamp automatique", completion_automatic=True)
    by_hand = bootcamp(tree, root, "Bootcamp confirmé à la main")
    auto_people = attend(automatic, PRESENCE)
    hand_people = attend(by_hand, PRESENCE)
    assert complete_ended_sessions() == {str(automatic.pk): 2}
    assert [status(auto_people[n]) for n in ("Amina", "Bilal", "Chaima")] == [
        "completed",
        "completed",
        "attended",
    ]
    assert status(hand_people["Amina"]) == "attended"
    entry = ModelLogEntry.objects.get(
        action="jazari.enrolment.completed", object_id=str(auto_people["Amina"].pk)
    )
    assert entry.user is None and entry.data == {"automatic": True}
    assert complete_ended_sessions() == {}
    assert Enrolment.objects.filter(status="completed").count() == 2


def test_the_task_waits_for_the_end(tree, root):
    """A running session of an automatic course is not completed by the task."""
    course = factories.course(tree, "Atelier", root, completion_automatic=True)
    session = factories.session(course, starts_in=timedelta(hours=-1), hours=3)
    [meeting] = Meeting.objects.filter(session=session)
    enrolment = enrol(
        factories.learner("now@example.com"), session.pk, now=session.starts_at - timedelta(1)
    ).enrolment
    record(enrolment.pk, meeting.pk, True, actor=None)
    assert complete_ended_sessions() == {}
    assert status(enrolment) == "attended"


def test_the_task_is_on_beats_schedule():
    """Every 15 minutes, by its registered name."""
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "enrolments.complete_ended_sessions"
    ]
    assert entry["schedule"] == 15 * 60
    assert complete_ended_sessions.name == "enrolments.complete_ended_sessions"


@pytest.mark.parametrize("threshold", [1, 50, 75, 100])
def test_the_sql_form_of_the_rule_agrees_with_the_course(tree, root, threshold):
    """`meeting_the_rule` (lists of sessions) proposes exactly whom `completion_met` does, for
    every count of meetings present at, and the sessions' counts add up."""
    session = bootcamp(tree, root, f"Bootcamp {threshold}", completion_threshold=threshold)
    people = attend(session, {f"P{n}": n for n in range(5)})
    course = session.course
    expected = {people[f"P{n}"].pk for n in range(5) if course.completion_met(n, 4)}
    assert set(meeting_the_rule(Enrolment.objects.all()).values_list("pk", flat=True)) == expected
    assert {e.pk for e in proposed_completions(session, now=AFTER)} == expected
    [counted] = with_completion_proposals(
        type(session).objects.filter(pk=session.pk), datetime(2030, 1, 1, tzinfo=CASABLANCA)
    )
    assert counted.proposals == len(expected)
