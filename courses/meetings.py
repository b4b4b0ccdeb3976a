"""The `Meeting` rows of a session follow its schedule (`courses.schedule`).

`sync_meetings` runs whenever a session is saved (`courses.signals`): when its course is
published, in tests; `sync_many` does the same for sessions written in bulk (the demo data,
migrations), in a few queries. Meetings are matched by their start: a meeting whose end moved is
updated, one no longer in the schedule deleted, a new one created. A meeting at which attendance
was recorded is never deleted (the attendance protects it in the database): it stays, and the
log says so; the course form refuses such a schedule beforehand with a message
(`enrolments.extensions`).
"""

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import ProtectedError

from courses.models import Meeting, Session
from courses.schedule import ScheduleError

logger = logging.getLogger("jazari.courses")


def sync_meetings(session: Session) -> None:
    """Bring one session's meetings in line with its schedule."""
    sync_many([session])


def sync_many(sessions) -> None:
    """Bring the meetings of `sessions` in line with their schedules, in bulk.

    A schedule that can't be read (saved without the form's checks) leaves that session's
    meetings as they are.
    """
    sessions = [session for session in sessions if session.pk]
    existing = defaultdict(dict)
    for meeting in Meeting.objects.filter(session__in=[s.pk for s in sessions]):
        existing[meeting.session_id][meeting.starts_at] = meeting
    new, changed, stale = [], [], []
    for session in sessions:
        try:
            slots = session.meeting_slots()
        except ScheduleError:
            logger.warning("session %s: schedule unreadable, meetings kept", session.pk)
            continue
        have = existing[session.pk]
        wanted = {slot.starts_at: slot for slot in slots}
        stale.extend(meeting for start, meeting in have.items() if start not in wanted)
        for start, slot in wanted.items():
            meeting = have.get(start)
            if meeting is None:
                new.append(Meeting(session=session, starts_at=start, ends_at=slot.ends_at))
            elif meeting.ends_at != slot.ends_at:
                meeting.ends_at = slot.ends_at
                changed.append(meeting)
    for meeting in stale:
        try:
            with transaction.atomic():
                meeting.delete()
        except ProtectedError:
            logger.warning(
                "session %s: meeting %s has attendance recorded, kept",
                meeting.session_id,
                meeting.pk,
            )
    Meeting.objects.bulk_update(changed, ["ends_at"])
    Meeting.objects.bulk_create(new)
