"""The emails owed to learners, sent by the tasks inline: languages, calendar file, idempotence."""

import re
import smtplib
from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from icalendar import Calendar
from kombu.exceptions import OperationalError

from certificates.codes import new_code
from certificates.models import Certificate
from courses.models import CoursePage, Session
from enrolments.models import Enrolment, Notification, NotificationKind, SessionMessage
from enrolments.services.enrolment import cancel, enrol
from enrolments.tasks import dispatch_pending, send_notification
from tests import factories

MOROCCO = ZoneInfo("Africa/Casablanca")
ARABIC = re.compile(r"[\u0600-\u06FF]")
# A June morning: Morocco is then at UTC+1 (it is at UTC+0 during Ramadan only).
STARTS_AT = datetime(2031, 6, 16, 8, 0, tzinfo=UTC)
ONLINE_URL = "https://meet.example.com/jazari-ml"

# What the subject starts with, in French and English; Arabic subjects are checked for script.
SUBJECTS = {
    "confirmed": {"fr": "Inscription confirmée", "en": "Enrolment confirmed"},
    "waitlisted": {"fr": "Liste d'attente", "en": "Waiting list"},
    "promoted": {"fr": "Une place est à vous", "en": "A seat is yours"},
    "cancelled": {"fr": "Inscription annulée", "en": "Enrolment cancelled"},
    "session_changed": {"fr": "Session modifiée", "en": "Session changed"},
    "session_cancelled": {"fr": "Session annulée", "en": "Session cancelled"},
    "reminder": {"fr": "Rappel", "en": "Reminder"},
    "feedback_request": {"fr": "Comment s'est passée votre session", "en": "How was it?"},
    # "<course>: <the organiser's subject>"
    "message": {"fr": "Introduction au machine learning", "en": "Introduction au machine learning"},
    "course_unpublished": {"fr": "Formation retirée du catalogue", "en": "Course no longer listed"},
    "certificate_ready": {"fr": "Votre certificat est prêt", "en": "Your certificate is ready"},
}
# The state the enrolment (and session) is in when each kind of email is owed.
STATE_FOR_KIND = {
    "confirmed": ("confirmed", "scheduled"),
    "waitlisted": ("waitlisted", "scheduled"),
    "promoted": ("confirmed", "scheduled"),
    "cancelled": ("cancelled", "scheduled"),
    "session_changed": ("confirmed", "scheduled"),
    "session_cancelled": ("cancelled", "cancelled"),
    "reminder": ("confirmed", "scheduled"),
    "feedback_request": ("attended", "scheduled"),
    "message": ("confirmed", "scheduled"),
    "course_unpublished": ("confirmed", "scheduled"),
    "certificate_ready": ("completed", "scheduled"),
}
# An organiser's message is written in the language of the session's learners.
MESSAGE_SUBJECTS = {"fr": "Salle changée", "ar": "تغيير القاعة", "en": "Room changed"}
WITH_CALENDAR = {"confirmed", "promoted", "session_changed"}
WITH_ONLINE_LINK = {"confirmed", "promoted", "session_changed", "reminder"}
# Sent once the course page is unpublished: no link to it.
WITHOUT_COURSE_PAGE = {"course_unpublished"}


@pytest.fixture
def root(tree):
    return factories.institute(
        tree,
        "Jazari Root",
        is_hub=True,
        address="Avenue Mohammed VI\nHay Riad",
        phone="+212 537 00 00 00",
        email="root@jazari.ma",
    )


@pytest.fixture
def course(tree, root):
    return factories.course(tree, "Introduction au machine learning", root)


@pytest.fixture
def session(course, root):
    """A hybrid session in Rabat with an online link, on 16 June 2031 at 09:00 Morocco time."""
    return Session.objects.create(
        course=course,
        starts_at=STARTS_AT,
        ends_at=STARTS_AT + timedelta(hours=7),
        mode="hybrid",
        institute=root,
        online_url=ONLINE_URL,
        capacity=1,
    )


def certificate_data(enrolment):
    """The certificate a `certificate_ready` email announces (written as issued)."""
    session = enrolment.session
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        code=new_code(),
        kind="completion",
        language="fr",
        holder_name="Amina Tazi",
        course_title=session.course.title,
        institute_name="Jazari Root",
        starts_on=session.starts_at.date(),
        ends_on=session.ends_at.date(),
        minutes=420,
    )
    return {"certificate": certificate.pk}


# What an email of these kinds needs in its notification's data, made for the enrolment.
DATA_FOR_KIND = {"certificate_ready": certificate_data}


def owe(kind, session, learner):
    """An email of `kind` owed to `learner`, with the enrolment (and the message, the course
    page) in the matching state."""
    enrolment_status, session_status = STATE_FOR_KIND[kind]
    Session.objects.filter(pk=session.pk).update(status=session_status)
    enrolment = Enrolment.objects.create(session=session, learner=learner, status=enrolment_status)
    message = None
    if kind == "message":
        message = SessionMessage.objects.create(
            session=session,
            audience="confirmed",
            subject=MESSAGE_SUBJECTS[learner.profile.preferred_language],
            body="Rendez-vous en salle 2.\nMerci !",
            recipients=1,
        )
    if kind == "course_unpublished":
        CoursePage.objects.filter(pk=session.course_id).update(live=False)
    return Notification.objects.create(
        key=f"test:{kind}:{enrolment.pk}",
        kind=kind,
        user=learner,
        enrolment=enrolment,
        message=message,
        data=DATA_FOR_KIND[kind](enrolment) if kind in DATA_FOR_KIND else {},
    )


def calendar_parts(message):
    return [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
@pytest.mark.parametrize("kind", list(NotificationKind.values))
def test_every_kind_renders_in_the_learners_language(session, kind, language):
    """Subject, text and HTML of each kind come in the learner's language with absolute links."""
    learner = factories.learner("amina@example.com", language=language, full_name="Amina Tazi")
    notification = owe(kind, session, learner)

    assert send_notification(notification.pk) == "sent"

    [message] = mail.outbox
    assert message.to == ["amina@example.com"]
    subject, text = message.subject, message.body
    assert "\n" not in subject and "Introduction au machine learning" in subject
    if language == "ar":
        assert ARABIC.search(subject) and ARABIC.search(text)
    else:
        assert subject.startswith(SUBJECTS[kind][language]), subject
        assert not ARABIC.search(text)
    for body in (subject, text, str(html_of(message))):
        assert "{%" not in body and "{{" not in body
    assert "Amina Tazi" in text

    # Absolute links under the learner's language prefix (none for French).
    prefix = "" if language == "fr" else f"/{language}"
    course_url = f"http://testserver{prefix}/courses/jazari-root/introduction-au-machine-learning/"
    assert (course_url in text) == (kind not in WITHOUT_COURSE_PAGE)
    assert f"http://testserver{prefix}/dashboard/" in text

    # Dates in Morocco's time: 08:00 UTC is 09:00 in Casablanca in June.
    assert "09:00" in text and "08:00" not in text

    html = html_of(message)
    assert html.html["lang"] == language
    assert html.html["dir"] == ("rtl" if language == "ar" else "ltr")
    assert html.body["dir"] == html.html["dir"]
    hrefs = [a["href"] for a in html.find_all("a")]
    assert (course_url in hrefs) == (kind not in WITHOUT_COURSE_PAGE)
    assert all(href.startswith(("http://testserver", "https://", "mailto:")) for href in hrefs)

    # The online link goes to learners holding a seat; the calendar file with a seat.
    assert (ONLINE_URL in text) == (kind in WITH_ONLINE_LINK)
    assert (ONLINE_URL in hrefs) == (kind in WITH_ONLINE_LINK)
    assert bool(calendar_parts(message)) == (kind in WITH_CALENDAR)
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 1


def test_waitlisted_email_gives_the_position_in_line(session, django_capture_on_commit_callbacks):
    """The waiting-list email says where the learner stands in line."""
    first, second, third = (factories.learner(f"l{i}@example.com") for i in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        enrol(first, session.pk)
        enrol(second, session.pk)
        enrol(third, session.pk)
    assert [m.to for m in mail.outbox] == [
        ["l0@example.com"],
        ["l1@example.com"],
        ["l2@example.com"],
    ]
    positions = [re.search(r"file d'attente : (\d+)", m.body) for m in mail.outbox[1:]]
    assert [match.group(1) for match in positions] == ["1", "2"]


def test_reminder_gives_practical_information(session):
    """The reminder of a hybrid session gives the address, the contact and the online link."""
    learner = factories.learner("amina@example.com", language="en")
    send_notification(owe("reminder", session, learner).pk)
    [message] = mail.outbox
    assert "Avenue Mohammed VI, Hay Riad, Rabat" in message.body
    assert "+212 537 00 00 00" in message.body and "root@jazari.ma" in message.body
    assert f"Join online with this link: {ONLINE_URL}" in message.body
    assert "Monday 16 June 2031 at 09:00" in message.body


def test_confirmation_carries_a_calendar_file_in_utc(session, django_capture_on_commit_callbacks):
    """Enrolling sends the confirmation with a parseable .ics: right UTC times, link included."""
    learner = factories.learner("amina@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol(learner, session.pk).enrolment
    [message] = mail.outbox
    [part] = calendar_parts(message)
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename().endswith(".ics")
    assert part.get_content_disposition() == "attachment"

    calendar = Calendar.from_ical(part.get_content())
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == STARTS_AT
    assert event.decoded("dtend").astimezone(UTC) == STARTS_AT + timedelta(hours=7)
    assert "Introduction au machine learning" in str(event["summary"])
    assert ONLINE_URL in str(event.get("description")) + str(event.get("location"))
    assert Notification.objects.get(enrolment=enrolment).sent_at is not None


def test_sending_twice_sends_one_email(session, django_capture_on_commit_callbacks):
    """A notification queued twice (dispatcher and original) is emailed once."""
    learner = factories.learner("amina@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        enrol(learner, session.pk)
    notification = Notification.objects.get()
    assert send_notification(notification.pk) == "skipped"
    assert send_notification.apply_async(args=[notification.pk]).get() == "skipped"
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def broker_down():
    """`apply_async` failing as it does when Redis is unreachable."""
    return mock.patch.object(
        send_notification, "apply_async", side_effect=OperationalError("Connection refused")
    )


def test_dispatch_pending_sends_what_the_broker_missed_once(
    session, django_capture_on_commit_callbacks
):
    """An email left pending by a broker outage goes out once, however often the dispatcher runs."""
    learner = factories.learner("amina@example.com")
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        result = enrol(learner, session.pk)
    assert result.enrolment.status == "confirmed"
    notification = Notification.objects.get()
    assert notification.sent_at is None and mail.outbox == []

    assert dispatch_pending() == 0  # written just now: the original task may still be queued
    assert dispatch_pending(grace_seconds=0) == 1
    assert dispatch_pending(grace_seconds=0) == 0
    assert dispatch_pending(grace_seconds=0) == 0
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None


def test_pending_confirmation_of_a_cancelled_enrolment_is_not_sent(
    session, django_capture_on_commit_callbacks
):
    """A confirmation still owed when its learner cancelled gives way to the cancellation."""
    learner = factories.learner("amina@example.com")
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol(learner, session.pk).enrolment
        cancel(enrolment.pk, actor=learner)
    dispatch_pending(grace_seconds=0)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Inscription annulée "]
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert calendar_parts(mail.outbox[0]) == []


def test_smtp_failure_keeps_the_email_pending(session, django_capture_on_commit_callbacks):
    """An SMTP failure doesn't break enrolment; the email stays owed and goes out later."""
    learner = factories.learner("amina@example.com")
    failure = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=failure),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = enrol(learner, session.pk)
    assert result.created
    notification = Notification.objects.get()
    assert notification.sent_at is None and notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error

    assert dispatch_pending(grace_seconds=0) == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.last_error == ""
    assert len(mail.outbox) == 1


def test_learner_without_profile_gets_the_default_language(
    session, django_capture_on_commit_callbacks
):
    """An account without a profile (made outside sign-up) is written to in French."""
    user = get_user_model().objects.create_user("omar", email="omar@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        enrol(user, session.pk)
    [message] = mail.outbox
    assert message.subject.startswith("Inscription confirmée")
    assert html_of(message).html["dir"] == "ltr"


def test_subjects_and_text_bodies_are_not_html_escaped(
    tree, root, django_capture_on_commit_callbacks
):
    """A title with an apostrophe or an ampersand reads as typed in the subject and text."""
    course = factories.course(tree, "L'IA pour tous & les PME", root)
    session = factories.session(course, starts_in=timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        enrol(factories.learner("amina@example.com"), session.pk)
    [message] = mail.outbox
    assert message.subject == "Inscription confirmée : L'IA pour tous & les PME"
    assert "L'IA pour tous & les PME" in message.body
    html = message.alternatives[0][0]
    assert "L&#x27;IA pour tous &amp; les PME" in html  # the HTML part stays escaped


# The course, its organiser and venue in the learner's language

ARABIC_TITLE = "مدخل إلى تعلم الآلة"
ARABIC_ROOT = "جزري روت"


def test_every_kind_names_the_course_in_arabic_for_an_arabic_learner(session, course, root):
    """Subject and text of each kind use the Arabic translation of the course's title."""
    factories.translate(course, "ar", title=ARABIC_TITLE)
    kinds = sorted(NotificationKind.values, key=lambda kind: kind == "course_unpublished")
    for number, kind in enumerate(kinds):
        learner = factories.learner(f"l{number}@example.com", language="ar")
        assert send_notification(owe(kind, session, learner).pk) == "sent", kind
        message = mail.outbox[-1]
        assert ARABIC_TITLE in message.subject, kind
        assert ARABIC_TITLE in message.body, kind
        assert "Introduction au machine learning" not in message.subject + message.body, kind


def test_an_arabic_learner_enrolling_reads_the_arabic_course_and_venue(
    session, course, root, django_capture_on_commit_callbacks
):
    """The confirmation, its HTML and its calendar file name the course and the venue in Arabic,
    unmarked in the Arabic email."""
    factories.translate(course, "ar", title=ARABIC_TITLE)
    factories.translate(root, "ar", title=ARABIC_ROOT, address="شارع محمد السادس", city="الرباط")
    learner = factories.learner("amina@example.com", language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        enrol(learner, session.pk)
    [message] = mail.outbox
    assert ARABIC_TITLE in message.subject and ARABIC_TITLE in message.body
    assert ARABIC_ROOT in message.body and "شارع محمد السادس" in message.body
    assert "Jazari Root" not in message.body
    html = html_of(message)
    title = html.find("a", string=ARABIC_TITLE)
    assert title is not None and not title.find_parent("td").has_attr("lang")
    [part] = calendar_parts(message)
    [event] = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    assert str(event["SUMMARY"]) == ARABIC_TITLE
    assert ARABIC_ROOT in str(event["LOCATION"])


def test_an_english_learner_without_an_english_translation_reads_the_french_title(
    session, course, root, django_capture_on_commit_callbacks
):
    """Only an Arabic translation exists: the English email names the original, marked French
    in the HTML."""
    factories.translate(course, "ar", title=ARABIC_TITLE)
    learner = factories.learner("amina@example.com", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        enrol(learner, session.pk)
    [message] = mail.outbox
    assert message.subject == "Enrolment confirmed: Introduction au machine learning"
    assert "Introduction au machine learning" in message.body
    assert ARABIC_TITLE not in message.body
    cell = html_of(message).find("a", string="Introduction au machine learning").find_parent("td")
    assert (cell["lang"], cell["dir"]) == ("fr", "ltr")
