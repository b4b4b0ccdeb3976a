"""Demo attendance: the meetings of past sessions at which demo learners were present or absent.

Past demo enrolments are written directly with their final status (`demo.enrolments`); their
attendance is written here to match, as `enrolments.services.attendance` would have left it:

- completed: present at every meeting, or all but one of four or more (still 75 %);
- attended (not completed): present at the only meeting of a one-day session (the editors'
  admin then proposes them for completion), at about half of a longer one's (below the rule);
- no-show: absent at every meeting.

In person and hybrid, a learner's first presence was a check-in at the door a few minutes before
the meeting; the rest were marked on the participant list. Like the enrolments, it is a pure
function of the rows and a fixed seed.
"""

import math
import random
from datetime import timedelta

from courses.models import Meeting, SessionMode
from demo.plan import SEED
from enrolments.models import Attendance, AttendanceMethod, EnrolmentStatus

BATCH_SIZE = 1000


def presences(status: str, meetings: int, rng: random.Random) -> list[bool]:
    """Present (True) or absent at each of `meetings` meetings, for an enrolment of `status`."""
    if status == EnrolmentStatus.NO_SHOW:
        return [False] * meetings
    if status == EnrolmentStatus.COMPLETED:
        marks = [True] * meetings
        if meetings >= 4:
            marks[rng.randrange(meetings)] = False
        return marks
    if meetings == 1:
        return [True]
    present = max(1, math.ceil(meetings / 2) - (1 if meetings % 2 else 0))
    marks = [True] * present + [False] * (meetings - present)
    rng.shuffle(marks)
    if not any(marks[:1]):  # a learner who came at all came on the first day
        first = marks.index(True)
        marks[0], marks[first] = True, False
    return marks


def write_attendance(enrolments, sessions_by_id) -> int:
    """Attendance rows for the past `enrolments` (just written) that recorded any; how many."""
    recorded = [
        e
        for e in enrolments
        if e.status
        in (EnrolmentStatus.ATTENDED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NO_SHOW)
    ]
    meetings = {}
    for meeting in Meeting.objects.filter(session_id__in={e.session_id for e in recorded}).order_by(
        "starts_at", "pk"
    ):
        meetings.setdefault(meeting.session_id, []).append(meeting)
    rows = []
    for enrolment in recorded:
        session = sessions_by_id[enrolment.session_id]
        slots = meetings.get(enrolment.session_id, [])
        rng = random.Random(f"{SEED}:attendance:{enrolment.session_id}:{enrolment.learner_id}")
        checked_in = session.mode != SessionMode.ONLINE
        for meeting, present in zip(
            slots, presences(enrolment.status, len(slots), rng), strict=True
        ):
            at_door = present and checked_in
            checked_in = checked_in and not at_door  # once, at the first presence
            arrival = meeting.starts_at - timedelta(minutes=rng.randint(2, 25))
            rows.append(
                Attendance(
                    enrolment_id=enrolment.pk,
                    meeting=meeting,
                    present=present,
                    checked_in_at=arrival if at_door else None,
                    recorded_at=arrival if at_door else meeting.starts_at + timedelta(minutes=15),
                    method=AttendanceMethod.CHECK_IN if at_door else AttendanceMethod.LIST,
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return len(rows)
