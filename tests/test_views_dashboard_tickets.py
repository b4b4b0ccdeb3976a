"""The ticket on the learner's dashboard: code and QR code for each coming session where the
learner holds a seat, and nowhere else."""

from datetime import timedelta
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrolments.services.attendance import mark
from enrolments.services.enrolment import cancel, enrol
from enrolments.tickets import ticket_qr_svg_uri
from tests import factories


@pytest.fixture
def course(tree):
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    return factories.course(tree, "Introduction au machine learning", root)


def ticket_of(soup, enrolment):
    return soup.select_one(f"#enrolment-{enrolment.pk} .ticket")


def dashboard(client, user, language="en"):
    client.force_login(user)
    response = client.get(f"/{language}/dashboard/")
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
def test_a_seat_shows_its_ticket_code_and_qr_code(course, client):
    """The code as text (for screen readers and typing), the QR code of the bare code as an SVG
    image with a text alternative naming the code, under its own heading; the section is named
    by that heading and the course's title, so that two tickets' sections differ."""
    learner = factories.learner("amina@example.com")
    enrolment = enrol(learner, factories.session(course, capacity=1).pk).enrolment
    _response, soup = dashboard(client, learner)
    ticket = ticket_of(soup, enrolment)
    assert ticket is not None
    assert ticket.select_one(".ticket__code").get_text(" ", strip=True).endswith(enrolment.ticket)
    heading = ticket.find("h4")
    assert heading.get_text(strip=True)
    assert ticket["aria-labelledby"] == f"{heading['id']} enrolment-{enrolment.pk}-title"
    assert soup.select_one(f"#enrolment-{enrolment.pk}-title").get_text(strip=True) == course.title
    img = ticket.select_one("img.ticket__qr")
    assert img["src"] == ticket_qr_svg_uri(enrolment.ticket)
    assert unquote(img["src"]).startswith("data:image/svg+xml")
    assert enrolment.ticket in img["alt"]


@pytest.mark.django_db
def test_no_ticket_without_a_seat_nor_for_past_sessions(course, client):
    """Waitlisted, cancelled, marked absent or a session over: no ticket, no code on the page."""
    learner = factories.learner("amina@example.com")
    full = factories.session(course, capacity=1)
    enrol(factories.learner("first@example.com"), full.pk)
    waiting = enrol(learner, full.pk).enrolment
    cancelled = enrol(learner, factories.session(course, starts_in=timedelta(days=20)).pk).enrolment
    cancel(cancelled.pk, actor=learner)
    running = factories.session(course, starts_in=timedelta(days=30), hours=2)
    absent = enrol(learner, running.pk).enrolment
    factories.hold(running, ended_ago=timedelta(hours=-1))  # started an hour ago, ends in one
    mark(absent.pk, "no_show", actor=None)
    past = factories.session(course, starts_in=timedelta(days=40))
    attended = enrol(learner, past.pk).enrolment
    factories.hold(past)
    mark(attended.pk, "attended", actor=None)

    response, soup = dashboard(client, learner)
    for enrolment in (waiting, cancelled, absent, attended):
        assert soup.select_one(f"#enrolment-{enrolment.pk}") is not None
        assert ticket_of(soup, enrolment) is None, enrolment.status
        assert enrolment.ticket not in response.content.decode()


@pytest.mark.django_db
def test_the_ticket_shows_in_arabic_with_the_code_left_to_right(course, client):
    """Right to left page, the code itself kept left to right."""
    learner = factories.learner("amina@example.com", language="ar")
    enrolment = enrol(learner, factories.session(course).pk).enrolment
    _response, soup = dashboard(client, learner, language="ar")
    code = ticket_of(soup, enrolment).select_one('.ticket__code [dir="ltr"]')
    assert code.get_text(strip=True) == enrolment.ticket
    assert soup.html["dir"] == "rtl"


@pytest.mark.django_db
def test_the_dashboard_costs_the_same_queries_with_more_tickets(course, client):
    """The QR codes are drawn from the codes already fetched: no query per ticket."""
    learner = factories.learner("amina@example.com")
    enrol(learner, factories.session(course).pk)
    client.force_login(learner)
    client.get(reverse("learners:dashboard"))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("learners:dashboard")).status_code == 200
        return len(captured)

    one = count()
    for day in range(20, 24):
        enrol(learner, factories.session(course, starts_in=timedelta(days=day)).pk)
    assert count() == one
