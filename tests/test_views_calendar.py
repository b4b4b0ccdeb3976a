"""Calendar files: a session's `.ics` and a learner's private feed, read back with icalendar;
one event per meeting."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from courses.models import Meeting, Session
from enrolments.models import EnrolmentStatus
from enrolments.services.enrolment import cancel, enrol
from jazari.time import CASABLANCA, in_casablanca
from learners.calendar import learner_feed_ics, session_ics
from tests import factories

SECRET = "https://meet.example.com/very-secret-room"


@pytest.fixture(autouse=True)
def _english():
    """Texts in English, URLs under `/en/`."""
    translation.activate("en")


@pytest.fixture
def course(tree):
    fes = factories.institute(
        tree,
        "Jazari Institute Fès",
        region="fes-meknes",
        city="Fès",
        address="Route d'Imouzzer\nQuartier universitaire",
    )
    return factories.course(tree, "LLM et langue arabe", fes, summary="Adapter un LLM à la darija.")


@pytest.fixture
def online(course):
    return factories.session(course, mode="online", online_url=SECRET, capacity=1)


@pytest.fixture
def in_person(course):
    return factories.session(course, starts_in=timedelta(days=20), mode="in_person")


def events(content):
    calendar = Calendar.from_ical(content)
    return calendar, calendar.walk("VEVENT")


def test_session_ics_is_public_and_in_utc(online, client):
    """Anyone downloads a session's `.ics`: one event, UTC times, the course, no online link."""
    response = client.get(reverse("learners:session_calendar", args=[online.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="jazari-session-{online.pk}.ics"'
    )
    _calendar, [event] = events(response.content)
    assert str(event["uid"]) == f"session-{online.pk}@jazari-skills"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.utcoffset() == timedelta(0) and start.tzinfo.key == "UTC"
    assert (start, end) == (
        online.starts_at.astimezone(UTC).replace(microsecond=0),
        online.ends_at.astimezone(UTC).replace(microsecond=0),
    )
    assert b"DTSTART:" in response.content and b"Z\r\n" in response.content
    assert str(event["summary"]) == "LLM et langue arabe"
    assert "Adapter un LLM" in str(event["description"])
    assert online.course.url in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert SECRET.encode() not in response.content


def test_session_ics_follows_the_viewers_enrolment(online, client):
    """A waitlisted learner's `.ics` is tentative without the link; a confirmed one's has it."""
    confirmed, waiting = factories.learner("a@example.com"), factories.learner("b@example.com")
    enrol(confirmed, online.pk)
    assert enrol(waiting, online.pk).enrolment.status == EnrolmentStatus.WAITLISTED
    url = reverse("learners:session_calendar", args=[online.pk])

    client.force_login(waiting)
    content = client.get(url).content
    _calendar, [event] = events(content)
    assert str(event["status"]) == "TENTATIVE"
    assert str(event["summary"]) == "LLM et langue arabe (waiting list)"
    assert str(event["location"]) == "Online"
    assert SECRET.encode() not in content

    client.force_login(confirmed)
    _calendar, [event] = events(client.get(url).content)
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["summary"]) == "LLM et langue arabe"
    assert str(event["location"]) == SECRET
    assert SECRET in str(event["description"])

    client.logout()
    content = client.get(url).content
    _calendar, [event] = events(content)
    assert str(event["status"]) == "CONFIRMED"
    assert SECRET.encode() not in content


def test_in_person_location_is_the_venue_and_its_address(in_person):
    """An in-person session's location names the institute, its address and city."""
    _calendar, [event] = events(session_ics(in_person))
    assert str(event["location"]) == (
        "Jazari Institute Fès, Route d'Imouzzer, Quartier universitaire, Fès"
    )


def test_cancelled_session_is_marked_cancelled(in_person):
    """A session the organisers cancelled carries STATUS:CANCELLED."""
    Session.objects.filter(pk=in_person.pk).update(status="cancelled")
    in_person.refresh_from_db()
    _calendar, [event] = events(session_ics(in_person))
    assert str(event["status"]) == "CANCELLED"


def test_session_ics_for_an_unpublished_course_is_not_found(online, client):
    """Sessions of a course taken offline are not served to the public; unknown ids are 404."""
    online.course.unpublish()
    assert client.get(reverse("learners:session_calendar", args=[online.pk])).status_code == 404
    assert client.get(reverse("learners:session_calendar", args=[999_999])).status_code == 404


def test_feed_lists_active_enrolments(online, in_person, course, client):
    """The private feed has confirmed and waitlisted sessions, not cancelled ones."""
    learner = factories.learner("a@example.com", language="en")
    enrol(factories.learner("b@example.com"), online.pk)  # takes the only seat
    enrol(learner, online.pk)  # waitlisted
    enrol(learner, in_person.pk)  # confirmed
    dropped = factories.session(course, starts_in=timedelta(days=50))
    cancel(enrol(learner, dropped.pk).enrolment.pk, actor=learner)

    url = reverse("learners:calendar_feed", args=[learner.profile.calendar_token])
    response = client.get(url)  # no session: the token is the key
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, feed = events(response.content)
    assert str(calendar["x-wr-calname"]) == "Jazari Skills: my sessions"
    assert [str(event["uid"]) for event in feed] == [
        f"session-{online.pk}@jazari-skills",
        f"session-{in_person.pk}@jazari-skills",
    ]
    assert str(feed[0]["summary"]) == "LLM et langue arabe (waiting list)"
    assert str(feed[1]["summary"]) == "LLM et langue arabe"
    assert SECRET.encode() not in response.content  # waitlisted: no link yet


def test_feed_is_written_in_the_learners_language(online, client):
    """The feed follows the learner's preferred language, whatever the URL's prefix."""
    learner = factories.learner("a@example.com", language="fr")
    enrol(factories.learner("b@example.com"), online.pk)
    enrol(learner, online.pk)
    content = client.get(f"/calendar/{learner.profile.calendar_token}.ics").content.decode()
    assert "SUMMARY:LLM et langue arabe (liste d'attente)" in content
    assert "X-WR-CALNAME:Jazari Skills : mes sessions" in content


def test_feed_has_the_link_of_confirmed_online_sessions(online, client):
    """A confirmed learner's feed carries the online link."""
    learner = factories.learner()
    enrol(learner, online.pk)
    content = learner_feed_ics(learner)
    _calendar, [event] = events(content)
    assert str(event["location"]) == SECRET


def test_wrong_feed_token_is_not_found(online, client):
    """An unknown token is a 404, not someone else's calendar."""
    factories.learner()
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert client.get("/en/calendar/x.ics").status_code == 404


def test_a_new_calendar_link_replaces_the_old_one(online, client):
    """The dashboard's "New calendar link" (a POST with its CSRF token) replaces the private
    address: the old feed URL answers 404, the new one serves the feed, a message says so."""
    learner = factories.learner("a@example.com", language="en")
    enrol(learner, online.pk)
    old_token = learner.profile.calendar_token
    old_url = reverse("learners:calendar_feed", args=[old_token])
    renew_url = reverse("learners:renew_calendar")

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    dashboard = browser.get(reverse("learners:dashboard"))
    page = dashboard.content.decode()
    assert f'action="{renew_url}"' in page and "New calendar link" in page
    assert browser.post(renew_url).status_code == 403  # no CSRF token: refused, nothing changed
    learner.profile.refresh_from_db()
    assert learner.profile.calendar_token == old_token
    assert browser.get(renew_url).status_code == 405

    csrf = browser.cookies["csrftoken"].value
    response = browser.post(renew_url, {"csrfmiddlewaretoken": csrf}, follow=True)
    assert response.redirect_chain[-1][0].endswith(
        reverse("learners:dashboard") + "#calendar-title"
    )
    assert "Your calendar has a new private address" in response.content.decode()
    learner.profile.refresh_from_db()
    new_token = learner.profile.calendar_token
    assert new_token != old_token
    assert new_token in response.content.decode()  # the dashboard shows the new address
    assert client.get(old_url).status_code == 404
    fresh = client.get(reverse("learners:calendar_feed", args=[new_token]))
    assert fresh.status_code == 200
    assert [str(e["uid"]) for e in events(fresh.content)[1]] == [
        f"session-{online.pk}@jazari-skills"
    ]


def test_only_a_signed_in_learner_may_renew_the_calendar_link(client):
    response = client.post(reverse("learners:renew_calendar"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# Meetings: one event each


@pytest.fixture
def bootcamp(course):
    """Three meetings: two mornings and an afternoon, in Casablanca time."""
    session = factories.session(course, starts_in=timedelta(days=40), mode="in_person")
    day = timezone.localtime(session.starts_at, CASABLANCA).date()
    session.schedule = "\n".join(
        (
            f"{day:%d/%m/%Y} 09:00-12:00",
            f"{day + timedelta(days=1):%d/%m/%Y} 09:00-12:00",
            f"{day + timedelta(days=2):%d/%m/%Y} 14:00-17:30",
        )
    )
    session.starts_at = in_casablanca(datetime.combine(day, time(9)))
    session.ends_at = in_casablanca(datetime.combine(day + timedelta(days=2), time(17, 30)))
    session.save()
    return session


def test_a_session_with_several_meetings_has_one_event_each(bootcamp, client):
    """Three VEVENTs at the meetings' times, numbered in the summary; the first keeps the
    session's UID, the others have one per meeting."""
    meetings = list(Meeting.objects.filter(session=bootcamp).order_by("starts_at"))
    response = client.get(reverse("learners:session_calendar", args=[bootcamp.pk]))
    _calendar, found = events(response.content)
    assert [str(event["uid"]) for event in found] == [
        f"session-{bootcamp.pk}@jazari-skills",
        f"session-{bootcamp.pk}-meeting-{meetings[1].pk}@jazari-skills",
        f"session-{bootcamp.pk}-meeting-{meetings[2].pk}@jazari-skills",
    ]
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in found] == [
        (m.starts_at.astimezone(UTC), m.ends_at.astimezone(UTC)) for m in meetings
    ]
    assert [str(event["summary"]) for event in found] == [
        "LLM et langue arabe (1/3)",
        "LLM et langue arabe (2/3)",
        "LLM et langue arabe (3/3)",
    ]
    assert {str(event["location"]) for event in found} == {
        "Jazari Institute Fès, Route d'Imouzzer, Quartier universitaire, Fès"
    }


def test_a_one_meeting_sessions_event_keeps_its_uid_when_meetings_are_added(in_person):
    """One meeting: the event at its times, with the session's UID; given two more meetings,
    that first event keeps it, so a calendar updates it rather than adding a copy."""
    [meeting] = Meeting.objects.filter(session=in_person)
    _calendar, [event] = events(session_ics(in_person))
    assert str(event["uid"]) == f"session-{in_person.pk}@jazari-skills"
    assert event.decoded("dtstart") == meeting.starts_at.astimezone(UTC).replace(microsecond=0)
    start = timezone.localtime(in_person.starts_at, CASABLANCA)
    in_person.ends_at = in_person.starts_at + timedelta(days=2)
    in_person.schedule = "\n".join(
        f"{start + timedelta(days=n):%d/%m/%Y %H:%M}-23:59" for n in range(3)
    )
    in_person.save()
    _calendar, found = events(session_ics(in_person))
    assert len(found) == 3 and str(found[0]["uid"]) == f"session-{in_person.pk}@jazari-skills"


def test_the_feed_has_every_meeting_in_a_fixed_number_of_queries(course, bootcamp, in_person):
    """A learner's feed lists each meeting of each session; more sessions and meetings cost no
    more queries."""
    learner = factories.learner("a@example.com", language="en")
    enrol(learner, in_person.pk)
    learner_feed_ics(learner)  # the site's root paths, cached from then on
    with CaptureQueriesContext(connection) as one:
        _calendar, found = events(learner_feed_ics(learner))
    assert len(found) == 1
    enrol(learner, bootcamp.pk)
    enrol(learner, factories.session(course, starts_in=timedelta(days=60), hours=2).pk)
    with CaptureQueriesContext(connection) as three:
        _calendar, found = events(learner_feed_ics(learner))
    assert len(found) == 1 + 3 + 1
    assert len(three) == len(one)
