"""The session state function, tested without a database."""

from datetime import UTC, datetime, timedelta

import pytest

from courses.states import SessionFacts, SessionState, session_state

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
END = START + timedelta(hours=8)


def facts(**overrides):
    values = {"starts_at": START, "ends_at": END, "capacity": 20, "confirmed": 0}
    values.update(overrides)
    return SessionFacts(**values)


def test_open_when_window_open_and_seats_left():
    """A session before its start, window open and seats left, is open for enrolment."""
    assert session_state(facts(), START - timedelta(days=3)) == SessionState.ENROLMENT_OPEN


def test_full_when_every_seat_taken():
    """No seat left while the window is open makes the session full."""
    assert session_state(facts(confirmed=20), START - timedelta(days=1)) == SessionState.FULL


def test_upcoming_before_the_window_opens():
    """Before the window opens, the session is upcoming, whatever its seats."""
    state = session_state(
        facts(enrolment_opens_at=START - timedelta(days=10)), START - timedelta(days=11)
    )
    assert state == SessionState.UPCOMING


def test_opens_exactly_at_the_opening_time():
    """The window is open from its opening instant on."""
    opens = START - timedelta(days=10)
    assert session_state(facts(enrolment_opens_at=opens), opens) == SessionState.ENROLMENT_OPEN


def test_closed_after_the_window_closes():
    """After the closing time and before the start, enrolment is closed."""
    closes = START - timedelta(days=2)
    state = session_state(facts(enrolment_closes_at=closes), closes + timedelta(seconds=1))
    assert state == SessionState.ENROLMENT_CLOSED


def test_window_without_closing_date_closes_at_start():
    """Without a closing date, enrolment stays open until the session starts."""
    assert session_state(facts(), START - timedelta(seconds=1)) == SessionState.ENROLMENT_OPEN


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (START, SessionState.ONGOING),
        (END - timedelta(seconds=1), SessionState.ONGOING),
        (END, SessionState.PAST),
        (END + timedelta(days=30), SessionState.PAST),
    ],
)
def test_ongoing_then_past(now, expected):
    """From its start the session is ongoing, from its end it is past."""
    assert session_state(facts(), now) == expected


@pytest.mark.parametrize("now", [START - timedelta(days=5), START, END + timedelta(days=1)])
def test_cancelled_wins_over_everything(now):
    """A cancelled session is cancelled before, during and after its dates."""
    assert session_state(facts(cancelled=True), now) == SessionState.CANCELLED


def test_full_session_that_started_is_ongoing():
    """Time comes before seats: a full session that started is ongoing, not full."""
    assert session_state(facts(confirmed=20), START + timedelta(hours=1)) == SessionState.ONGOING
