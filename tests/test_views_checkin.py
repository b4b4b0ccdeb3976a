"""The participant list on the day, without JavaScript: check a ticket in by its typed code,
pick a meeting, mark participants present or absent; who may; what it costs."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseInstructor, Instructor, Meeting, Session
from enrolments.models import Attendance, Enrolment
from enrolments.services.enrolment import enrol
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from jazari.time import CASABLANCA
from tests import factories
from tests.shared_data import built_once, fresh

# Noon today in Casablanca: the bootcamp meets yesterday, today and tomorrow, 12:00-13:00.
NOON = timezone.localtime(timezone.now(), CASABLANCA).replace(
    hour=12, minute=0, second=0, microsecond=0
)


@dataclass
class Day:
    bootcamp: Session  # three meetings, two seats
    other: Session  # the same course next month
    fes_session: Session  # another institute's
    amina: Enrolment
    omar: Enrolment
    youssef: Enrolment  # waiting
    next_month: Enrolment  # Amina's seat next month
    fes_seat: Enrolment
    trainer: object
    editor: object
    manager: object


@pytest.fixture(scope="module")
def day_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        root = factories.institute(tree, "Jazari Root", is_hub=True)
        fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
        course = factories.course(tree, "Bootcamp data", root, format="bootcamp")
        bootcamp = factories.session(course, capacity=2)
        bootcamp.starts_at = NOON - timedelta(days=1)
        bootcamp.ends_at = NOON + timedelta(days=1, hours=1)
        bootcamp.save()
        other = factories.session(course, starts_in=timedelta(days=30))
        fes_session = factories.session(factories.course(tree, "Vision par ordinateur", fes))
        learners = {
            name: factories.learner(f"{name.split()[0].lower()}@example.com", full_name=name)
            for name in ("Amina Benali", "Omar Fassi", "Youssef Alami")
        }
        early = NOON - timedelta(days=10)
        amina, omar, youssef = (
            enrol(learner, bootcamp.pk, now=early).enrolment for learner in learners.values()
        )
        next_month = enrol(learners["Amina Benali"], other.pk).enrolment
        fes_seat = enrol(learners["Omar Fassi"], fes_session.pk).enrolment
        trainer = factories.learner("trainer@example.com", full_name="Nadia Berrada")
        CourseInstructor.objects.create(
            course=course, instructor=Instructor.objects.create(name="Nadia", user=trainer)
        )
        editor = factories.learner("editor-root@example.com")
        editor.groups.add(root.editors)
        manager = factories.learner("manager@example.com")
        manager.groups.add(Group.objects.get(name__iexact=PROGRAMME_MANAGERS_GROUP))
        yield Day(
            bootcamp,
            other,
            fes_session,
            amina,
            omar,
            youssef,
            next_month,
            fes_seat,
            trainer,
            editor,
            manager,
        )


@pytest.fixture
def day(day_once, db):
    return fresh(day_once)


def meetings(session):
    return list(Meeting.objects.filter(session=session).order_by("starts_at"))


def page_url(session, meeting=None):
    url = reverse("learners:teaching_session", args=[session.pk])
    return f"{url}?meeting={meeting.pk}" if meeting else url


def check_in(client, session, ticket, **extra):
    return client.post(
        reverse("learners:teaching_checkin", args=[session.pk]), {"ticket": ticket, **extra}
    )


def mark(client, session, enrolment, meeting, present):
    return client.post(
        reverse("learners:teaching_attendance", args=[session.pk]),
        {"enrolment": enrolment.pk, "meeting": meeting.pk, "present": present},
    )


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def result_box(soup):
    return soup.select_one("#checkin-result")


def answer(client, response):
    """The page the check-in form redirects to, and its answer box."""
    assert response.status_code == 302
    soup = soup_of(client.get(response["Location"]))
    return soup, result_box(soup)


# Check-in by typed code


def test_a_typed_code_checks_the_learner_in_with_a_large_clear_answer(client, day):
    """The trainer types the code in lower case: back on the list (POST, redirect, GET) at
    today's meeting, the answer names the learner, the session and the meeting, "checked in",
    announced as a status; shown once."""
    client.force_login(day.trainer)
    today = meetings(day.bootcamp)[1]
    response = check_in(client, day.bootcamp, day.amina.ticket.lower(), meeting="")
    location = urlsplit(response["Location"])
    assert parse_qs(location.query) == {"meeting": [str(today.pk)]}
    assert location.fragment == "checkin-title"
    soup, box = answer(client, response)
    assert box["role"] == "status" and "checkin-result--ok" in box["class"]
    text = box.get_text(" ", strip=True)
    assert "Amina Benali" in text and "Bootcamp data" in text and "12:00" in text
    attendance = Attendance.objects.get(enrolment=day.amina)
    assert (attendance.meeting_id, attendance.method, attendance.recorded_by_id) == (
        today.pk,
        "check_in",
        day.trainer.pk,
    )
    row = soup.select_one(f"#participant-{day.amina.pk} .participant__attendance")
    assert row["data-attendance"] == "present"
    assert result_box(soup_of(client.get(page_url(day.bootcamp)))) is None  # once


def test_the_answer_says_why_not_as_an_alert(client, day):
    """Twice: "already checked in at HH:MM"; another session's ticket; a waitlisted learner; an
    unknown code; another institute's ticket; nothing typed: each an alert saying so, nothing
    more recorded."""
    client.force_login(day.editor)
    english = "/en" + reverse("learners:teaching_checkin", args=[day.bootcamp.pk])

    def said(ticket):
        response = client.post(english, {"ticket": ticket})
        soup, box = answer(client, response)
        assert box["role"] == "alert" and "checkin-result--refused" in box["class"]
        return box.get_text(" ", strip=True)

    response = client.post(english, {"ticket": day.amina.ticket})
    _soup, box = answer(client, response)
    at = timezone.localtime(Attendance.objects.get().checked_in_at, CASABLANCA).strftime("%H:%M")
    assert "Checked in" in box.get_text()
    again = said(day.amina.ticket)
    assert f"Already checked in at {at}." in again and "Amina Benali" in again
    assert "Other session" in said(day.next_month.ticket)
    assert "waiting list" in said(day.youssef.ticket)
    assert "No ticket has this code." in said("ABCDE-FGHJK")
    refused = said(day.fes_seat.ticket)
    assert "attendance you don't take" in refused and "Omar" not in refused
    assert "Type the ticket's code" in said("   ")
    assert Attendance.objects.count() == 1


def test_the_form_is_made_for_typing_codes_and_scanning_where_possible(client, day):
    """A labelled text input without autocomplete, in capitals; the camera button hidden until
    the site's script (a file, not inline) finds a QR reader; no inline script at all."""
    client.force_login(day.trainer)
    soup = soup_of(client.get(page_url(day.bootcamp)))
    form = soup.select_one("form[data-checkin-form]")
    assert form["method"] == "post"
    field = form.select_one("input[name=ticket]")
    assert soup.select_one(f"label[for={field['id']}]")
    assert (field["autocomplete"], field["autocapitalize"], field["inputmode"]) == (
        "off",
        "characters",
        "text",
    )
    assert form.select_one("[data-scan-start]").has_attr("hidden")
    scripts = soup.find_all("script")
    assert [s.get("src") for s in scripts if s.get("src")] == ["/static/learners/checkin.js"]
    assert all(s.get("src") or s.get("type") == "application/ld+json" for s in scripts)
    assert not soup.select("[style]")


# The meeting and attendance on the list


def test_todays_meeting_is_shown_unless_another_is_chosen(client, day):
    """Today's by default; yesterday's when asked; a garbled or foreign id falls back."""
    yesterday, today, _tomorrow = meetings(day.bootcamp)
    foreign = meetings(day.other)[0]
    client.force_login(day.trainer)

    def shown(query=""):
        soup = soup_of(client.get(page_url(day.bootcamp) + query))
        return int(soup.select_one("#meeting-choice option[selected]")["value"])

    assert shown() == today.pk
    assert shown(f"?meeting={yesterday.pk}") == yesterday.pk
    for garbage in ("x", "-1", "٣", str(foreign.pk), "9" * 30):
        assert shown(f"?meeting={garbage}") == today.pk, garbage


def test_marking_present_then_absent_from_the_list(client, day):
    """Yesterday's meeting: present, then corrected to absent, by way of the list; back on
    the row each time, the state shown."""
    yesterday = meetings(day.bootcamp)[0]
    client.force_login(day.trainer)
    response = mark(client, day.bootcamp, day.omar, yesterday, "1")
    assert response.status_code == 302
    assert response["Location"].endswith(f"?meeting={yesterday.pk}#participant-{day.omar.pk}")
    soup = soup_of(client.get(response["Location"]))
    assert soup.select_one(f"#participant-{day.omar.pk} [data-attendance]")["data-attendance"] == (
        "present"
    )
    assert Enrolment.objects.get(pk=day.omar.pk).status == "attended"
    mark(client, day.bootcamp, day.omar, yesterday, "0")
    attendance = Attendance.objects.get(enrolment=day.omar)
    assert (attendance.present, attendance.method) == (False, "list")
    soup = soup_of(client.get(page_url(day.bootcamp, yesterday)))
    row = soup.select_one(f"#participant-{day.omar.pk}")
    assert row.select_one("[data-attendance]")["data-attendance"] == "absent"
    assert len(row.select("form button[name=present]")) == 2


def test_no_marking_before_the_meeting_starts(client, day):
    """Tomorrow's meeting: no buttons, a note saying from when; a forged POST is refused with
    the message and records nothing."""
    tomorrow = meetings(day.bootcamp)[2]
    client.force_login(day.trainer)
    soup = soup_of(client.get(page_url(day.bootcamp, tomorrow)))
    assert soup.select_one("[data-not-started]") is not None
    assert not soup.select("form button[name=present]")
    response = mark(client, day.bootcamp, day.amina, tomorrow, "1")
    soup = soup_of(client.get(response["Location"]))
    [message] = [p.get_text(" ", strip=True) for p in soup.select(".site-messages .alert")]
    assert "Amina Benali" in message
    assert soup.select_one(".site-messages .alert")["role"] == "alert"
    assert not Attendance.objects.exists()


def test_marking_takes_this_sessions_seats_and_well_formed_requests_only(client, day):
    """Another session's enrolment, a waitlisted learner, a missing choice: refused with a
    message, nothing recorded."""
    yesterday = meetings(day.bootcamp)[0]
    client.force_login(day.editor)
    for enrolment in (day.next_month, day.youssef):
        response = mark(client, day.bootcamp, enrolment, yesterday, "1")
        assert response.status_code == 302
    url = reverse("learners:teaching_attendance", args=[day.bootcamp.pk])
    for data in ({}, {"enrolment": day.amina.pk, "meeting": yesterday.pk, "present": "yes"}):
        assert client.post(url, data).status_code == 302
    assert not Attendance.objects.exists()


# Who may, and what it costs


def test_only_those_who_take_attendance_may_post(client, day):
    """A programme manager and a learner get 404 on both forms, and nothing is recorded; an
    anonymous visitor is sent to log in; GET is not allowed."""
    yesterday = meetings(day.bootcamp)[0]
    for user in (day.manager, day.amina.learner):
        client.force_login(user)
        assert check_in(client, day.bootcamp, day.amina.ticket).status_code == 404
        assert mark(client, day.bootcamp, day.amina, yesterday, "1").status_code == 404
    client.logout()
    response = check_in(client, day.bootcamp, day.amina.ticket)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(day.trainer)
    assert (
        client.get(reverse("learners:teaching_checkin", args=[day.bootcamp.pk])).status_code == 405
    )
    assert not Attendance.objects.exists()


def test_the_list_costs_the_same_queries_for_two_or_twelve_participants(client, day):
    """Seats, waiting list, meetings and the chosen meeting's attendance: a fixed number of
    queries."""
    yesterday = meetings(day.bootcamp)[0]
    client.force_login(day.editor)
    mark(client, day.bootcamp, day.amina, yesterday, "1")
    url = page_url(day.bootcamp, yesterday)
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as captured:
            soup = soup_of(client.get(url))
        return len(captured), len(soup.select("tr.participant"))

    few, rows = count()
    Session.objects.filter(pk=day.bootcamp.pk).update(capacity=12)
    for n in range(10):
        learner = factories.learner(f"more{n}@example.com")
        enrolment = Enrolment.objects.create(
            session=day.bootcamp, learner=learner, status="confirmed"
        )
        if n % 2:
            Attendance.objects.create(
                enrolment=enrolment, meeting=yesterday, present=True, method="list"
            )
    many, more_rows = count()
    assert (rows, more_rows) == (3, 13)
    assert many == few
