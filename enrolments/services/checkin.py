"""Check-in: a learner's ticket scanned or typed at the door, by staff of the session's institute
or its trainer, on the participant list page or through `POST /api/v1/checkin/`.

`check_in` finds the enrolment by its ticket, checks that the staff member takes the session's
attendance (`courses.permissions.can_take_attendance`), picks the meeting of the day
(`meeting_of_the_day`) and records the learner present at it
(`enrolments.services.attendance.record`, by way of `CHECK_IN`). It refuses, in this order and
with a `CheckInRefused` saying why in words staff read at the door:

- `unknown_ticket`: no enrolment has this code (`UnknownTicket`; the API answers 404);
- `not_allowed`: the staff member takes no attendance of the ticket's session (`NotAllowed`;
  403), asked before anything about the ticket is told;
- `other_session`: the ticket is for another session than the one at hand;
- `session_cancelled`, `cancelled`, `not_in_seat` (waitlisted), `completed`;
- `not_today`: the session has no meeting today (Casablanca's date);
- `already_checked_in`: present at that meeting already, "at 09:02".
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from courses.models import Meeting, Session
from courses.permissions import attendance_sessions, can_take_attendance
from enrolments.errors import EnrolmentError
from enrolments.models import Attendance, AttendanceMethod, Enrolment
from enrolments.services.attendance import check_holds_seat, record
from enrolments.services.locking import lock_session
from enrolments.states import EnrolmentStatus
from enrolments.tickets import normalise_ticket
from jazari import people
from jazari.time import CASABLANCA

S = EnrolmentStatus


class CheckInRefused(EnrolmentError):
    """A ticket that can't be checked in now, and why. `learner_name` is set when the staff
    member may know whose ticket it is."""

    def __init__(self, message, code: str, *, learner_name: str = ""):
        super().__init__(message, code)
        self.learner_name = learner_name


class UnknownTicket(CheckInRefused):
    """No enrolment has this code."""


class NotAllowed(CheckInRefused):
    """The staff member takes no attendance of the ticket's session."""


@dataclass(frozen=True)
class CheckIn:
    """A learner checked in: who, at which session and meeting, when."""

    enrolment_id: int
    learner_name: str
    session: Session
    meeting: Meeting
    checked_in_at: datetime


def local_date(moment: datetime):
    """The date in Casablanca of an aware datetime."""
    return moment.astimezone(CASABLANCA).date()


def meeting_of_the_day(meetings, now: datetime) -> Meeting | None:
    """Of `meetings`, the one a learner arriving at `now` is checked in at: among those on
    today's date in Casablanca, the one in progress, else the next one to start, else the last
    one to have ended; None when none is today."""
    today = [m for m in meetings if local_date(m.starts_at) == local_date(now)]
    if not today:
        return None
    today.sort(key=lambda m: (m.starts_at, m.pk))
    for meeting in today:
        if meeting.starts_at <= now < meeting.ends_at:
            return meeting
    coming = [m for m in today if m.starts_at > now]
    return coming[0] if coming else today[-1]


def _time(moment: datetime) -> str:
    return formats.time_format(timezone.localtime(moment, CASABLANCA), "H:i")


def _day(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment, CASABLANCA), "l j F Y")


def _not_today(meetings, now) -> CheckInRefused:
    coming = [m for m in meetings if m.starts_at > now]
    if coming:
        message = _("Not today: this session's next meeting is on %(day)s.") % {
            "day": _day(min(m.starts_at for m in coming))
        }
    else:
        message = _("Not today: this session's meetings are over.")
    return CheckInRefused(message, "not_today")


def _refuse_status(enrolment: Enrolment, session: Session, name: str) -> None:
    """`CheckInRefused` when the enrolment or its session can't be checked in at all (the
    attendance rule, `check_holds_seat`), naming the learner."""
    try:
        check_holds_seat(enrolment, session)
    except EnrolmentError as error:
        raise CheckInRefused(error.message, error.code, learner_name=name) from None


def _already(attendance: Attendance, name: str) -> CheckInRefused:
    if attendance.checked_in_at:
        message = _("Already checked in at %(time)s.") % {"time": _time(attendance.checked_in_at)}
    else:
        message = _("Already marked present at %(time)s.") % {"time": _time(attendance.recorded_at)}
    return CheckInRefused(message, "already_checked_in", learner_name=name)


def check_in(
    ticket_text, *, staff, session_id: int | None = None, now: datetime | None = None
) -> CheckIn:
    """Check the learner holding the ticket `ticket_text` in at their session's meeting of the
    day, for `staff`; with `session_id`, only a ticket of that session. `CheckInRefused` (or
    its subclasses `UnknownTicket`, `NotAllowed`) says why not."""
    now = now or timezone.now()
    # Someone who takes no attendance anywhere learns nothing about tickets, not even which
    # codes exist.
    if not attendance_sessions(staff).exists():
        raise NotAllowed(_("You don't take attendance of any session."), "not_allowed")
    code = normalise_ticket(ticket_text)
    enrolment = (
        Enrolment.objects.select_related("session__course", "learner").filter(ticket=code).first()
        if code
        else None
    )
    if enrolment is None:
        raise UnknownTicket(_("No ticket has this code."), "unknown_ticket")
    session = enrolment.session
    if not can_take_attendance(staff, session):
        raise NotAllowed(
            _("This ticket is for a session whose attendance you don't take."), "not_allowed"
        )
    name = people.describe(enrolment.learner).name or _("Name not given")
    if session_id is not None and session.pk != session_id:
        raise CheckInRefused(
            _("Other session: this ticket is for %(course)s, %(day)s.")
            % {"course": session.course.title, "day": _day(session.starts_at)},
            "other_session",
            learner_name=name,
        )
    _refuse_status(enrolment, session, name)
    meetings = list(session.meetings.all())
    meeting = meeting_of_the_day(meetings, now)
    if meeting is None:
        refusal = _not_today(meetings, now)
        refusal.learner_name = name
        raise refusal
    with transaction.atomic():
        lock_session(session.pk)  # two scanners at two doors: one checks in, one is told
        attendance = Attendance.objects.filter(enrolment=enrolment, meeting=meeting).first()
        if attendance is not None and attendance.present:
            raise _already(attendance, name)
        try:
            attendance = record(
                enrolment.pk,
                meeting.pk,
                True,
                actor=staff,
                method=AttendanceMethod.CHECK_IN,
                now=now,
            )
        except EnrolmentError as error:
            raise CheckInRefused(error.message, error.code, learner_name=name) from error
    return CheckIn(
        enrolment_id=enrolment.pk,
        learner_name=name,
        session=session,
        meeting=meeting,
        checked_in_at=attendance.checked_in_at or now,
    )
