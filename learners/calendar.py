"""Calendar files (iCalendar, RFC 5545): one session, and a learner's private feed.

The online link of a session is for its confirmed learners only, so it goes into an event only
when the calendar is made for such a learner. Times are written in UTC; calendar applications
show them in their user's time zone. The same session always has the same UID, so a calendar
that imports both the single file and the feed keeps one event.
"""

from datetime import UTC

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from learners.models import Enrolment, EnrolmentStatus

PRODID = "-//Jazari Skills//Jazari Skills//EN"

# Enrolments that see the session's online link.
LINK_STATUSES = (
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.ATTENDED,
    EnrolmentStatus.COMPLETED,
)
# Enrolments shown in the learner's feed.
FEED_STATUSES = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED)


def session_ics(session, *, for_user=None) -> bytes:
    """A VCALENDAR with one VEVENT for `session`.

    The online link is included only when `for_user` holds a confirmed (or attended, completed)
    enrolment in the session. Costs one query when `for_user` is given.
    """
    show_link = bool(
        session.online_url
        and for_user is not None
        and for_user.is_authenticated
        and Enrolment.objects.filter(
            session_id=session.pk, learner_id=for_user.pk, status__in=LINK_STATUSES
        ).exists()
    )
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(_event(session, show_link=show_link))
    return calendar.to_ical()


def learner_feed_ics(user) -> bytes:
    """A VCALENDAR of `user`'s active enrolments: confirmed, and waitlisted ("waiting list")."""
    enrolments = (
        Enrolment.objects.filter(learner_id=user.pk, status__in=FEED_STATUSES)
        .select_related("session__course__institute", "session__institute")
        .order_by("session__starts_at", "pk")
    )
    calendar = _calendar()
    calendar.add("x-wr-calname", _("Jazari Skills: my sessions"))
    for enrolment in enrolments:
        waitlisted = enrolment.status == EnrolmentStatus.WAITLISTED
        calendar.add_component(
            _event(enrolment.session, show_link=not waitlisted, waitlisted=waitlisted)
        )
    return calendar.to_ical()


def _calendar():
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return calendar


def _event(session, *, show_link, waitlisted=False):
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

    link = session.online_url if show_link and session.mode != "in_person" else ""
    location = _location(session, link)
    if location:
        event.add("location", location)

    course_url = course_full_url(course)
    lines = [course.summary.strip()] if course.summary else []
    if link:
        lines.append(_("Online link: %(url)s") % {"url": link})
    elif session.mode != "in_person":
        lines.append(_("The online link is shown to confirmed learners on their dashboard."))
    if course_url:
        lines.append(_("Course page: %(url)s") % {"url": course_url})
        event.add("url", course_url)
    event.add("description", "\n\n".join(lines))

    cancelled = session.status == "cancelled"
    event.add(
        "status", "CANCELLED" if cancelled else "CONFIRMED" if not waitlisted else "TENTATIVE"
    )
    return event


def _utc(moment):
    """In UTC, to the second (iCalendar has no fractions of a second)."""
    return moment.astimezone(UTC).replace(microsecond=0)


def _location(session, link):
    """The venue's name and address in person and hybrid; the link (or "Online") online."""
    if session.mode == "online":
        return link or _("Online")
    venue = session.institute or session.course.institute
    if venue is None:
        return link
    parts = [venue.title]
    address = ", ".join(line.strip() for line in (venue.address or "").splitlines() if line.strip())
    if address:
        parts.append(address)
    if venue.city and venue.city not in address:
        parts.append(venue.city)
    return ", ".join(parts)


def course_full_url(course):
    """The course page's absolute URL, on the site's public address."""
    url = course.get_url()
    if url and url.startswith("/"):
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url or ""
