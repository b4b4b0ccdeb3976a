"""Calendar files (iCalendar, RFC 5545) of sessions: one session, or a list of them (a feed).

Plain builders: who sees a session's online link, and whether the learner is still on the
waiting list, is for the caller to say (`Enrolment.online_link`, in `enrolments`). The course
page's link follows the request the file answers, if any (`jazari.addresses`). Times are
written in UTC; calendar applications show them in their user's time zone.

A session is one VEVENT per meeting (`Session.meetings`; prefetch them for a list). The same
meeting always has the same UID, so a calendar that imports both the single file and the feed
keeps one event: the session's first meeting has the session's UID
(`session-<id>@jazari-skills`, the one every session had before it had meetings, so a
one-meeting session's existing events are updated, not duplicated, and so are those of a session
given more meetings later), each other meeting `session-<id>-meeting-<id>@jazari-skills`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from courses.models import ONLINE_MODES, Session, SessionStatus
from jazari.addresses import page_url

PRODID = "-//Jazari Skills//Jazari Skills//EN"


@dataclass(frozen=True)
class Entry:
    """One session as a learner sees it: with its link, or waiting for a seat."""

    session: Session
    online_link: str = ""
    waitlisted: bool = False


def session_calendar(entry: Entry, *, request: HttpRequest | None = None) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH) with one VEVENT per meeting of the entry's session."""
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    for event in session_events(entry, request=request):
        calendar.add_component(event)
    return calendar.to_ical()


def feed_calendar(
    entries: Iterable[Entry], name: str, *, request: HttpRequest | None = None
) -> bytes:
    """A VCALENDAR named `name` with one VEVENT per meeting of each entry's session."""
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    for entry in entries:
        for event in session_events(entry, request=request):
            calendar.add_component(event)
    return calendar.to_ical()


def _calendar():
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return calendar


def session_uid(session) -> str:
    return f"session-{session.pk}@jazari-skills"


def meeting_uid(session, meeting) -> str:
    return f"session-{session.pk}-meeting-{meeting.pk}@jazari-skills"


def session_events(entry: Entry, *, request: HttpRequest | None = None) -> list[Event]:
    """The VEVENTs of the entry's session: one per meeting (numbered "1/3" in the summary when
    there are several), or one for the whole session if it has none."""
    session = entry.session
    meetings = list(session.meetings.all())
    common = _common(entry, request)
    if len(meetings) <= 1:
        slot = meetings[0] if meetings else session
        return [_event(common, session_uid(session), slot, common["summary"])]
    return [
        _event(
            common,
            session_uid(session) if number == 1 else meeting_uid(session, meeting),
            meeting,
            _("%(title)s (%(number)s/%(count)s)")
            % {"title": common["summary"], "number": number, "count": len(meetings)},
        )
        for number, meeting in enumerate(meetings, start=1)
    ]


def _common(entry: Entry, request) -> dict:
    """What every event of the entry's session says: summary, place, description, status."""
    session, link, waitlisted = entry.session, entry.online_link, entry.waitlisted
    course = session.course
    text = getattr(course, "text", course)  # in the reader's language, given by `with_text`
    summary = text.title
    if waitlisted:
        summary = _("%(title)s (waiting list)") % {"title": text.title}

    course_url = page_url(course, request)
    lines = [text.summary.strip()] if text.summary else []
    if link:
        lines.append(_("Online link: %(url)s") % {"url": link})
    elif session.mode in ONLINE_MODES:
        lines.append(_("The online link is shown to confirmed learners on their dashboard."))
    if course_url:
        lines.append(_("Course page: %(url)s") % {"url": course_url})

    if session.status == SessionStatus.CANCELLED:
        status = "CANCELLED"
    elif waitlisted:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    return {
        "summary": summary,
        "location": _location(session, link),
        "url": course_url,
        "description": "\n\n".join(lines),
        "status": status,
        "stamp": _utc(timezone.now()),
    }


def _event(common: dict, uid: str, slot, summary: str) -> Event:
    """One VEVENT from `slot`'s start to its end (a meeting, or the session)."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", common["stamp"])
    event.add("dtstart", _utc(slot.starts_at))
    event.add("dtend", _utc(slot.ends_at))
    event.add("summary", summary)
    if common["location"]:
        event.add("location", common["location"])
    if common["url"]:
        event.add("url", common["url"])
    event.add("description", common["description"])
    event.add("status", common["status"])
    return event


def _utc(moment):
    """In UTC, to the second (iCalendar has no fractions of a second)."""
    return moment.astimezone(UTC).replace(microsecond=0)


def _location(session, link):
    """The venue's name and address in person and hybrid; the link (or "Online") online."""
    place = session.meeting_place
    if place is None:
        return link or _("Online")
    text = getattr(place, "text", place)
    return ", ".join(part for part in (text.title, text.one_line_address) if part)
