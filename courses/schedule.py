"""A session's schedule: its meetings (the days or time slots learners attend) and its reminders.

Pure functions, tested without a database. Editors write both on the course page, with the
session (so they go through revisions and Jazari Root's approval like everything else):

- **Meetings**, one line each: the day, the start and the end in Casablanca's time, e.g.
  `10/03/2027 09:00-12:30` (or `2027-03-10 09:00-12:30`). Left empty, a session has one meeting
  per day from its first day to its last, from its start time to its end time: a one-day
  session has one meeting, a five-day bootcamp from 09:00 on Monday to 17:00 on Friday has five.
  A session ending at an earlier time of day than it starts (an overnight hackathon) has one
  meeting from its start to its end.
- **Reminders**, before the start: `7d, 1d` (the default) sends one a week before and one a day
  before; `2h` two hours before; empty, none.

`Session.meeting_slots()` reads the first, `Session.reminder_offsets()` the second; the
`Meeting` rows follow the slots (`courses.meetings.sync_meetings`).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from jazari.time import CASABLANCA, in_casablanca

# At most this many meetings per session (a year of daily meetings).
MAX_MEETINGS = 366
DEFAULT_REMINDERS = "7d, 1d"
# At most this many reminders per session, and no earlier than this before the start.
MAX_REMINDERS = 5
MAX_REMINDER_OFFSET = timedelta(days=60)


class ScheduleError(ValueError):
    """A line of the schedule that can't be read, or a meeting outside the session."""


@dataclass(frozen=True, order=True)
class Slot:
    """One meeting's start and end (aware datetimes)."""

    starts_at: datetime
    ends_at: datetime

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


# Meetings

_DAY = r"(?P<day>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2})"
_TIME = r"\d{1,2}[:h.]\d{2}"
_LINE = re.compile(
    rf"^{_DAY}\s*,?\s+(?P<start>{_TIME})\s*(?:-|–|—|to|à|→)\s*(?P<end>{_TIME})$", re.IGNORECASE
)


def _parse_day(text: str) -> date:
    if "/" in text:
        day, month, year = (int(part) for part in text.split("/"))
    else:
        year, month, day = (int(part) for part in text.split("-"))
    return date(year, month, day)


def _parse_time(text: str) -> time:
    hours, minutes = (int(part) for part in re.split(r"[:h.]", text, flags=re.IGNORECASE))
    return time(hours, minutes)


def parse_meetings(text: str) -> list[Slot]:
    """The meetings written one per line (`10/03/2027 09:00-12:30`), in order; `ScheduleError`
    naming the first line that can't be read. Blank lines are ignored."""
    slots = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _LINE.match(line)
        try:
            if match is None:
                raise ValueError(line)
            day = _parse_day(match["day"])
            start, end = _parse_time(match["start"]), _parse_time(match["end"])
        except ValueError:
            raise ScheduleError(
                _(
                    "Line %(line)s: write the day, the start and the end of the meeting, for "
                    "example 10/03/2027 09:00-12:30."
                )
                % {"line": number}
            ) from None
        slot = Slot(
            in_casablanca(datetime.combine(day, start)), in_casablanca(datetime.combine(day, end))
        )
        if slot.ends_at <= slot.starts_at:
            raise ScheduleError(
                _("Line %(line)s: the meeting must end after it starts.") % {"line": number}
            )
        slots.append(slot)
    if len(slots) > MAX_MEETINGS:
        raise ScheduleError(
            _("A session has at most %(count)s meetings.") % {"count": MAX_MEETINGS}
        )
    return sorted(slots)


def default_meetings(starts_at: datetime, ends_at: datetime) -> list[Slot]:
    """One meeting per day from the session's first day to its last, at its start and end times
    of day; one meeting for the whole session when it ends earlier in the day than it starts."""
    start, end = starts_at.astimezone(CASABLANCA), ends_at.astimezone(CASABLANCA)
    if start.date() == end.date() or end.timetz() <= start.timetz():
        return [Slot(starts_at, ends_at)]
    days = (end.date() - start.date()).days + 1
    if days > MAX_MEETINGS:
        return [Slot(starts_at, ends_at)]
    return [
        Slot(
            in_casablanca(datetime.combine(start.date() + timedelta(days=n), start.time())),
            in_casablanca(datetime.combine(start.date() + timedelta(days=n), end.time())),
        )
        for n in range(days)
    ]


def check_meetings(slots: list[Slot], starts_at: datetime, ends_at: datetime) -> None:
    """`ScheduleError` if a meeting falls outside the session or overlaps the one before."""
    for slot in slots:
        if slot.starts_at < starts_at or slot.ends_at > ends_at:
            raise ScheduleError(
                _("The meeting of %(day)s falls outside the session's start and end.")
                % {"day": slot.starts_at.astimezone(CASABLANCA).strftime("%d/%m/%Y %H:%M")}
            )
    for before, after in zip(slots, slots[1:], strict=False):
        if after.starts_at < before.ends_at:
            raise ScheduleError(
                _("The meetings of %(first)s and %(second)s overlap.")
                % {
                    "first": before.starts_at.astimezone(CASABLANCA).strftime("%d/%m/%Y %H:%M"),
                    "second": after.starts_at.astimezone(CASABLANCA).strftime("%d/%m/%Y %H:%M"),
                }
            )


def format_meetings(slots: list[Slot]) -> str:
    """The slots written back as the schedule field reads them, one per line."""
    return "\n".join(
        f"{slot.starts_at.astimezone(CASABLANCA):%d/%m/%Y %H:%M}-"
        f"{slot.ends_at.astimezone(CASABLANCA):%H:%M}"
        for slot in slots
    )


# Reminders

_OFFSET = re.compile(r"^(?P<amount>\d{1,4})\s*(?P<unit>d|j|h)$", re.IGNORECASE)
_UNITS = {"d": "days", "j": "days", "h": "hours"}


def parse_reminders(text: str) -> list[timedelta]:
    """`7d, 1d` → [7 days, 1 day], the earliest first; `ScheduleError` naming what can't be read.

    `d` (or `j`, jour) is days, `h` hours; commas or spaces separate them; empty is none.
    """
    offsets = set()
    for part in re.split(r"[,;\s]+", (text or "").strip()):
        if not part:
            continue
        match = _OFFSET.match(part)
        if match is None:
            raise ScheduleError(
                _(
                    "“%(part)s” is not a reminder: write how long before the start, in days (d) "
                    "or hours (h), for example 7d, 1d, 2h."
                )
                % {"part": part[:20]}
            )
        offset = timedelta(**{_UNITS[match["unit"].lower()]: int(match["amount"])})
        if not timedelta(0) < offset <= MAX_REMINDER_OFFSET:
            raise ScheduleError(
                _("A reminder is sent between one hour and %(days)s days before the start.")
                % {"days": MAX_REMINDER_OFFSET.days}
            )
        offsets.add(offset)
    if len(offsets) > MAX_REMINDERS:
        raise ScheduleError(
            _("A session has at most %(count)s reminders.") % {"count": MAX_REMINDERS}
        )
    return sorted(offsets, reverse=True)


def due_reminder(offsets: list[timedelta], starts_at: datetime, now: datetime):
    """The reminder due at `now` for a session starting at `starts_at`: the offset of the
    latest reminder time that has passed (so one missed while beat was down is not sent on top
    of a later one), or None before the first and once the session has started."""
    if now >= starts_at:
        return None
    passed = [offset for offset in offsets if starts_at - offset <= now]
    return min(passed) if passed else None
