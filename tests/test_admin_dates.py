"""Date fields of the Wagtail admin: they say their format, accept it and ISO 8601 in every admin
language, and refuse anything else with a message naming both (never "now" in its place)."""

from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from courses.models import CoursePage, Session
from jazari.admin_dates import AdminDateField, AdminDateTimeField
from jazari.time import CASABLANCA
from tests import factories

pytestmark = pytest.mark.django_db

# The same moment, typed in the displayed format and in ISO 8601 (with a space or a "T").
TYPED = ["10/03/2027 09:00", "2027-03-10 09:00", "2027-03-10T09:00"]
WRONG = ["10-03-2027 9h", "31/02/2027 09:00", "2027/03/10 09:00", "demain"]


@pytest.fixture
def network(tree):
    return {"tree": tree, "root": factories.institute(tree, "Jazari Root", is_hub=True)}


def editor_client(client, language):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    client.force_login(editor)
    return client


def publish(client, network, starts_at, ends_at="2027-03-10 17:00"):
    data = factories.course_form(
        "Atelier daté",
        network["root"],
        sessions=[factories.session_form(network["root"], starts_at=starts_at, ends_at=ends_at)],
    )
    data["action-publish"] = "action-publish"
    folder = factories.folder(network["root"])
    return client.post(f"/admin/pages/add/courses/coursepage/{folder.pk}/", data)


def file_errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [error.get_text(" ", strip=True) for error in soup.select(".error-message")]


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
@pytest.mark.parametrize("typed", TYPED)
def test_the_displayed_format_and_iso_8601_give_the_same_session(client, network, language, typed):
    """Day/month/year or ISO 8601, in any admin language: 10 March 2027 at 09:00 in Morocco."""
    response = publish(editor_client(client, language), network, typed)
    assert response.status_code == 302, file_errors(response)
    session = Session.objects.get()
    assert timezone.localtime(session.starts_at, CASABLANCA).replace(tzinfo=None) == datetime(
        2027, 3, 10, 9, 0
    )


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
@pytest.mark.parametrize("wrong", WRONG)
def test_a_wrong_date_is_refused_with_the_format_never_replaced(client, network, language, wrong):
    """A date that is neither format re-renders the form saying both; nothing is saved."""
    response = publish(editor_client(client, language), network, wrong)
    assert response.status_code == 200
    with translation.override(language):
        hint = str(AdminDateTimeField().error_messages["invalid"])
    assert hint in file_errors(response)
    assert "10/03/2027 09:00" in hint and "2027-03-10 09:00" in hint
    assert not CoursePage.objects.filter(slug="atelier-date").exists()
    assert not Session.objects.exists()


def test_the_session_fields_say_their_format(client, network):
    """The edit form shows the stored time in the displayed format, with the format as hint."""
    course = factories.course(network["tree"], "Atelier daté", network["root"])
    factories.session(course)
    response = editor_client(client, "fr").get(f"/admin/pages/{course.pk}/edit/")
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.select_one("input[name='sessions-0-starts_at']")
    assert field["placeholder"] == "JJ/MM/AAAA hh:mm"
    session = course.sessions.get()
    assert field["value"] == timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M")
    assert '"validateOnBlur": false' in response.content.decode()


@pytest.mark.parametrize("typed", ["10/03/2027", "2027-03-10"])
def test_date_fields_accept_the_displayed_format_and_iso_8601(typed):
    """A date field reads day/month/year and ISO 8601."""
    field = AdminDateField()
    assert field.clean(typed) == date(2027, 3, 10)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "Enter the date as DD/MM/YYYY, for example 10/03/2027, or in ISO 8601 (2027-03-10).",
        ),
        (
            "fr",
            "Saisissez la date au format JJ/MM/AAAA, par exemple 10/03/2027, ou en ISO 8601 "
            "(2027-03-10).",
        ),
    ],
)
def test_a_wrong_date_names_both_formats(language, message):
    """The date field's message names the displayed format and ISO 8601, in the admin's language."""
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            AdminDateField().clean("03/31/2027")
        assert refused.value.messages == [message]
