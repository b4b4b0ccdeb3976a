"""Writing to a session's participants in the admin: who may, how many each audience reaches,
what sending says, and the messages listed on the session's overview."""

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group

from enrolments.models import Notification, SessionMessage
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from tests import factories
from tests.shared_data import built_once, fresh
from tests.test_admin_enrolments import login_en, messages_of
from tests.test_admin_permissions import INDEX, Network, build_network, is_refused, staff


@dataclass
class Setting:
    network: Network
    manager: object  # a programme manager: reads every session, acts on none


@pytest.fixture(scope="module")
def setting_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        network = build_network(factories.site_tree())
        managers = Group.objects.get(name=PROGRAMME_MANAGERS_GROUP)
        yield Setting(network=network, manager=staff("manager", managers))


@pytest.fixture
def setting(setting_once, db):
    return fresh(setting_once)


def write_url(session):
    return f"{INDEX}sessions/{session.pk}/messages/"


def overview_url(session):
    return f"{INDEX}sessions/{session.pk}/"


def audiences_offered(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        radio["value"]: soup.find("label", attrs={"for": radio["id"]}).get_text(" ", strip=True)
        for radio in soup.select("input[name=audience]")
    }


MESSAGE = {"audience": "waitlisted", "subject": "Places libérées ?", "body": "Bonjour,\nPatience."}


def test_the_form_says_how_many_learners_each_audience_reaches(client, setting):
    """Rabat's session: two seats taken, two waiting, nobody attended yet, four in all."""
    login_en(client, setting.network.rabat_editor)
    response = client.get(write_url(setting.network.intro))
    assert response.status_code == 200
    assert audiences_offered(response) == {
        "confirmed": "Learners holding a seat: 2 learners",
        "waitlisted": "Learners on the waiting list: 2 learners",
        "attended": "Learners who attended: 0 learners",
        "all": "Everyone enrolled or waiting: 4 learners",
    }


def test_sending_says_how_many_and_lists_the_message(client, setting):
    """After sending: back on the page with the count, and the message in the list with its
    date, author, audience, subject and recipients."""
    network = setting.network
    login_en(client, network.rabat_editor)
    response = client.post(write_url(network.intro), MESSAGE, follow=True)
    assert response.redirect_chain == [(write_url(network.intro), 302)]
    assert messages_of(response) == [("success", "Message sent to 2 learners.")]
    [message] = SessionMessage.objects.all()
    assert (message.author, message.audience, message.recipients) == (
        network.rabat_editor,
        "waitlisted",
        2,
    )
    assert message.body == "Bonjour,\nPatience."
    assert sorted(
        Notification.objects.filter(message=message).values_list("user__email", flat=True)
    ) == ["karim.tazi@example.com", "salma.idrissi@example.com"]
    soup = BeautifulSoup(response.content, "html.parser")
    [row] = soup.select("[data-sent-messages] tbody tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[1:] == ["rabat_editor", "Learners on the waiting list", "Places libérées ?", "2"]
    assert cells[0][:2].isdigit() and "/" in cells[0]  # dd/mm/yyyy hh:mm, Casablanca


def test_an_audience_with_nobody_is_refused_with_its_reason(client, setting):
    """Nobody attended a session that has not started: the form comes back, 400, nothing sent."""
    login_en(client, setting.network.rabat_editor)
    response = client.post(write_url(setting.network.intro), {**MESSAGE, "audience": "attended"})
    assert response.status_code == 400
    assert "Nobody in this session is among" in response.text
    assert not SessionMessage.objects.exists()


def test_an_incomplete_form_is_refused(client, setting):
    """No subject, no message: the form says what is missing, 400."""
    login_en(client, setting.network.rabat_editor)
    response = client.post(write_url(setting.network.intro), {"audience": "confirmed"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"subject", "body"}
    assert not SessionMessage.objects.exists()


def test_editors_of_the_venue_or_the_organiser_may_write(client, setting):
    """Rabat organises the course held in Fès: both institutes' editors may write to it."""
    network = setting.network
    for user in (network.rabat_editor, network.fes_editor, network.admin):
        login_en(client, user)
        assert client.get(write_url(network.intro_in_fes)).status_code == 200, user


def test_other_institutes_editors_get_a_404(client, setting):
    """Fès's editors never reach Rabat's session, by GET or POST."""
    network = setting.network
    login_en(client, network.fes_editor)
    assert client.get(write_url(network.intro)).status_code == 404
    assert client.post(write_url(network.intro), MESSAGE).status_code == 404
    assert not SessionMessage.objects.exists()


def test_programme_managers_and_outsiders_are_refused(client, setting):
    """Those who may not act on the session are refused (403 or 404), and send nothing."""
    network = setting.network
    for user in (setting.manager, network.outsider, network.page_editor):
        login_en(client, user)
        for response in (
            client.get(write_url(network.intro)),
            client.post(write_url(network.intro), MESSAGE),
        ):
            assert response.status_code in (403, 404) or is_refused(response), user
    assert not SessionMessage.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, setting):
    """No session, no form."""
    response = client.get(write_url(setting.network.intro))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_overview_lists_messages_and_offers_to_write_to_who_may(client, setting):
    """Editors get the button and the list; programme managers the list only."""
    network = setting.network
    login_en(client, network.rabat_editor)
    client.post(write_url(network.intro), MESSAGE)
    html = client.get(overview_url(network.intro)).text
    assert write_url(network.intro) in html and "Places libérées ?" in html

    login_en(client, setting.manager)
    response = client.get(overview_url(network.intro))
    assert response.status_code == 200
    assert write_url(network.intro) not in response.text
    assert "Places libérées ?" in response.text


def test_a_second_click_sends_nothing_more(client, setting):
    """The form posted twice: one message, the second answer saying it was sent already."""
    login_en(client, setting.network.rabat_editor)
    assert client.post(write_url(setting.network.intro), MESSAGE).status_code == 302
    response = client.post(write_url(setting.network.intro), MESSAGE)
    assert response.status_code == 400
    assert "it is not sent twice" in response.text
    assert SessionMessage.objects.count() == 1
