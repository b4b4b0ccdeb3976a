"""A meeting's printable sign-in sheet (PDF): what it lists, in which language, and who gets it."""

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pypdf
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import CourseInstructor, Instructor, Meeting, Session
from enrolments.models import Enrolment
from enrolments.services.enrolment import cancel, enrol
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from jazari.time import CASABLANCA, in_casablanca
from tests import factories
from tests.shared_data import built_once, fresh
from tests.test_admin_permissions import editors_group, staff


@dataclass
class Sheet:
    session: Session  # two meetings, in Rabat: Amina and Youssef hold seats, Salma waits
    other: Session  # another course's session
    seated: list  # the enrolments holding a seat
    waiting: Enrolment
    trainer: object
    rabat_editor: object
    fes_editor: object
    manager: object
    learner: object


@pytest.fixture(scope="module")
def sheet_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        rabat = factories.institute(
            tree, "Jazari Root", is_hub=True, address="Avenue Mohammed VI", city="Rabat"
        )
        fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
        course = factories.course(tree, "Introduction au machine learning", rabat)
        trainer = factories.learner("nadia@example.com", full_name="Nadia Berrada")
        instructor = Instructor.objects.create(name="Nadia Berrada", user=trainer)
        CourseInstructor.objects.create(course=course, instructor=instructor, sort_order=0)
        session = factories.session(course, capacity=2)
        first_day = timezone.localtime(session.starts_at, CASABLANCA).date()
        session.starts_at = in_casablanca(datetime.combine(first_day, time(9)))
        session.ends_at = in_casablanca(datetime.combine(first_day + timedelta(days=1), time(17)))
        session.save()  # two meetings, 09:00-17:00 each day
        other = factories.session(factories.course(tree, "Vision", rabat))
        people = {}
        for email, name in (
            ("amina@example.com", "Amina Benali"),
            ("karim@example.com", "Karim Tazi"),
            ("youssef@example.com", "يوسف العلوي"),
            ("salma@example.com", "Salma Idrissi"),
        ):
            learner = factories.learner(email, full_name=name)
            people[email.split("@")[0]] = enrol(learner, session.pk).enrolment
        karim = people["karim"]
        cancel(karim.pk, actor=karim.learner)  # Youssef, first in line, takes the seat
        seated = [Enrolment.objects.get(pk=people[name].pk) for name in ("amina", "youssef")]
        waiting = people["salma"]
        yield Sheet(
            session=session,
            other=other,
            seated=seated,
            waiting=waiting,
            trainer=trainer,
            rabat_editor=staff("rabat_editor", editors_group("Jazari Root editors", rabat)),
            fes_editor=staff("fes_editor", editors_group("Jazari Fès editors", fes)),
            manager=staff("manager", Group.objects.get(name=PROGRAMME_MANAGERS_GROUP)),
            learner=seated[0].learner,
        )


@pytest.fixture
def sheet(sheet_once, db):
    return fresh(sheet_once)


def sheet_url(session, meeting, language="en"):
    with translation.override(language):
        return reverse("learners:sign_in_sheet", args=[session.pk, meeting.pk])


def meetings_of(session):
    return list(Meeting.objects.filter(session=session).order_by("starts_at"))


def pdf_text(content):
    """The PDF's text, NFKC-normalised (Arabic comes out in presentation forms otherwise)."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def fonts(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_the_trainer_prints_a_meetings_sheet(client, sheet):
    """The course, the meeting's date and times, the venue, every seat holder (an Arabic name
    too) with their ticket, and the signature column; not the waiting list nor the cancelled."""
    second = meetings_of(sheet.session)[1]
    assert [e.status for e in sheet.seated] == ["confirmed", "confirmed"]
    assert sheet.waiting.status == "waitlisted"
    client.force_login(sheet.trainer)
    response = client.get(sheet_url(sheet.session, second))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        f'inline; filename="sign-in-sheet-{sheet.session.pk}-{second.pk}-'
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    text = pdf_text(response.content)
    for expected in (
        "Sign-in sheet",
        "Introduction au machine learning",
        "Meeting 2 of 2",
        f"{timezone.localtime(second.starts_at, CASABLANCA):%d %B %Y}, 09:00–17:00",
        "Jazari Root, Avenue Mohammed VI, Rabat",
        "Name",
        "Ticket",
        "Signature",
        "Amina Benali",
        "يوسف العلوي",
        "2 learners holding a seat",
    ):
        assert expected in text, expected
    compact = re.sub(r"\s+", "", text)
    for enrolment in sheet.seated:
        assert enrolment.ticket in compact
    assert "Salma" not in text and "Karim" not in text
    assert sheet.waiting.ticket not in compact
    assert all("DejaVu-Sans" in name for name in fonts(response.content))


def test_the_sheet_speaks_the_pages_language(client, sheet):
    """Under /ar/ the sheet is laid out right to left, in Arabic."""
    first = meetings_of(sheet.session)[0]
    client.force_login(sheet.rabat_editor)
    response = client.get(sheet_url(sheet.session, first, "ar"))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "يوسف العلوي" in text and "Amina Benali" in text


@pytest.mark.parametrize("who", ["fes_editor", "manager", "learner"])
def test_anyone_else_gets_a_404(client, sheet, who):
    """Another institute's editor, a programme manager (reads, never takes attendance) and a
    learner of the session get a 404, as for a session that doesn't exist."""
    client.force_login(getattr(sheet, who))
    first = meetings_of(sheet.session)[0]
    assert client.get(sheet_url(sheet.session, first)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, sheet):
    first = meetings_of(sheet.session)[0]
    response = client.get(sheet_url(sheet.session, first))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_meeting_must_be_the_sessions(client, sheet):
    """Another session's meeting, an unknown one, and a POST are refused."""
    client.force_login(sheet.trainer)
    first = meetings_of(sheet.session)[0]
    other = meetings_of(sheet.other)[0]
    assert client.get(sheet_url(sheet.session, other)).status_code == 404
    with translation.override("en"):
        unknown = reverse("learners:sign_in_sheet", args=[sheet.session.pk, 999_999])
    assert client.get(unknown).status_code == 404
    assert client.post(sheet_url(sheet.session, first)).status_code == 405
