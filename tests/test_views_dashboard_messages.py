"""The dashboard's "Messages from the organisers": the messages written to the learner, newest
first, with course and date, in a fixed number of queries."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolments.models import SessionMessage
from enrolments.services.enrolment import enrol
from enrolments.services.messages import send_message
from tests import factories
from tests.shared_data import built_once, fresh


def build_setting(tree):
    """Amina in two courses' sessions (one of Fès), Omar in one; messages to each."""
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
    intro = factories.session(factories.course(tree, "Introduction au machine learning", root))
    llm = factories.session(factories.course(tree, "LLM et langue arabe", fes), mode="online")
    amina = factories.learner("amina@example.com", full_name="Amina Benali")
    omar = factories.learner("omar@example.com", full_name="Omar Fassi")
    for learner, session in ((amina, intro), (amina, llm), (omar, intro)):
        enrol(learner, session.pk)
    return {"amina": amina, "omar": omar, "intro": intro, "llm": llm}


@pytest.fixture(scope="module")
def setting_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build_setting(factories.site_tree())


@pytest.fixture
def setting(setting_once, db):
    return fresh(setting_once)


def write(session, subject, body="Bonjour.", *, days_ago=0):
    message = send_message(
        session.pk, audience="confirmed", subject=subject, body=body, author=None
    )
    SessionMessage.objects.filter(pk=message.pk).update(
        created_at=message.created_at - timedelta(days=days_ago)
    )
    return message


def section(client, path="/dashboard/"):
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find(id="messages")


def test_the_learners_messages_newest_first_with_course_date_and_organiser(client, setting):
    """Subject, course, date, the organising institute and the text with its line breaks."""
    write(setting["intro"], "Salle changée", "Salle 2.\n<b>Café</b> offert.", days_ago=3)
    write(setting["llm"], "Lien de la visio", days_ago=1)
    client.force_login(setting["amina"])
    found = section(client)
    items = found.select(".organiser-message")
    assert [item.h3.get_text(strip=True) for item in items] == [
        "Lien de la visio",
        "Salle changée",
    ]
    facts = items[1].select_one(".organiser-message__facts").get_text(" ", strip=True)
    assert "Introduction au machine learning" in facts and "Jazari Root" in facts
    assert items[0].select_one("time")["datetime"].startswith("20")
    body = items[1].select_one(".organiser-message__body")
    assert body.find("br") is not None and body.find("b") is None
    assert "<b>Café</b> offert." in body.get_text()


def test_another_learners_messages_are_not_shown(client, setting):
    """Omar sees the message of his session, not the one of a session he is not in."""
    write(setting["intro"], "Pour tous")
    write(setting["llm"], "Pour les participants de Fès")
    client.force_login(setting["omar"])
    titles = [h3.get_text(strip=True) for h3 in section(client).select("h3")]
    assert titles == ["Pour tous"]


def test_no_section_without_messages(client, setting):
    """A learner nobody wrote to has no empty section."""
    client.force_login(setting["omar"])
    assert section(client) is None


def test_the_section_reads_in_arabic(client, setting):
    """The Arabic dashboard lays the section out right to left, the organiser's text as typed."""
    write(setting["intro"], "Salle changée")
    client.force_login(setting["amina"])
    response = client.get("/ar/dashboard/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["dir"] == "rtl"
    assert soup.find(id="messages").h3["dir"] == "auto"


def test_the_dashboard_costs_the_same_queries_for_one_message_or_many(client, setting):
    """A fixed number of queries, whatever the number of messages."""
    client.force_login(setting["amina"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/").status_code == 200
        return len(captured)

    write(setting["intro"], "Un")
    queries()  # what the first request caches (the site's root paths…)
    one = queries()
    for number in range(6):
        write(setting["llm" if number % 2 else "intro"], f"Message {number}")
    assert queries() == one
    assert len(section(client).select(".organiser-message")) == 7
