"""A session's schedule, read without a database: meetings, reminders, and tickets' codes."""

from datetime import datetime, timedelta

import pytest
from django.utils import translation

from courses.schedule import (
    ScheduleError,
    Slot,
    check_meetings,
    default_meetings,
    due_reminder,
    format_meetings,
    parse_meetings,
    parse_reminders,
)
from enrolments.tickets import new_ticket, normalise_ticket
from jazari.codes import ALPHABET
from jazari.time import CASABLANCA


@pytest.fixture(autouse=True)
def _in_english():
    """The messages are read in English (the site's default language is French)."""
    with translation.override("en"):
        yield


def local(*args):
    return datetime(*args, tzinfo=CASABLANCA)


def test_meetings_are_read_in_both_date_formats_with_any_dash():
    """`10/03/2027 09:00-12:30` and `2027-03-11 14h00 – 17h00` are two meetings, in order."""
    slots = parse_meetings("2027-03-11 14h00 – 17h00\n\n 10/03/2027 09:00-12:30 \n")
    assert slots == [
        Slot(local(2027, 3, 10, 9, 0), local(2027, 3, 10, 12, 30)),
        Slot(local(2027, 3, 11, 14, 0), local(2027, 3, 11, 17, 0)),
    ]
    assert format_meetings(slots) == "10/03/2027 09:00-12:30\n11/03/2027 14:00-17:00"
    assert parse_meetings(format_meetings(slots)) == slots


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10/03/2027", "Line 1: write the day"),
        ("10/03/2027 09:00-12:30\n31/02/2027 09:00-10:00", "Line 2: write the day"),
        ("10/03/2027 25:00-26:00", "Line 1: write the day"),
        ("10/03/2027 12:00-09:00", "Line 1: the meeting must end after it starts."),
    ],
)
def test_a_line_that_cant_be_a_meeting_is_named(text, message):
    """The editor is told which line is wrong, and how to write it."""
    with pytest.raises(ScheduleError, match=message):
        parse_meetings(text)


def test_without_a_schedule_a_session_meets_once_a_day():
    """One day: one meeting; Monday 09:00 to Friday 17:00: five; overnight: one."""
    assert default_meetings(local(2027, 3, 10, 9), local(2027, 3, 10, 17)) == [
        Slot(local(2027, 3, 10, 9), local(2027, 3, 10, 17))
    ]
    week = default_meetings(local(2027, 3, 8, 9), local(2027, 3, 12, 17))
    assert len(week) == 5
    assert week[2] == Slot(local(2027, 3, 10, 9), local(2027, 3, 10, 17))
    hackathon = default_meetings(local(2027, 3, 8, 18), local(2027, 3, 10, 10))
    assert hackathon == [Slot(local(2027, 3, 8, 18), local(2027, 3, 10, 10))]


def test_meetings_must_lie_within_the_session_and_not_overlap():
    """A meeting before the start, or overlapping the one before, is refused with its day."""
    start, end = local(2027, 3, 10, 9), local(2027, 3, 11, 17)
    check_meetings(parse_meetings("10/03/2027 09:00-12:00\n11/03/2027 09:00-17:00"), start, end)
    with pytest.raises(ScheduleError, match="10/03/2027 08:00 falls outside"):
        check_meetings(parse_meetings("10/03/2027 08:00-12:00"), start, end)
    with pytest.raises(ScheduleError, match="overlap"):
        check_meetings(parse_meetings("10/03/2027 09:00-12:00\n10/03/2027 11:00-13:00"), start, end)


def test_reminders_are_read_in_days_and_hours():
    """`7d, 1d` by default; `j` (jour) is a day; duplicates count once; the earliest first."""
    assert parse_reminders("7d, 1d") == [timedelta(days=7), timedelta(days=1)]
    assert parse_reminders("2h 1j;1d") == [timedelta(days=1), timedelta(hours=2)]
    assert parse_reminders("") == []
    for wrong in ("7 days", "0h", "90d", "1d,2d,3d,4d,5d,6d"):
        with pytest.raises(ScheduleError):
            parse_reminders(wrong)


def test_the_reminder_due_is_the_latest_whose_time_has_passed():
    """A week before, the 7-day reminder; a day before, the 1-day one (not both); none after
    the start."""
    starts = local(2027, 3, 10, 9)
    offsets = [timedelta(days=7), timedelta(days=1)]
    assert due_reminder(offsets, starts, starts - timedelta(days=8)) is None
    assert due_reminder(offsets, starts, starts - timedelta(days=6)) == timedelta(days=7)
    assert due_reminder(offsets, starts, starts - timedelta(hours=3)) == timedelta(days=1)
    assert due_reminder(offsets, starts, starts) is None


def test_tickets_are_read_back_as_typed_or_scanned():
    """Ten characters of the alphabet in two groups; case, spaces and dashes don't matter."""
    ticket = new_ticket()
    assert len(ticket) == 11 and ticket[5] == "-"
    assert all(character in ALPHABET for character in ticket.replace("-", ""))
    assert normalise_ticket(ticket.lower().replace("-", " ")) == ticket
    assert normalise_ticket(f" {ticket[:5]} – {ticket[6:]} ") == ticket
    for wrong in ("", "K7QMX-3TDH", "K7QMX-3TDHNN", "O7QMX-3TDHN", "JZ-7KQM-X3TD-HN9P"):
        assert normalise_ticket(wrong) is None
