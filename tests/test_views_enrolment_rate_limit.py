"""A learner enrolling and cancelling in a loop is stopped: `ENROLMENT_RATE_LIMIT` a minute.

Pages and the API count together, per learner; beyond the limit the page answers a 429 page and
the API 429 JSON, both with `Retry-After`, and nothing changes: no enrolment, no email. The
clock of `enrolments.ratelimit` is set to a fixed moment so the minute cannot turn mid-test.
"""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from enrolments import ratelimit
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services.enrolment import enrol
from tests import factories
from tests.api_client import InProcessApi

MINUTE_START = 1_800_000_000.0  # a multiple of 60: the start of a minute
NOW = MINUTE_START + 29.5  # 30.5 s before the minute ends: Retry-After 31


@pytest.fixture(autouse=True)
def _fixed_clock_and_fresh_counts(monkeypatch):
    cache.clear()
    monkeypatch.setattr(ratelimit, "clock", lambda: NOW)
    yield
    cache.clear()


@pytest.fixture
def sessions(tree):
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    return [factories.session(course, capacity=5) for _ in range(8)]


@pytest.fixture
def amina(db):
    return factories.learner("amina@example.com")


def browser_of(user):
    browser = Client()
    browser.force_login(user)
    return browser


def enrol_page(browser, session):
    with translation.override("en"):  # `/en/…`: the page in English
        return browser.post(reverse("learners:enrol", args=[session.pk]))


def cancel_page(browser, enrolment):
    with translation.override("en"):
        return browser.post(reverse("learners:cancel", args=[enrolment.pk]))


def state():
    return sorted(Enrolment.objects.values_list("pk", "learner_id", "session_id", "status"))


def test_the_eleventh_action_in_a_minute_is_refused_on_pages_and_api(
    settings, sessions, amina, django_capture_on_commit_callbacks
):
    """Ten actions (five enrolments on the page, five cancellations through the API) pass;
    the eleventh, on either, answers 429 with Retry-After and changes nothing, sends nothing."""
    assert settings.ENROLMENT_RATE_LIMIT == 10
    browser = browser_of(amina)
    api = InProcessApi()
    token = api.token("amina@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        for session in sessions[:5]:
            assert enrol_page(browser, session).status_code == 302
        for enrolment in Enrolment.objects.filter(learner=amina):
            response = api.post(f"me/enrolments/{enrolment.pk}/cancel/", token=token)
            assert response.status_code == 200, response.text
        held = enrol(amina, sessions[6].pk).enrolment  # the service itself is not counted
    before, sent = state(), len(mail.outbox)
    assert sent  # the actions that passed owed emails (cancellations, a confirmation)

    with django_capture_on_commit_callbacks(execute=True):
        page = enrol_page(browser, sessions[5])
        api_enrol = api.enrol(sessions[5], token)
        api_cancel = api.post(f"me/enrolments/{held.pk}/cancel/", token=token)
        page_cancel = cancel_page(browser, held)

    for response in (page, page_cancel):
        assert response.status_code == 429
        assert response["Retry-After"] == "31"
        text = response.content.decode()
        assert "You have enrolled or cancelled too many times in a short while" in text
        assert "try again in 31 seconds" in text and "Nothing was changed." in text
    for response in (api_enrol, api_cancel):
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "31"
        assert response.headers["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "too_many_enrolment_actions"
        assert response.json()["detail"].startswith("Vous vous êtes inscrit ou désinscrit trop")
    assert state() == before
    assert len(mail.outbox) == sent
    held.refresh_from_db()
    assert held.status == EnrolmentStatus.CONFIRMED

    # A repeat that changes nothing is still answered as before.
    repeat = enrol_page(browser, sessions[6])
    assert repeat.status_code == 302
    assert api.enrol(sessions[6], token).status_code == 200
    # Another learner is not affected.
    youssef = factories.learner("youssef@example.com")
    assert enrol_page(browser_of(youssef), sessions[5]).status_code == 302
    assert Enrolment.objects.filter(learner=youssef, session=sessions[5]).exists()


def test_the_next_minute_allows_actions_again(monkeypatch, sessions, amina):
    browser = browser_of(amina)
    for session in sessions[:5]:
        assert enrol_page(browser, session).status_code == 302
    for enrolment in Enrolment.objects.filter(learner=amina):
        assert cancel_page(browser, enrolment).status_code == 302
    assert enrol_page(browser, sessions[5]).status_code == 429
    monkeypatch.setattr(ratelimit, "clock", lambda: MINUTE_START + 60)
    assert enrol_page(browser, sessions[5]).status_code == 302
    assert Enrolment.objects.active().filter(learner=amina, session=sessions[5]).exists()


def test_the_limit_comes_from_the_setting(settings, sessions, amina):
    """`ENROLMENT_RATE_LIMIT = 2`: the third action is refused; 0 turns the limit off."""
    settings.ENROLMENT_RATE_LIMIT = 2
    browser = browser_of(amina)
    assert [enrol_page(browser, s).status_code for s in sessions[:3]] == [302, 302, 429]
    settings.ENROLMENT_RATE_LIMIT = 0
    assert [enrol_page(browser, s).status_code for s in sessions[2:6]] == [302] * 4
