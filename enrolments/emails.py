"""The emails learners receive, one per notification kind, in the learner's language.

Each kind has three templates under `learners/templates/enrolments/emails/`:
`<kind>_subject.txt`, `<kind>.txt` and `<kind>.html`, which extend the shared `base.txt`
and `base.html`. Dates are shown in Morocco's time (Africa/Casablanca); links are absolute,
on the site's public base URL (`jazari.addresses`: emails are sent by tasks, outside any
request), under the learner's language prefix. The course, its organiser and the venue are
named in the learner's language where an editor translated them, else in their original
language (`jazari.i18n.with_text`; the HTML marks such text with its own `lang` and `dir`).
A confirmed seat comes with
the session's calendar file and the learner's ticket: its code in the text, its QR code in the
HTML as a PNG attached inline (`cid:`, in a `multipart/related` part beside the HTML), since
mail clients show neither SVG nor `data:` images reliably.

Kinds whose email speaks of something an app above knows (a certificate, a feedback link) get
their template variables from that app, through `email_context` (a function called with the
notification, in the learner's language, returning a dict: empty for kinds it doesn't know),
and may say they are no longer owed through `email_obsolete` (returning a reason or None).
Their templates live in that app, under the same names.

`send_notification_email` is called by the `send_notification` task only.
"""

import email.policy
import logging
from dataclasses import dataclass
from datetime import datetime
from email.message import MIMEPart

from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext

from courses.calendar import Entry, session_calendar
from courses.models import SessionStatus
from enrolments.models import EnrolmentStatus, NotificationKind
from enrolments.states import AWAITING
from enrolments.tickets import ticket_qr_png
from jazari import people
from jazari.addresses import absolute_url, page_url
from jazari.i18n import localize_path, with_text
from jazari.registry import ContextRegistry, Registry
from jazari.time import CASABLANCA

logger = logging.getLogger("jazari.notifications")

# What the apps above add to an email's template variables, and their reasons not to send it.
email_context = ContextRegistry("notification email")
email_obsolete = Registry("reasons a notification is no longer owed")

# Kinds whose email carries the session's calendar file (for a learner holding a seat).
WITH_CALENDAR = {
    NotificationKind.CONFIRMED,
    NotificationKind.PROMOTED,
    NotificationKind.SESSION_CHANGED,
}
# Kinds that give the online link of an online or hybrid session to a confirmed learner.
WITH_ONLINE_LINK = WITH_CALENDAR | {NotificationKind.REMINDER}
# Kinds that give the learner's ticket (code and QR code) once the enrolment holds a seat.
WITH_TICKET = {NotificationKind.CONFIRMED, NotificationKind.PROMOTED}
# Kinds sent when the course page is no longer published: no link to it.
WITHOUT_COURSE_PAGE = {NotificationKind.COURSE_UNPUBLISHED}


@dataclass
class Skipped:
    """Why an owed email was not sent: the enrolment or session has moved on since."""

    reason: str


def course_url(course):
    """The course page in the active language (`/ar/…`, `/en/…`; French has no prefix)."""
    return page_url(course) or absolute_url(localize_path("/"))


def dashboard_url():
    """The learner's dashboard in the active language."""
    return absolute_url(reverse("learners:dashboard"))


def obsolete(notification):
    """A reason not to send this email any more, or None.

    Emails wait in the outbox while the broker is down; by the time they go out the learner
    may have cancelled or the session may have been cancelled. A confirmation with a calendar
    file, or a reminder, for a seat that is no longer held would mislead.
    """
    enrolment = notification.enrolment
    if enrolment is None:
        return "no enrolment"
    session = enrolment.session
    kind = notification.kind
    cancelled = session.status == SessionStatus.CANCELLED
    if kind in (NotificationKind.CONFIRMED, NotificationKind.PROMOTED):
        if enrolment.status != EnrolmentStatus.CONFIRMED or cancelled:
            return f"enrolment now {enrolment.status}, session {session.status}"
    elif kind == NotificationKind.WAITLISTED:
        if enrolment.status != EnrolmentStatus.WAITLISTED or cancelled:
            return f"enrolment now {enrolment.status}"
    elif kind == NotificationKind.SESSION_CHANGED:
        if enrolment.status == EnrolmentStatus.CANCELLED or cancelled:
            return "enrolment or session cancelled"
    elif kind == NotificationKind.REMINDER:
        if (
            enrolment.status != EnrolmentStatus.CONFIRMED
            or cancelled
            or session.starts_at <= timezone.now()
        ):
            return "no longer confirmed, or the session has started"
        reminded_for = _datetime(notification.data.get("starts_at"))
        if reminded_for is not None and reminded_for != session.starts_at:
            return "the session has moved: it is reminded for its new date"
    elif kind == NotificationKind.MESSAGE:
        if enrolment.status == EnrolmentStatus.CANCELLED:
            return "enrolment cancelled since the message was written"
    elif kind == NotificationKind.COURSE_UNPUBLISHED:
        if enrolment.status not in AWAITING or cancelled:
            return f"enrolment now {enrolment.status}, session {session.status}"
        if session.course.live:
            return "the course is published again"
    for reason in email_obsolete:
        found = reason(notification)
        if found:
            return found
    return None


def context(notification):
    """What every template of the notification's kind is given; call in the learner's language.

    `course`, `place` and `organiser` are the originals, each with its `text` in that language
    (its translation, else itself): templates name them by `course_title`, `place_name`,
    `place_address` and `organiser`, and take practical details (phone, email) from the
    originals."""
    enrolment = notification.enrolment
    session = enrolment.session
    course = session.course
    user = notification.user
    holds_seat = enrolment.status == EnrolmentStatus.CONFIRMED
    place = session.meeting_place
    institute = course.institute if course.institute_id else None
    with_text([course, place, institute], language=translation.get_language())
    return {
        "kind": notification.kind,
        "learner_name": people.describe(user).name,
        "course": course,
        "course_title": course.text.title,
        "session": session,
        "enrolment": enrolment,
        "starts_at": timezone.localtime(session.starts_at, CASABLANCA),
        "ends_at": timezone.localtime(session.ends_at, CASABLANCA),
        "same_day": (
            timezone.localtime(session.starts_at, CASABLANCA).date()
            == timezone.localtime(session.ends_at, CASABLANCA).date()
        ),
        # Listed one by one in the session's block when there are several.
        "meetings": [
            (
                timezone.localtime(meeting.starts_at, CASABLANCA),
                timezone.localtime(meeting.ends_at, CASABLANCA),
            )
            for meeting in session.meetings.all()
        ],
        "mode": session.get_mode_display(),
        "session_language": session.get_language_display(),
        "place": place,
        "place_name": place.text.title if place else "",
        "place_address": place.text.one_line_address if place else "",
        "online_url": enrolment.online_link if notification.kind in WITH_ONLINE_LINK else "",
        "waitlist_position": enrolment.waitlist_position(),
        "has_calendar": notification.kind in WITH_CALENDAR and holds_seat,
        "ticket": enrolment.ticket
        if notification.kind in WITH_TICKET and enrolment.has_ticket
        else "",
        "ticket_cid": ticket_content_id(enrolment),
        "course_url": "" if notification.kind in WITHOUT_COURSE_PAGE else course_url(course),
        "dashboard_url": dashboard_url(),
        "site_url": absolute_url(localize_path("/")),
        "LANGUAGE_BIDI": translation.get_language_bidi(),
        # An organiser's message, and who wrote it: the organising institute, never a person.
        "message": notification.message,
        "organiser": institute.text.title if institute else "",
        "organiser_email": institute.email if institute else "",
        "time_to_go": (
            time_to_go(
                session.starts_at,
                _datetime(notification.data.get("owed_at")) or notification.created_at,
            )
            if notification.kind == NotificationKind.REMINDER
            else ""
        ),
        **email_context.context(notification),
    }


def _datetime(value) -> datetime | None:
    """An ISO 8601 string from `Notification.data` as an aware datetime, else None."""
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed if parsed is not None and timezone.is_aware(parsed) else None


def time_to_go(starts_at: datetime, now: datetime | None = None) -> str:
    """How long before the start `now` is, as a reminder says it: "in 7 days", "tomorrow",
    "in 2 hours" (days counted on Casablanca's calendar, hours rounded, at least one).

    `now` is when the reminder was owed (`Notification.data["owed_at"]`), so that an email
    that waited for the broker still says what the reminder was for."""
    now = now or timezone.now()
    days = (starts_at.astimezone(CASABLANCA).date() - now.astimezone(CASABLANCA).date()).days
    if days >= 2:
        return ngettext("in %(count)s day", "in %(count)s days", days) % {"count": days}
    if days == 1:
        return gettext("tomorrow")
    hours = max(1, round((starts_at - now).total_seconds() / 3600))
    return ngettext("in %(count)s hour", "in %(count)s hours", hours) % {"count": hours}


def build_email(notification):
    """The email owed by `notification`, rendered in the learner's language; or `Skipped`."""
    reason = obsolete(notification)
    if reason:
        return Skipped(reason)
    user = notification.user
    if not user.email:
        return Skipped("the learner has no email address")
    language = people.describe(user).language
    kind = notification.kind
    with translation.override(language), timezone.override(CASABLANCA):
        data = context(notification)
        data["LANGUAGE_CODE"] = language
        template = f"enrolments/emails/{kind}"
        subject = " ".join(plain_text(f"{template}_subject.txt", data).split())
        message = EmailWithInlineImages(
            subject=subject,
            body=plain_text(f"{template}.txt", data),
            to=[user.email],
            headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
        )
        message.attach_alternative(render_to_string(f"{template}.html", data), "text/html")
        if data["has_calendar"]:
            message.attach(calendar_part(notification.enrolment))
        if data["ticket"]:
            message.inline_images.append(
                InlineImage(data["ticket_cid"], ticket_qr_png(data["ticket"]), "ticket.png")
            )
    return message


def ticket_content_id(enrolment) -> str:
    """The `Content-ID` of the ticket's QR code, `cid:` in the HTML (without angle brackets)."""
    return f"ticket-{enrolment.pk}@jazari-skills"


@dataclass(frozen=True)
class InlineImage:
    """A PNG shown in the HTML body by `<img src="cid:{content_id}">`."""

    content_id: str
    content: bytes
    filename: str


class EmailWithInlineImages(EmailMultiAlternatives):
    """An email whose HTML alternative shows images attached inline: the HTML becomes a
    `multipart/related` part holding the HTML and its images, as RFC 2387 and mail clients
    expect (an image beside the attachments would be shown as an attachment)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_images: list[InlineImage] = []

    def message(self, *, policy=email.policy.default):
        message = super().message(policy=policy)
        if self.inline_images:
            html = message.get_body(preferencelist=("html",))
            for image in self.inline_images:
                html.add_related(
                    image.content,
                    maintype="image",
                    subtype="png",
                    cid=f"<{image.content_id}>",
                    disposition="inline",
                    filename=image.filename,
                )
        return message


def plain_text(template_name: str, data: dict) -> str:
    """A text template rendered without HTML escaping: subjects and plain-text bodies are not
    HTML, so "L'IA" stays "L'IA" (not "L&#x27;IA")."""
    template = get_template(template_name).template
    return template.render(Context(data, autoescape=False))


def calendar_part(enrolment):
    """The session as an `.ics` attachment, `text/calendar; method=PUBLISH`, with its online
    link when the learner may see it."""
    session = enrolment.session
    entry = Entry(session, online_link=enrolment.online_link)
    part = MIMEPart()
    part.set_content(
        session_calendar(entry).decode("utf-8"),
        subtype="calendar",
        charset="utf-8",
        params={"method": "PUBLISH"},
        disposition="attachment",
        filename=f"jazari-session-{session.pk}.ics",
    )
    return part


def send_notification_email(notification):
    """Send the email owed by `notification`: True when sent, False when no longer owed."""
    message = build_email(notification)
    if isinstance(message, Skipped):
        logger.info("Notification %s not sent: %s", notification.pk, message.reason)
        return False
    message.send()
    return True
