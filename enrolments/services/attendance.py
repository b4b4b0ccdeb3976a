"""Attendance, per meeting, and completion.

- `record`: one learner present or absent at one meeting, by check-in, on a participant list or
  in the admin. The enrolment's status follows (`enrolments.states.attendance_status`): attended
  once present at a meeting, no-show while only absences are recorded.
- `mark`: the admin's per-enrolment actions: present (attended) or absent (no-show) at every
  meeting that has started, or completed (final, once the session has ended).

When attendance may be recorded:

- on a participant list or in the admin, once the meeting has started, never before;
- by check-in (`method=CHECK_IN`), on the meeting's day: learners arrive before it starts
  (`enrolments.services.checkin` decides which meeting a ticket is checked in at);
- for a learner holding a seat (confirmed, attended, no-show), in a session not cancelled, until
  their enrolment is completed.

Every change is made under the session's lock, like every other change to an enrolment, and
leaves an audit entry on the enrolment (`jazari.attendance.present`, `.absent`).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Meeting, Session, SessionStatus
from enrolments.errors import EnrolmentError
from enrolments.models import Attendance, AttendanceMethod, Enrolment
from enrolments.services import transitions
from enrolments.services.locking import lock_session
from enrolments.states import (
    ATTENDANCE,
    HOLDS_SEAT,
    Actor,
    EnrolmentStatus,
    attendance_status,
    first_day,
)
from jazari import audit

S = EnrolmentStatus


def record(
    enrolment_id: int,
    meeting_id: int,
    present: bool,
    *,
    actor,
    method: AttendanceMethod | str = AttendanceMethod.LIST,
    now: datetime | None = None,
) -> Attendance:
    """Record the learner of `enrolment_id` present (or absent) at `meeting_id`.

    Recording the same again changes nothing; recording the other changes it (a correction).
    `EnrolmentError` says why not: the meeting is not the session's, it has not started, the
    learner holds no seat, the session is cancelled, completion is recorded already.
    """
    now = now or timezone.now()
    with transaction.atomic():
        enrolment, session = _lock(enrolment_id)
        meeting = Meeting.objects.filter(pk=meeting_id, session_id=session.pk).first()
        if meeting is None:
            raise EnrolmentError(_("This meeting is not one of the session's."), "wrong_meeting")
        check_may_record(enrolment, session, meeting, method, now)
        attendance = _write(enrolment, meeting, present, actor=actor, method=method, now=now)
        _follow(enrolment, session, actor=actor, now=now)
    return attendance


def mark(
    enrolment_id: int, status: EnrolmentStatus | str, *, actor, now: datetime | None = None
) -> Enrolment:
    """Present (`attended`) or absent (`no_show`) at every meeting that has started, or
    `completed` once the session has ended; marking it again changes nothing.

    Only learners holding a seat can be marked; completed is final.
    """
    if status not in ATTENDANCE:
        raise EnrolmentError(_("Unknown attendance status."), "bad_status")
    now = now or timezone.now()
    with transaction.atomic():
        enrolment, session = _lock(enrolment_id)
        if enrolment.status == status:
            return enrolment
        if status == S.COMPLETED:
            transitions.move(
                enrolment, S.COMPLETED, actor=Actor.ORGANISER, user=actor, now=now, session=session
            )
            return enrolment
        started = list(session.meetings.filter(starts_at__lte=now).order_by("starts_at"))
        if not started:
            raise EnrolmentError(
                _("Attendance can't be recorded before the session starts."),
                "session_not_started",
            )
        for meeting in started:
            check_may_record(enrolment, session, meeting, AttendanceMethod.ADMIN, now)
            _write(
                enrolment,
                meeting,
                status == S.ATTENDED,
                actor=actor,
                method=AttendanceMethod.ADMIN,
                now=now,
            )
        _follow(enrolment, session, actor=actor, now=now)
    return enrolment


def check_may_record(
    enrolment: Enrolment, session: Session, meeting: Meeting, method: str, now: datetime
) -> None:
    """`EnrolmentError` if attendance at `meeting` can't be recorded now by way of `method`."""
    check_holds_seat(enrolment, session)
    if method == AttendanceMethod.CHECK_IN:
        if now < first_day(meeting.starts_at):
            raise EnrolmentError(_("This meeting is not today."), "not_today")
    elif now < meeting.starts_at:
        raise EnrolmentError(
            _("Attendance can't be recorded before the meeting starts."), "meeting_not_started"
        )


def check_holds_seat(enrolment: Enrolment, session: Session) -> None:
    """`EnrolmentError` unless the learner holds a seat in a session not cancelled, their
    attendance still open (not completed): who may be marked present or absent at all."""
    if session.status == SessionStatus.CANCELLED:
        raise EnrolmentError(_("This session has been cancelled."), "session_cancelled")
    if enrolment.status == S.COMPLETED:
        raise EnrolmentError(
            _("This enrolment is completed: its attendance can't change any more."), "completed"
        )
    if enrolment.status == S.WAITLISTED:
        raise EnrolmentError(
            _("This learner is on the waiting list, without a seat."), "not_in_seat"
        )
    if enrolment.status not in HOLDS_SEAT:
        raise EnrolmentError(_("This enrolment is cancelled."), "cancelled")


def _lock(enrolment_id: int) -> tuple[Enrolment, Session]:
    """The enrolment and its session, the session locked (call inside a transaction)."""
    session_id = (
        Enrolment.objects.filter(pk=enrolment_id).values_list("session_id", flat=True).first()
    )
    if session_id is None:
        raise EnrolmentError(_("No such enrolment."), "not_found")
    session = lock_session(session_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    enrolment.session = session
    return enrolment, session


def _write(enrolment, meeting, present: bool, *, actor, method, now) -> Attendance:
    """Create or correct the attendance row, with its audit entry; unchanged if the same."""
    attendance = Attendance.objects.filter(enrolment=enrolment, meeting=meeting).first()
    if attendance is not None and attendance.present == present:
        return attendance
    checked_in_at = now if method == AttendanceMethod.CHECK_IN and present else None
    recorded_by = actor if actor is not None and actor.is_authenticated else None
    if attendance is None:
        attendance = Attendance.objects.create(
            enrolment=enrolment,
            meeting=meeting,
            present=present,
            checked_in_at=checked_in_at,
            recorded_at=now,
            recorded_by=recorded_by,
            method=method,
        )
    else:
        attendance.present = present
        attendance.checked_in_at = checked_in_at
        attendance.recorded_at = now
        attendance.recorded_by = recorded_by
        attendance.method = method
        attendance.save()
    audit.record(
        enrolment,
        "jazari.attendance.present" if present else "jazari.attendance.absent",
        actor=recorded_by,
        meeting=meeting.pk,
        method=str(method),
    )
    return attendance


def _follow(enrolment: Enrolment, session: Session, *, actor, now) -> None:
    """The enrolment's status follows its attendance (`attendance_status`)."""
    counts = Attendance.objects.filter(enrolment=enrolment).aggregate(
        times_present=Count("pk", filter=Q(present=True)),
        times_absent=Count("pk", filter=Q(present=False)),
    )
    target = attendance_status(counts["times_present"], counts["times_absent"])
    if target != enrolment.status:
        transitions.move(
            enrolment, target, actor=Actor.ORGANISER, user=actor, now=now, session=session
        )


def attended_meetings(enrolment_ids) -> dict[int, list[Meeting]]:
    """The meetings each enrolment was present at, in order, in one query."""
    result: dict[int, list[Meeting]] = {pk: [] for pk in enrolment_ids}
    rows = (
        Attendance.objects.filter(enrolment_id__in=list(result), present=True)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )
    for attendance in rows:
        result[attendance.enrolment_id].append(attendance.meeting)
    return result
