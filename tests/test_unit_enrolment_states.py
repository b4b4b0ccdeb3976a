"""The enrolment state machine's table (`enrolments.states`), without a database."""

from datetime import UTC, datetime, timedelta

import pytest

from enrolments.states import (
    ATTENDANCE,
    ATTENDED,
    AWAITING,
    ENROLLED,
    HOLDS_SEAT,
    IN_PROGRESS,
    TRANSITIONS,
    Actor,
    EnrolmentStatus,
    Moment,
    TransitionRefused,
    can,
    check,
)
from enrolments.wagtail_hooks import AUDIT_ACTIONS

S = EnrolmentStatus
STARTS = datetime(2027, 3, 10, 8, 0, tzinfo=UTC)
ENDS = STARTS + timedelta(hours=8)
BEFORE = Moment(STARTS - timedelta(days=1), STARTS, ENDS)
DURING = Moment(STARTS + timedelta(hours=1), STARTS, ENDS)
AFTER = Moment(ENDS + timedelta(minutes=1), STARTS, ENDS)


def refusal(source, target, actor, moment):
    with pytest.raises(TransitionRefused) as refused:
        check(source, target, actor, moment)
    return refused.value.code


def test_a_learner_enrols_confirmed_or_waitlisted_before_the_session_starts():
    """Enrolment creates confirmed or waitlisted enrolments, only before the start."""
    assert check(None, S.CONFIRMED, Actor.LEARNER, BEFORE).action == "jazari.enrolment.confirmed"
    assert check(None, S.WAITLISTED, Actor.LEARNER, BEFORE).action == "jazari.enrolment.waitlisted"
    assert refusal(None, S.CONFIRMED, Actor.LEARNER, DURING) == "session_started"
    assert refusal(None, S.ATTENDED, Actor.LEARNER, BEFORE) == "bad_transition"


def test_learners_cancel_until_the_start_organisers_and_the_system_at_any_time():
    """Cancelling: the learner before the start, organisers and a cancelled session always."""
    for source in AWAITING:
        assert can(source, S.CANCELLED, Actor.LEARNER, BEFORE)
        assert refusal(source, S.CANCELLED, Actor.LEARNER, DURING) == "session_started"
        assert can(source, S.CANCELLED, Actor.ORGANISER, AFTER)
        assert can(source, S.CANCELLED, Actor.SYSTEM, DURING)


def test_recorded_attendance_and_completion_are_never_cancelled():
    """Attended, no-show and completed can't become cancelled, whoever asks."""
    for source in ATTENDANCE:
        for actor in Actor:
            assert refusal(source, S.CANCELLED, actor, BEFORE) == "attendance_recorded"


def test_the_waiting_list_moves_until_the_start_organisers_promote_at_any_time():
    """The system promotes only before the start; an organiser may promote by hand later."""
    assert can(S.WAITLISTED, S.CONFIRMED, Actor.SYSTEM, BEFORE)
    assert not can(S.WAITLISTED, S.CONFIRMED, Actor.SYSTEM, DURING)
    assert can(S.WAITLISTED, S.CONFIRMED, Actor.ORGANISER, DURING)
    assert refusal(S.WAITLISTED, S.CONFIRMED, Actor.LEARNER, BEFORE) == "not_allowed"


def test_attendance_once_the_session_has_started_completion_once_it_has_ended():
    """No attendance before the start, no completion before the end; organisers only."""
    for target in (S.ATTENDED, S.NO_SHOW):
        assert refusal(S.CONFIRMED, target, Actor.ORGANISER, BEFORE) == "session_not_started"
        assert can(S.CONFIRMED, target, Actor.ORGANISER, DURING)
        assert refusal(S.CONFIRMED, target, Actor.LEARNER, AFTER) == "not_allowed"
    assert refusal(S.CONFIRMED, S.COMPLETED, Actor.ORGANISER, DURING) == "session_not_ended"
    assert can(S.CONFIRMED, S.COMPLETED, Actor.ORGANISER, AFTER)
    assert can(S.ATTENDED, S.COMPLETED, Actor.ORGANISER, AFTER)
    assert refusal(S.NO_SHOW, S.COMPLETED, Actor.ORGANISER, AFTER) == "bad_transition"
    assert refusal(S.WAITLISTED, S.ATTENDED, Actor.ORGANISER, AFTER) == "bad_transition"


def test_attended_and_no_show_can_be_corrected_completed_and_cancelled_are_final():
    """A mistaken attendance mark can be changed; nothing leaves completed or cancelled."""
    assert can(S.ATTENDED, S.NO_SHOW, Actor.ORGANISER, AFTER)
    assert can(S.NO_SHOW, S.ATTENDED, Actor.ORGANISER, AFTER)
    sources = {source for source, _target in TRANSITIONS}
    assert S.COMPLETED not in sources and S.CANCELLED not in sources


def test_every_status_is_reachable_from_a_new_enrolment():
    """No status of the model is missing from the table."""
    reached, frontier = set(), {None}
    while frontier:
        source = frontier.pop()
        for start, target in TRANSITIONS:
            if start == source and target not in reached:
                reached.add(target)
                frontier.add(target)
    assert reached == set(S)


def test_every_transition_has_a_labelled_audit_action():
    """The admin's history can label every entry the transitions write."""
    assert {t.action for t in TRANSITIONS.values()} <= set(AUDIT_ACTIONS)


def test_status_groups_nest_as_their_meaning_says():
    """In the session ⊂ holds a seat, attended ⊂ in the session, in progress: a seat or attended."""
    assert ENROLLED < HOLDS_SEAT and S.NO_SHOW in HOLDS_SEAT - ENROLLED
    assert ATTENDED < ENROLLED
    assert S.WAITLISTED not in HOLDS_SEAT and {S.WAITLISTED} == AWAITING - HOLDS_SEAT
    assert (AWAITING | ATTENDED) - {S.WAITLISTED, S.COMPLETED} == IN_PROGRESS
