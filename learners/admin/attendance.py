"""A session's attendance as the admin's session overview shows it: per meeting, every seat
holder's attendance (present or absent, the check-in time, who recorded it and how), and for
those who may act on the session a form per meeting, or why there is none yet.

The views that record a meeting's attendance and confirm completions are in `objects.py`;
`meeting_sections` builds what the overview shows in two queries (the meetings, the attendance
recorded), whatever the number of learners and meetings.
"""

from dataclasses import dataclass, field

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Meeting, SessionStatus
from enrolments.models import Attendance, EnrolmentStatus
from jazari.time import CASABLANCA, format_casablanca
from learners.admin.links import url_for

PRESENT, ABSENT = "present", "absent"


def meeting_label(meeting) -> str:
    """`10/03/2031 09:00–17:00` in Casablanca's time; both dates when it ends another day."""
    start = timezone.localtime(meeting.starts_at, CASABLANCA)
    end = timezone.localtime(meeting.ends_at, CASABLANCA)
    end_format = "%H:%M" if start.date() == end.date() else None
    return (
        f"{format_casablanca(meeting.starts_at)}–{format_casablanca(meeting.ends_at, end_format)}"
    )


@dataclass
class Row:
    """One seat holder at one meeting."""

    enrolment: object
    attendance: Attendance | None
    editable: bool

    @property
    def state(self) -> str:
        if self.attendance is None:
            return ""
        return PRESENT if self.attendance.present else ABSENT

    @property
    def checked_in_at(self) -> str:
        moment = self.attendance.checked_in_at if self.attendance else None
        return format_casablanca(moment, "%H:%M") if moment else ""


@dataclass
class MeetingSection:
    """One meeting of the overview: its rows, and its form or why there is none."""

    meeting: Meeting
    number: int
    label: str
    rows: list[Row] = field(default_factory=list)
    form_url: str = ""  # empty: no form
    closed_reason: str = ""
    sheet_url: str = ""

    @property
    def present(self) -> int:
        return sum(1 for row in self.rows if row.state == PRESENT)

    @property
    def absent(self) -> int:
        return sum(1 for row in self.rows if row.state == ABSENT)


def recorded_attendance(session_id) -> dict[tuple[int, int], Attendance]:
    """Every attendance recorded in the session by (enrolment, meeting), with who recorded
    it (`recorded_by_name`), in one query."""
    rows = (
        Attendance.objects.filter(meeting__session_id=session_id)
        .annotate(
            recorded_by_name=Coalesce(
                NullIf(F("recorded_by__profile__full_name"), Value("")),
                NullIf(F("recorded_by__first_name"), Value("")),
                F("recorded_by__username"),
                output_field=CharField(),
            )
        )
        .order_by()
    )
    return {(row.enrolment_id, row.meeting_id): row for row in rows}


def meeting_sections(session, holders, *, may_act: bool, now) -> list[MeetingSection]:
    """What the overview shows of each meeting of `session` for its seat `holders`; each
    holder gets `present_count`, the meetings they were present at."""
    meetings = list(Meeting.objects.filter(session_id=session.pk).order_by("starts_at", "pk"))
    recorded = recorded_attendance(session.pk)
    for holder in holders:
        holder.present_count = sum(
            1 for meeting in meetings if _present(recorded.get((holder.pk, meeting.pk)))
        )
    sections = []
    for number, meeting in enumerate(meetings, start=1):
        section = MeetingSection(meeting=meeting, number=number, label=meeting_label(meeting))
        open_for_recording = False
        if may_act:
            section.sheet_url = reverse("learners:sign_in_sheet", args=[session.pk, meeting.pk])
            if session.status == SessionStatus.CANCELLED:
                section.closed_reason = _("This session has been cancelled.")
            elif not meeting.has_started(now):
                section.closed_reason = _(
                    "Attendance can be recorded once the meeting has started, on %(start)s."
                ) % {"start": format_casablanca(meeting.starts_at)}
            else:
                open_for_recording = True
                section.form_url = url_for("meeting_attendance", session.pk, meeting.pk)
        section.rows = [
            Row(
                enrolment=holder,
                attendance=recorded.get((holder.pk, meeting.pk)),
                editable=open_for_recording and holder.status != EnrolmentStatus.COMPLETED,
            )
            for holder in holders
        ]
        sections.append(section)
    return sections


def _present(attendance) -> bool:
    return attendance is not None and attendance.present
