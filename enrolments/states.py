"""The enrolment state machine: the statuses, which may follow which, who may make each change
and when. A pure table, tested without a database.

- A learner enrols (confirmed while seats remain, else waitlisted) and may cancel until the
  session starts.
- Seats freed go to the waiting list in arrival order (the system, until the session starts);
  an organiser may also promote a waitlisted learner by hand.
- Organisers cancel at any time; the system cancels everyone when a session is cancelled.
- Organisers record attendance per meeting (`attendance_status` says what it makes of the
  enrolment: attended once present at a meeting, no-show while only absences are recorded;
  either may be corrected) from the session's first day (learners are checked in at the door
  before a meeting starts; marking on a list waits for the meeting's start, see
  `enrolments.services.attendance`), and completion (final) once the session has ended, from
  confirmed or attended.

`check` says whether one change is allowed and why not; the services make every change through
`enrolments.services.transitions`, which asks it first.
"""

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from enrolments.errors import EnrolmentError
from jazari.time import CASABLANCA


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    COMPLETED = "completed", _("Completed")
    NO_SHOW = "no_show", _("No-show")


S = EnrolmentStatus

# Status groups: the one definition of each, used by the services, pages, emails and the API.
# Hold a seat: confirmed, and those whose attendance was recorded.
HOLDS_SEAT = frozenset({S.CONFIRMED, S.ATTENDED, S.COMPLETED, S.NO_SHOW})
# In the session: a seat, and not marked absent. They see its online link and its material.
ENROLLED = frozenset({S.CONFIRMED, S.ATTENDED, S.COMPLETED})
# Attended the session (completed includes it).
ATTENDED = frozenset({S.ATTENDED, S.COMPLETED})
# Awaiting the session: a seat or a place in line, nothing recorded yet. Shown in the learner's
# calendar feed and told of changes to the session.
AWAITING = frozenset({S.CONFIRMED, S.WAITLISTED})
# On the way through the course: a seat or attendance, not yet completed (learning paths).
IN_PROGRESS = frozenset({S.CONFIRMED, S.ATTENDED})


class Actor(StrEnum):
    """Who makes a change."""

    LEARNER = "learner"  # the enrolled learner, for themselves
    ORGANISER = "organiser"  # staff of the session's institute, administrators
    SYSTEM = "system"  # the services on their own: the waiting list, a cancelled session


class When(StrEnum):
    """When, relative to the session, a change may be made."""

    ANY_TIME = "any_time"
    BEFORE_START = "before_start"
    AFTER_START = "after_start"
    FIRST_DAY = "first_day"  # from midnight (Casablanca) of the day the session starts
    AFTER_END = "after_end"


@dataclass(frozen=True)
class Transition:
    source: EnrolmentStatus | None
    """None: the enrolment is being created."""
    target: EnrolmentStatus
    allowed: dict[Actor, When]
    """Who may make it, and when."""
    action: str
    """The audit log's action (`jazari.audit`), registered with its label in wagtail_hooks.py."""


def _transitions(*rows):
    return {(row.source, row.target): row for row in rows}


BEFORE, ANY, ENDED = When.BEFORE_START, When.ANY_TIME, When.AFTER_END
FIRST_DAY = When.FIRST_DAY
LEARNER, ORGANISER, SYSTEM = Actor.LEARNER, Actor.ORGANISER, Actor.SYSTEM

TRANSITIONS = _transitions(
    Transition(None, S.CONFIRMED, {LEARNER: BEFORE}, "jazari.enrolment.confirmed"),
    Transition(None, S.WAITLISTED, {LEARNER: BEFORE}, "jazari.enrolment.waitlisted"),
    Transition(
        S.WAITLISTED, S.CONFIRMED, {SYSTEM: BEFORE, ORGANISER: ANY}, "jazari.enrolment.promoted"
    ),
    Transition(
        S.CONFIRMED,
        S.CANCELLED,
        {LEARNER: BEFORE, ORGANISER: ANY, SYSTEM: ANY},
        "jazari.enrolment.cancelled",
    ),
    Transition(
        S.WAITLISTED,
        S.CANCELLED,
        {LEARNER: BEFORE, ORGANISER: ANY, SYSTEM: ANY},
        "jazari.enrolment.cancelled",
    ),
    Transition(S.CONFIRMED, S.ATTENDED, {ORGANISER: FIRST_DAY}, "jazari.enrolment.attended"),
    Transition(S.NO_SHOW, S.ATTENDED, {ORGANISER: FIRST_DAY}, "jazari.enrolment.attended"),
    Transition(S.CONFIRMED, S.NO_SHOW, {ORGANISER: FIRST_DAY}, "jazari.enrolment.no_show"),
    Transition(S.ATTENDED, S.NO_SHOW, {ORGANISER: FIRST_DAY}, "jazari.enrolment.no_show"),
    Transition(S.CONFIRMED, S.COMPLETED, {ORGANISER: ENDED}, "jazari.enrolment.completed"),
    Transition(S.ATTENDED, S.COMPLETED, {ORGANISER: ENDED}, "jazari.enrolment.completed"),
)

# Statuses organisers record about attendance (the admin's bulk actions).
ATTENDANCE = (S.ATTENDED, S.NO_SHOW, S.COMPLETED)


class TransitionRefused(EnrolmentError):
    """A change the table forbids."""


# What the refused are told when a change is not possible at this moment of the session.
TOO_EARLY_OR_LATE = {
    (S.CANCELLED, BEFORE): (
        _("The session has started: it is too late to cancel."),
        "session_started",
    ),
    (S.CONFIRMED, BEFORE): (_("This session has already started."), "session_started"),
    (S.WAITLISTED, BEFORE): (_("This session has already started."), "session_started"),
    (S.ATTENDED, FIRST_DAY): (
        _("Attendance can't be recorded before the session starts."),
        "session_not_started",
    ),
    (S.NO_SHOW, FIRST_DAY): (
        _("Attendance can't be recorded before the session starts."),
        "session_not_started",
    ),
    (S.COMPLETED, ENDED): (
        _("An enrolment can't be completed before the session ends."),
        "session_not_ended",
    ),
}


@dataclass(frozen=True)
class Moment:
    """Where `now` falls in a session's time: before it, during it, after it."""

    now: datetime
    starts_at: datetime
    ends_at: datetime

    @classmethod
    def of(cls, session, now: datetime) -> "Moment":
        """`now` for a session (anything with `starts_at` and `ends_at`)."""
        return cls(now=now, starts_at=session.starts_at, ends_at=session.ends_at)

    def satisfies(self, when: When) -> bool:
        if when == When.BEFORE_START:
            return self.now < self.starts_at
        if when == When.AFTER_START:
            return self.now >= self.starts_at
        if when == When.FIRST_DAY:
            return self.now >= first_day(self.starts_at)
        if when == When.AFTER_END:
            return self.now >= self.ends_at
        return True


def first_day(starts_at: datetime) -> datetime:
    """Midnight in Casablanca of the day a session starting at `starts_at` starts."""
    local = starts_at.astimezone(CASABLANCA)
    return datetime.combine(local.date(), time(0), tzinfo=CASABLANCA)


def attendance_status(present: int, absent: int) -> EnrolmentStatus:
    """What a seat holder's attendance makes of their enrolment: attended once present at a
    meeting, no-show while only absences are recorded, confirmed while nothing is."""
    if present:
        return S.ATTENDED
    if absent:
        return S.NO_SHOW
    return S.CONFIRMED


def check(
    source: EnrolmentStatus | None, target: EnrolmentStatus, actor: Actor, moment: Moment
) -> Transition:
    """The transition from `source` to `target` if `actor` may make it at `moment`, else
    `TransitionRefused` saying why."""
    transition = TRANSITIONS.get((source, target))
    if transition is None:
        raise _not_possible(source, target)
    when = transition.allowed.get(actor)
    if when is None:
        raise TransitionRefused(_("You may not make this change."), "not_allowed")
    if not moment.satisfies(when):
        message, code = TOO_EARLY_OR_LATE.get(
            (target, when), (_("This change is not possible at this time."), "wrong_time")
        )
        raise TransitionRefused(message, code)
    return transition


def can(
    source: EnrolmentStatus | None, target: EnrolmentStatus, actor: Actor, moment: Moment
) -> bool:
    """Whether `check` would allow it (for pages deciding which buttons to show)."""
    try:
        check(source, target, actor, moment)
    except TransitionRefused:
        return False
    return True


def _not_possible(source, target):
    if target == S.CANCELLED and source in ATTENDANCE:
        return TransitionRefused(
            _("Attendance has been recorded for this enrolment; it can't be cancelled."),
            "attendance_recorded",
        )
    if source is None:
        return TransitionRefused(_("An enrolment can't start this way."), "bad_transition")
    return TransitionRefused(
        _("A %(current)s enrolment can't be marked %(new)s.")
        % {"current": S(source).label.lower(), "new": S(target).label.lower()},
        "bad_transition",
    )
