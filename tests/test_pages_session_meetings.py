"""A session's meetings shown to learners: on the course page (folded, in Casablanca time, a
fixed number of queries) and in the emails' session block (text and HTML)."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Session
from enrolments.emails import build_email
from enrolments.models import Enrolment, Notification
from tests import factories

# Monday 16 June 2031, 09:00 in Casablanca (UTC+1 in June).
MONDAY = datetime(2031, 6, 16, 8, 0, tzinfo=UTC)
SCHEDULE = "16/06/2031 09:00-12:30\n17/06/2031 09:00-12:30\n18/06/2031 14:00-17:00"


@pytest.fixture
def course(tree):
    rabat = factories.institute(tree, "Jazari Root", is_hub=True)
    return factories.course(tree, "Bootcamp data", rabat, format="bootcamp")


def bootcamp(course, schedule=SCHEDULE):
    return Session.objects.create(
        course=course,
        starts_at=MONDAY,
        ends_at=MONDAY + timedelta(days=2, hours=8),
        institute=course.institute,
        schedule=schedule,
        capacity=10,
    )


def test_the_course_page_lists_a_sessions_meetings(client, course):
    """Three meetings, folded under "3 meetings", each day and times in Casablanca; a one-day
    session lists none."""
    session = bootcamp(course)
    single = factories.session(course, starts_in=timedelta(days=30), hours=3)
    response = client.get(f"/en{course.url}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    folded = soup.select_one(f"#session-{session.pk} details.session-meetings")
    assert folded.summary.get_text(strip=True) == "3 meetings"
    assert [" ".join(li.get_text(" ").split()) for li in folded.select("li")] == [
        "Mon 16 Jun, 09:00 – 12:30",
        "Tue 17 Jun, 09:00 – 12:30",
        "Wed 18 Jun, 14:00 – 17:00",
    ]
    assert [li.time["datetime"] for li in folded.select("li")] == [
        "2031-06-16T09:00:00+01:00",
        "2031-06-17T09:00:00+01:00",
        "2031-06-18T14:00:00+01:00",
    ]
    assert soup.select_one(f"#session-{single.pk} details") is None


def test_the_course_page_costs_the_same_queries_whatever_the_meetings(client, course):
    """One session with one meeting, or three sessions with three meetings each: the same
    number of queries."""
    factories.session(course, starts_in=timedelta(days=30), hours=3)
    client.get(course.url)  # caches warmed
    with CaptureQueriesContext(connection) as few:
        client.get(course.url)
    for weeks in (1, 2, 3):
        shifted = "\n".join(
            (datetime.strptime(line[:10], "%d/%m/%Y") + timedelta(weeks=weeks)).strftime("%d/%m/%Y")
            + line[10:]
            for line in SCHEDULE.splitlines()
        )
        session = bootcamp(course, shifted)
        Session.objects.filter(pk=session.pk).update(
            starts_at=MONDAY + timedelta(weeks=weeks),
            ends_at=MONDAY + timedelta(weeks=weeks, days=2, hours=8),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(course.url)
    assert response.content.decode().count("session-meetings__list") == 3
    assert len(many) == len(few)


def owed_email(session, language="en"):
    learner = factories.learner("amina@example.com", language=language)
    enrolment = Enrolment.objects.create(session=session, learner=learner, status="confirmed")
    notification = Notification.objects.create(
        key=f"test:{enrolment.pk}", kind="confirmed", user=learner, enrolment=enrolment
    )
    return build_email(notification)


def test_the_emails_list_the_meetings(course):
    """The confirmation's session block lists the three meetings, in text and in HTML."""
    message = owed_email(bootcamp(course))
    assert (
        "- Meetings:\n"
        "  1. Mon 16 Jun 2031, 09:00–12:30\n"
        "  2. Tue 17 Jun 2031, 09:00–12:30\n"
        "  3. Wed 18 Jun 2031, 14:00–17:00\n"
    ) in message.body
    [(html, _mimetype)] = message.alternatives
    items = [
        " ".join(li.get_text(" ").split())
        for li in BeautifulSoup(html, "html.parser").select("ol li")
    ]
    assert items == [
        "Mon 16 Jun 2031, 09:00–12:30",
        "Tue 17 Jun 2031, 09:00–12:30",
        "Wed 18 Jun 2031, 14:00–17:00",
    ]


def test_a_one_meeting_sessions_email_is_as_before(course):
    """A one-day session's block has its date and times, and no list of meetings."""
    session = factories.session(course, starts_in=timedelta(days=30), hours=3)
    message = owed_email(session)
    assert "Meetings:" not in message.body and "<ol" not in message.alternatives[0][0]
