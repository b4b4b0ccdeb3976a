"""Session validation: `Session.clean()` messages, the database's own check, and times entered
in the admin in Africa/Casablanca being stored in UTC."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from courses.models import CoursePage, Session
from tests import factories

CASABLANCA = ZoneInfo("Africa/Casablanca")
START = datetime(2026, 4, 13, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in the source language, whatever catalogues are compiled."""
    with translation.override("en"):
        yield


def session(**fields):
    """An unsaved, valid in-person session; `fields` override."""
    values = {
        "starts_at": START,
        "ends_at": START + timedelta(hours=8),
        "mode": "in_person",
        "institute_id": 1,
        "capacity": 20,
    }
    values.update(fields)
    return Session(**values)


def clean_errors(candidate):
    """{field: [messages]} raised by clean(), or {} when it passes."""
    try:
        candidate.clean()
    except ValidationError as error:
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {}


# clean()


def test_valid_session_passes_clean():
    """An in-person session with a venue, a positive capacity and ordered dates is valid."""
    assert clean_errors(session()) == {}


@pytest.mark.parametrize("hours", [-1, 0])
def test_clean_rejects_end_not_after_start(hours):
    """A session ending before (or when) it starts is refused on `ends_at`."""
    errors = clean_errors(session(ends_at=START + timedelta(hours=hours)))
    assert errors == {"ends_at": ["The session must end after it starts."]}


def test_clean_rejects_enrolment_closing_after_the_end():
    """Enrolment cannot close after the session has ended."""
    errors = clean_errors(session(enrolment_closes_at=START + timedelta(hours=9)))
    assert errors == {"enrolment_closes_at": ["Enrolment must close before the session ends."]}


def test_clean_accepts_enrolment_closing_during_the_session():
    """Closing enrolment after the start but before the end is allowed (late registration)."""
    assert clean_errors(session(enrolment_closes_at=START + timedelta(hours=1))) == {}


@pytest.mark.parametrize("gap", [timedelta(0), timedelta(days=1)])
def test_clean_rejects_enrolment_opening_after_closing(gap):
    """The enrolment window must open strictly before it closes."""
    closes = START - timedelta(days=2)
    errors = clean_errors(session(enrolment_opens_at=closes + gap, enrolment_closes_at=closes))
    assert errors == {"enrolment_opens_at": ["Enrolment must open before it closes."]}


def test_clean_rejects_a_session_without_seats():
    """A capacity of 0 is refused with a message on `capacity`."""
    errors = clean_errors(session(capacity=0))
    assert errors == {"capacity": ["A session needs at least one seat."]}


@pytest.mark.parametrize("mode", ["in_person", "hybrid"])
def test_clean_requires_a_venue_in_person(mode):
    """In-person and hybrid sessions must say where learners meet."""
    errors = clean_errors(
        session(mode=mode, institute_id=None, online_url="https://meet.example.com/x")
    )
    assert errors == {"institute": ["Say where learners meet for an in-person or hybrid session."]}


@pytest.mark.parametrize("mode", ["online", "hybrid"])
def test_clean_requires_a_link_online(mode):
    """Online and hybrid sessions must have their meeting link."""
    errors = clean_errors(session(mode=mode, online_url=""))
    assert errors == {"online_url": ["Give the link of an online or hybrid session."]}


def test_online_session_needs_no_venue():
    """An online session with a link and no venue is valid."""
    assert (
        clean_errors(session(mode="online", institute_id=None, online_url="https://x.ma/s")) == {}
    )


def test_clean_reports_every_problem_at_once():
    """Several problems give one message per field, not only the first."""
    errors = clean_errors(
        session(ends_at=START - timedelta(hours=1), capacity=0, mode="online", online_url="")
    )
    assert set(errors) == {"ends_at", "capacity", "online_url"}


# The database's own check


@pytest.mark.django_db
@pytest.mark.parametrize("hours", [-2, 0])
def test_database_refuses_a_session_ending_before_it_starts(tree, hours):
    """Even bypassing clean(), the database refuses ends_at <= starts_at (IntegrityError)."""
    organiser = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Cours", organiser)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            course=course,
            starts_at=START,
            ends_at=START + timedelta(hours=hours),
            institute=organiser,
        )
    assert not Session.objects.filter(course=course).exists()


@pytest.mark.django_db
def test_database_refuses_a_session_without_seats(tree):
    """The database refuses capacity 0 as well."""
    organiser = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Cours", organiser)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            course=course, starts_at=START, ends_at=START + timedelta(hours=1), capacity=0
        )


# Times entered in the admin


def casablanca_to_utc(local):
    """The UTC instant of a wall-clock time in Casablanca, computed by zoneinfo."""
    return datetime.fromisoformat(local).replace(tzinfo=CASABLANCA).astimezone(UTC)


@pytest.fixture
def create_course_in_admin(admin_client, tree):
    """Post the admin's "add course" form with one session typed as `starts_at`–`ends_at`."""
    organiser = factories.institute(tree, "Jazari Root", is_hub=True)

    def create(title, starts_at, ends_at):
        data = factories.course_form(
            title,
            organiser,
            sessions=[factories.session_form(organiser, starts_at=starts_at, ends_at=ends_at)],
        )
        data["action-publish"] = "action-publish"
        response = admin_client.post(
            f"/admin/pages/add/courses/coursepage/{factories.folder(organiser).pk}/", data
        )
        assert response.status_code == 302, response.context["form"].errors
        return CoursePage.objects.get(slug=data["slug"]).sessions.get()

    return create


@pytest.mark.django_db
def test_admin_times_outside_ramadan_are_utc_plus_one(create_course_in_admin):
    """09:00 typed for 13 April 2026 (Casablanca, UTC+1) is stored as 08:00 UTC."""
    saved = create_course_in_admin("Printemps", "2026-04-13 09:00", "2026-04-13 17:00")
    assert saved.starts_at == datetime(2026, 4, 13, 8, 0, tzinfo=UTC)
    assert saved.ends_at == datetime(2026, 4, 13, 16, 0, tzinfo=UTC)
    assert CASABLANCA.utcoffset(datetime(2026, 4, 13, 9)) == timedelta(hours=1)


@pytest.mark.django_db
def test_admin_times_during_ramadan_follow_morocco_offset(create_course_in_admin):
    """09:00 typed for 2 March 2026 (Ramadan: Morocco moves to UTC+0) follows zoneinfo."""
    saved = create_course_in_admin("Ramadan", "2026-03-02 09:00", "2026-03-02 12:00")
    assert saved.starts_at == casablanca_to_utc("2026-03-02 09:00")
    assert saved.ends_at == casablanca_to_utc("2026-03-02 12:00")
    # The date is in Ramadan 2026, so the offset differs from the rest of the year.
    offset = CASABLANCA.utcoffset(datetime(2026, 3, 2, 9))
    assert offset != CASABLANCA.utcoffset(datetime(2026, 4, 13, 9))
    assert saved.starts_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC) - offset


@pytest.mark.django_db
def test_admin_form_shows_stored_times_back_in_casablanca(admin_client, create_course_in_admin):
    """The edit form shows the time the editor typed, not the UTC one stored."""
    saved = create_course_in_admin("Aller-retour", "2026-04-13 09:00", "2026-04-13 17:00")
    response = admin_client.get(f"/admin/pages/{saved.course_id}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="13/04/2026 09:00"' in html
    assert 'value="13/04/2026 08:00"' not in html
