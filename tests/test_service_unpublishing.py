"""Withdrawing a course or cancelling a session with learners tells them, one email each.

Unpublishing a course page owes each learner awaiting one of its sessions that has not ended
(confirmed or waitlisted) one email per unpublishing, their enrolment unchanged; cancelling a
session cancels its enrolments and tells each learner once.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail

from courses.models import CoursePage, Session
from enrolments.models import Enrolment, Notification
from enrolments.outbox import send_notification
from enrolments.services.enrolment import cancel, enrol
from enrolments.services.sessions import cancel_session, tell_course_unpublished
from tests import factories
from tests.accounts import log_in
from tests.shared_data import built_once, fresh


def build_setting(tree):
    """A published course with two coming sessions and one past, and learners in every state:
    Amina and Karim have a seat in the first session, Salma waits for one, Omar cancelled, Leila
    is also in the second session, Nadia was in the past one."""
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    first = factories.session(course, starts_in=timedelta(days=10), capacity=2)
    second = factories.session(course, starts_in=timedelta(days=40), capacity=5)
    past = factories.session(course, starts_in=timedelta(days=-30))
    course.save_revision().publish()  # a publication to withdraw
    people = {
        name: factories.learner(f"{name}@example.com", language="en")
        for name in ("amina", "karim", "salma", "omar", "leila", "nadia")
    }
    for name in ("amina", "karim", "salma", "omar"):
        enrol(people[name], first.pk)
    cancel(Enrolment.objects.get(learner=people["omar"]).pk, actor=people["omar"])
    enrol(people["leila"], second.pk)
    Enrolment.objects.create(session=past, learner=people["nadia"], status="confirmed")
    Enrolment.objects.create(session=second, learner=people["amina"], status="confirmed")
    Notification.objects.all().delete()  # the confirmations, sent long ago
    return {"course": CoursePage.objects.get(pk=course.pk), "first": first, "people": people}


@pytest.fixture(scope="module")
def setting_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build_setting(factories.site_tree())


@pytest.fixture
def setting(setting_once, db):
    """The module's setting, read again for this test."""
    return fresh(setting_once)


def emails_of(kind):
    return sorted(
        n.user.email.split("@")[0]
        for n in Notification.objects.filter(kind=kind).select_related("user")
    )


def statuses():
    return sorted(Enrolment.objects.values_list("learner__email", "session_id", "status"))


def test_unpublishing_tells_each_awaiting_learner_once(setting, django_capture_on_commit_callbacks):
    """Confirmed and waitlisted learners of coming sessions, once each (Amina, in two sessions,
    once); not who cancelled, not a past session's; enrolments unchanged."""
    before = statuses()
    with django_capture_on_commit_callbacks(execute=True):
        setting["course"].unpublish()
    assert emails_of("course_unpublished") == ["amina", "karim", "leila", "salma"]
    assert sorted(m.to[0].split("@")[0] for m in mail.outbox) == [
        "amina",
        "karim",
        "leila",
        "salma",
    ]
    assert statuses() == before
    # Run again for the same unpublishing (a retried signal): nothing more is owed.
    tell_course_unpublished(CoursePage.objects.get(pk=setting["course"].pk))
    assert Notification.objects.filter(kind="course_unpublished").count() == 4


def test_unpublished_again_after_publishing_again_tells_again(setting):
    """Each unpublishing is told once: published again, then unpublished, learners hear again."""
    course = setting["course"]
    course.unpublish()
    course = CoursePage.objects.get(pk=course.pk)
    course.save_revision().publish()
    CoursePage.objects.get(pk=course.pk).unpublish()
    assert Notification.objects.filter(kind="course_unpublished").count() == 8


def test_the_email_says_the_enrolment_stands(setting, django_capture_on_commit_callbacks):
    """No longer listed, enrolment unchanged, told if the session is cancelled; a link to the
    dashboard and none to the page that is gone."""
    with django_capture_on_commit_callbacks(execute=True):
        setting["course"].unpublish()
    message = next(m for m in mail.outbox if m.to == ["karim@example.com"])
    assert message.subject == "Course no longer listed: Introduction au machine learning"
    for text in (
        "no longer listed on Jazari Skills",
        "Your enrolment is unchanged",
        "If the session is cancelled, we will tell you by email",
        "http://testserver/en/dashboard/",
    ):
        assert text in message.body
    assert "/courses/jazari-root/introduction-au-machine-learning/" not in message.body
    html = BeautifulSoup(message.alternatives[0][0], "html.parser")
    hrefs = [a["href"] for a in html.find_all("a")]
    assert "http://testserver/en/dashboard/" in hrefs
    assert not any("/courses/" in href for href in hrefs)


def test_the_email_is_not_sent_once_the_course_is_published_again(setting):
    """Owed while the broker was away, it is dropped if the course is back in the catalogue."""
    setting["course"].unpublish()
    CoursePage.objects.get(pk=setting["course"].pk).save_revision().publish()
    pending = Notification.objects.filter(kind="course_unpublished", sent_at__isnull=True)
    assert {send_notification(n.pk) for n in pending} == {"obsolete"}
    assert mail.outbox == []


def test_unpublishing_in_the_admin_tells_the_learners(setting, client):
    """The admin's unpublish action goes the same way (Wagtail's `page_unpublished`)."""
    admin = get_user_model().objects.create_superuser("admin", "admin@jazari.ma", "pw")
    log_in(client, admin)
    url = f"/admin/pages/{setting['course'].pk}/unpublish/"
    assert client.post(url).status_code == 302
    assert not CoursePage.objects.get(pk=setting["course"].pk).live
    assert emails_of("course_unpublished") == ["amina", "karim", "leila", "salma"]


def test_cancelling_a_session_tells_each_learner_once(setting, django_capture_on_commit_callbacks):
    """Every learner awaiting the session gets one "session cancelled" email, and their
    enrolment is cancelled; cancelling again tells nobody again."""
    first = setting["first"]
    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(first.pk, actor=None)
        cancel_session(first.pk, actor=None)
    assert sorted(m.to[0].split("@")[0] for m in mail.outbox) == ["amina", "karim", "salma"]
    assert all(m.subject.startswith("Session cancelled") for m in mail.outbox)
    assert set(Enrolment.objects.filter(session=first).values_list("status", flat=True)) == {
        "cancelled"
    }


def test_cancelling_a_session_on_the_course_page_tells_each_learner_once(
    setting, django_capture_on_commit_callbacks
):
    """Set to cancelled in the course form and published, the session tells its learners once,
    however often the course is published afterwards."""
    course = setting["course"]
    sessions = list(course.sessions.all())
    [session] = [s for s in sessions if s.pk == setting["first"].pk]
    session.status = "cancelled"
    course.sessions = sessions
    with django_capture_on_commit_callbacks(execute=True):
        course.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        CoursePage.objects.get(pk=course.pk).save_revision().publish()
    assert emails_of("session_cancelled") == ["amina", "karim", "salma"]
    assert len(mail.outbox) == 3
    assert Session.objects.get(pk=session.pk).status == "cancelled"
    assert Enrolment.objects.get(learner__email="leila@example.com").status == "confirmed"
