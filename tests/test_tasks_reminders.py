"""Reminders relative to the start, at the offsets each session sets: owed once each, only to
learners confirmed before the reminder's time, again when the session moves, in a bounded
number of queries; the email says how long before."""

from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from courses.models import Session
from enrolments.emails import time_to_go
from enrolments.models import Enrolment, Notification
from enrolments.outbox import send_notification, send_reminders
from tests import factories

# Beat's clock in these tests: a March morning in 2031 (Morocco at UTC+1), far from today, so
# that the sessions have not started whenever the emails are sent.
NOW = datetime(2031, 3, 3, 8, 0, tzinfo=UTC)
DAY, HOUR, MINUTE = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)


@pytest.fixture
def course(tree):
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    return factories.course(tree, "Introduction au machine learning", root)


def session_at(course, starts_at, **fields):
    return Session.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=starts_at + 3 * HOUR,
        institute=course.institute,
        **fields,
    )


def enrolled(session, name, *, at, status="confirmed"):
    """`name` enrolled (and, if confirmed, confirmed) at `at`."""
    learner = factories.learner(f"{name}@example.com", language="en")
    return Enrolment.objects.create(
        session=session,
        learner=learner,
        status=status,
        queued_at=at,
        confirmed_at=at if status == "confirmed" else None,
    )


def run(django_capture_on_commit_callbacks, at):
    """Beat's run at `at`: how many reminders it owed, and the emails sent (To, body)."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        owed = send_reminders(now=at.isoformat())
    return owed, [(m.to[0].split("@")[0], m.body) for m in mail.outbox]


def test_default_reminders_a_week_and_a_day_before_once_each(
    course, django_capture_on_commit_callbacks
):
    """ "7d, 1d": one a week before ("in 7 days"), one the day before ("tomorrow"), each once."""
    session = session_at(course, NOW + 10 * DAY)
    assert session.reminders == "7d, 1d"
    enrolled(session, "amina", at=NOW - DAY)
    remind = partial(run, django_capture_on_commit_callbacks)

    assert remind(NOW + 2 * DAY) == (0, [])  # eight days before: nothing yet
    owed, [(to, body)] = remind(NOW + 3 * DAY + MINUTE)
    assert (owed, to) == (1, "amina")
    assert "Your session starts in 7 days: Thursday 13 March 2031 at 09:00" in body
    assert remind(NOW + 3 * DAY + 2 * MINUTE) == (0, [])  # the next run: nothing new
    assert remind(NOW + 8 * DAY) == (0, [])
    owed, [(to, body)] = remind(NOW + 9 * DAY + 15 * MINUTE)
    assert (owed, to) == (1, "amina")
    assert "Your session starts tomorrow: Thursday 13 March 2031 at 09:00" in body
    assert remind(NOW + 9 * DAY + 12 * HOUR) == (0, [])
    assert remind(NOW + 10 * DAY) == (0, [])  # started
    keys = sorted(Notification.objects.filter(kind="reminder").values_list("key", flat=True))
    enrolment = Enrolment.objects.get()
    assert keys == [
        f"reminder:{enrolment.pk}:2031-03-13T08:00:00+00:00:604800",
        f"reminder:{enrolment.pk}:2031-03-13T08:00:00+00:00:86400",
    ]


def test_a_custom_offset_of_two_hours(course, django_capture_on_commit_callbacks):
    """ "2h": one reminder, two hours before ("in 2 hours"), none a day before."""
    session = session_at(course, NOW + 5 * HOUR, reminders="2h")
    enrolled(session, "amina", at=NOW - 3 * DAY)
    remind = partial(run, django_capture_on_commit_callbacks)
    assert remind(NOW) == (0, [])
    assert remind(NOW + 2 * HOUR) == (0, [])
    owed, [(to, body)] = remind(NOW + 3 * HOUR + 5 * MINUTE)
    assert (owed, to) == (1, "amina")
    assert "Your session starts in 2 hours: Monday 3 March 2031 at 14:00" in body
    assert remind(NOW + 4 * HOUR) == (0, [])


def test_no_reminder_when_the_session_sets_none(course, django_capture_on_commit_callbacks):
    """An empty reminders field: no reminder at any time."""
    session = session_at(course, NOW + 10 * DAY, reminders="")
    enrolled(session, "amina", at=NOW - DAY)
    for at in (NOW + 3 * DAY + MINUTE, NOW + 9 * DAY + MINUTE, NOW + 10 * DAY - MINUTE):
        assert run(django_capture_on_commit_callbacks, at) == (0, [])
    assert not Notification.objects.filter(kind="reminder").exists()


def test_only_learners_confirmed_before_the_reminders_time(
    course, django_capture_on_commit_callbacks
):
    """A learner confirmed after the week-before reminder gets only the day-before one; one
    confirmed the day before gets neither (the confirmation said it all)."""
    session = session_at(course, NOW + 10 * DAY)
    enrolled(session, "early", at=NOW)
    enrolled(session, "midway", at=NOW + 5 * DAY)
    enrolled(session, "late", at=NOW + 9 * DAY + 12 * HOUR)
    enrolled(session, "waiting", at=NOW, status="waitlisted")
    enrolled(session, "gone", at=NOW, status="cancelled")

    assert run(django_capture_on_commit_callbacks, NOW + 3 * DAY + MINUTE)[1][0][0] == "early"
    owed, sent = run(django_capture_on_commit_callbacks, NOW + 9 * DAY + MINUTE)
    assert (owed, sorted(to for to, _body in sent)) == (2, ["early", "midway"])
    assert run(django_capture_on_commit_callbacks, NOW + 9 * DAY + 13 * HOUR) == (0, [])


def test_a_cancelled_session_is_not_reminded(course, django_capture_on_commit_callbacks):
    """Cancelled sessions are left out, whatever their learners' status says."""
    session = session_at(course, NOW + 10 * DAY, status="cancelled")
    enrolled(session, "amina", at=NOW - DAY)
    assert run(django_capture_on_commit_callbacks, NOW + 9 * DAY + MINUTE) == (0, [])


def test_a_moved_session_is_reminded_again(course, django_capture_on_commit_callbacks):
    """Moved after its reminder, a session is reminded for its new date; a reminder still
    waiting for the broker when it moved is not sent for the old date."""
    session = session_at(course, NOW + 10 * DAY)
    enrolled(session, "amina", at=NOW - DAY)
    assert run(django_capture_on_commit_callbacks, NOW + 9 * DAY + MINUTE)[0] == 1

    session.starts_at, session.ends_at = NOW + 20 * DAY, NOW + 20 * DAY + 3 * HOUR
    session.save()
    owed, [(to, body)] = run(django_capture_on_commit_callbacks, NOW + 13 * DAY + MINUTE)
    assert (owed, to) == (1, "amina")
    assert "in 7 days: Sunday 23 March 2031" in body

    # Owed, then moved again before the broker took it (not captured: left pending).
    assert send_reminders(now=(NOW + 19 * DAY + MINUTE).isoformat()) == 1
    stale = Notification.objects.get(kind="reminder", sent_at__isnull=True)
    Session.objects.filter(pk=session.pk).update(
        starts_at=NOW + 30 * DAY, ends_at=NOW + 30 * DAY + 3 * HOUR
    )
    assert send_notification(stale.pk) == "obsolete"
    assert Notification.objects.filter(kind="reminder").count() == 3


def test_a_bounded_number_of_queries(course, django_capture_on_commit_callbacks):
    """The same number of queries for one session and one learner as for six sessions of
    five learners: not one per session or enrolment."""

    def queries_for(sessions, learners, first):
        for number in range(sessions):
            session = session_at(course, NOW + 10 * DAY + number * HOUR)
            for learner in range(learners):
                enrolled(session, f"l{first}-{number}-{learner}", at=NOW - DAY)
        with CaptureQueriesContext(connection) as queries:
            owed = send_reminders(now=NOW + 9 * DAY + 12 * HOUR)
        assert owed == sessions * learners
        Session.objects.all().update(status="cancelled")  # out of the next count
        return len(queries)

    assert queries_for(1, 1, "a") == queries_for(6, 5, "b")


@pytest.mark.parametrize(
    ("starts_at", "now", "said"),
    [
        (NOW + 7 * DAY, NOW, "in 7 days"),
        (NOW + 7 * DAY, NOW + 15 * MINUTE, "in 7 days"),
        (NOW + 2 * DAY, NOW + 3 * HOUR, "in 2 days"),
        (NOW + DAY, NOW, "tomorrow"),
        # 08:00 UTC is 09:00 in Casablanca: at 23:30 the evening before, it is tomorrow.
        (NOW, NOW - 9 * HOUR - 30 * MINUTE, "tomorrow"),
        (NOW, NOW - 2 * HOUR, "in 2 hours"),
        (NOW, NOW - 105 * MINUTE, "in 2 hours"),
        (NOW, NOW - 40 * MINUTE, "in 1 hour"),
    ],
)
def test_how_long_before_the_reminder_says(starts_at, now, said):
    """Days on Casablanca's calendar, then "tomorrow", then hours (at least one)."""
    with translation.override("en"):
        assert time_to_go(starts_at, now) == said
