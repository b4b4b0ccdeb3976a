"""The participant list of a session, on the day: for those who take its attendance.

Who takes a session's attendance is `courses.permissions.attendance_sessions`: its institute's
editors, administrators, and its trainers (an instructor linked to the user, listed on the
course, `taught_sessions`); programme managers, who only read, don't. The dashboard lists a
trainer's sessions ("Sessions I teach"); editors reach the list from the admin. Its users see
the participants' names, statuses and attendance, nothing else of them: no email address.

This module only reads, in a fixed number of queries whatever the number of participants;
check-in and attendance are recorded by `enrolments.services.checkin` and `.attendance`.
"""

from datetime import datetime, timedelta

from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from courses.models import Meeting
from courses.permissions import attendance_sessions, taught_sessions
from enrolments.models import Attendance, Enrolment
from enrolments.services.checkin import local_date, meeting_of_the_day
from enrolments.states import ENROLLED, EnrolmentStatus

# Sessions ended longer ago than this leave the dashboard (their page stays reachable).
RECENT = timedelta(days=30)


def dashboard_sessions(user, now):
    """The sessions `user` teaches that are coming, running or ended in the last 30 days."""
    return list(
        taught_sessions(user)
        .filter(ends_at__gte=now - RECENT)
        .select_related("course", "institute", "course__institute")
        .order_by("starts_at", "pk")
    )


def attendance_session(user, session_id):
    """One session whose attendance `user` takes, or None: anyone else gets nothing (a 404)."""
    return (
        attendance_sessions(user)
        .select_related("course", "institute", "course__institute")
        .filter(pk=session_id)
        .first()
    )


def meetings_of(session) -> list[Meeting]:
    return list(Meeting.objects.filter(session=session).order_by("starts_at", "pk"))


def chosen_meeting(meetings, meeting_id: int | None, now: datetime) -> Meeting | None:
    """The meeting asked for when it is one of `meetings`; else today's (`meeting_of_the_day`),
    else the latest to have started, else the first; None for a session without meetings."""
    by_id = {meeting.pk: meeting for meeting in meetings}
    if meeting_id in by_id:
        return by_id[meeting_id]
    today = meeting_of_the_day(meetings, now)
    if today is not None:
        return today
    started = [meeting for meeting in meetings if meeting.starts_at <= now]
    if started:
        return max(started, key=lambda meeting: (meeting.starts_at, meeting.pk))
    return meetings[0] if meetings else None


def todays_meetings(meetings, now: datetime) -> set[int]:
    """The ids of the meetings on today's date in Casablanca."""
    return {meeting.pk for meeting in meetings if local_date(meeting.starts_at) == local_date(now)}


def attendance_at(meeting) -> dict[int, Attendance]:
    """The attendance recorded at `meeting`, by enrolment id, in one query."""
    if meeting is None:
        return {}
    return {row.enrolment_id: row for row in Attendance.objects.filter(meeting=meeting)}


def participants(session):
    """The session's learners in one query: seats first (confirmed, attended, completed, then
    no-show) by name, then the waiting list in its order; cancelled enrolments left out."""
    rank = Case(
        When(status__in=ENROLLED, then=Value(0)),
        When(status=EnrolmentStatus.NO_SHOW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        Enrolment.objects.filter(session=session)
        .active()
        .with_waitlist_place()
        .annotate(
            rank=rank,
            participant_name=Coalesce(
                NullIf(F("learner__profile__full_name"), Value("")),
                NullIf(F("learner__first_name"), Value("")),
                Value(_("Name not given")),
                output_field=CharField(),
            ),
        )
        .order_by("rank", F("waitlist_place").asc(nulls_first=True), "participant_name", "pk")
    )
