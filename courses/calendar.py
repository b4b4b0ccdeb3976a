"""Calendar files (iCalendar, RFC 5545) of sessions: one session, or a list of them (a feed).

Plain builders: who sees a session's online link, and whether the learner is still on the
waiting list, is for the caller to say (`Enrolment.online_link`, in `enrolments`). The course
page's link follows the request the file answers, if any (`jazari.addresses`). Times are
written in UTC; calendar applications show them in their user's time zone. The same session
always has the same UID, so a calendar that imports both the single file and the feed keeps one
event.
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
    """A VCALENDAR (METHOD:PUBLISH) with one VEVENT for the entry's session."""
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(session_event(entry, request=request))
    return calendar.to_ical()


def feed_calendar(
    entries: Iterable[Entry], name: str, *, request: HttpRequest | None = None
) -> bytes:
    """A VCALENDAR named `name` with one VEVENT per entry."""
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    for entry in entries:
        calendar.add_component(session_event(entry, request=request))
    return calendar.to_ical()


def _calendar():
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return calendar


def session_event(entry: Entry, *, request: HttpRequest | None = None) -> Event:
    session, link, waitlisted = entry.session, entry.online_link, entry.waitlisted
    course = session.course
    event = Event()
    event.add("uid", f"session-{session.pk}@jazari-skills")
    event.add("dtstamp", _utc(timezone.now()))
    event.add("dtstart", _utc(session.starts_at))
    event.add("dtend", _utc(session.ends_at))
    summary = course.title
    if waitlisted:
        summary = _("%(title)s (waiting list)") % {"title": course.title}
    event.add("summary", summary)

    location = _location(session, link)
    if location:
        event.add("location", location)

    course_url = page_url(course, request)
    lines = [course.summary.strip()] if course.summary else []
    if link:
        lines.append(_("Online link: %(url)s") % {"url": link})
    elif session.mode in ONLINE_MODES:
        lines.append(_("The online link is shown to confirmed learners on their dashboard."))
    if course_url:
        lines.append(_("Course page: %(url)s") % {"url": course_url})
        event.add("url", course_url)
    event.add("description", "\n\n".join(lines))

    if session.status == SessionStatus.CANCELLED:
        status = "CANCELLED"
    elif waitlisted:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    event.add("status", status)
    return event


def _utc(moment):
    """In UTC, to the second (iCalendar has no fractions of a second)."""
    return moment.astimezone(UTC).replace(microsecond=0)


def _location(session, link):
    """The venue's name and address in person and hybrid; the link (or "Online") online."""
    place = session.meeting_place
    if place is None:
        return link or _("Online")
    return ", ".join(part for part in (place.title, place.one_line_address) if part)
