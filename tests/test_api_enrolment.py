"""Tokens and enrolment through the JSON API.

Learners get a token with their username or email; enrol (201, then 200 for the same call);
see only their own enrolments; cancel, which hands the seat to the first waitlisted learner.
Called in process through DRF's `APIClient` (see `tests.api_client`); the journeys over real
HTTP are in `test_api_over_http`.
"""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrolments.models import Enrolment
from enrolments.services.enrolment import enrol
from tests import factories
from tests.api_client import InProcessApi


@pytest.fixture
def api(db):
    return InProcessApi()


@pytest.fixture
def course(db):
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    return factories.course(tree, "Introduction au machine learning", root)


@pytest.fixture
def session(course):
    return factories.session(course, capacity=2, mode="hybrid")


def assert_error(response, status, *, code=None):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    if code is not None:
        assert body["code"] == code
    return body


# Tokens


def test_token_by_username_and_by_email(api):
    user = factories.learner("amina@example.com")
    user.username = "amina"
    user.save()

    by_username = api.token("amina")
    by_email = api.token("amina@example.com")
    by_email_other_case = api.token("Amina@Example.com")
    assert by_username == by_email == by_email_other_case
    assert len(by_username) >= 20

    me = api.my_enrolments(by_username)
    assert me == {"count": 0, "next": None, "previous": None, "results": []}


def test_token_refused_for_wrong_credentials_and_bad_bodies(api):
    factories.learner("amina@example.com")
    inactive = factories.learner("gone@example.com")
    inactive.is_active = False
    inactive.save()

    def post(**kwargs):
        return api.post("auth/token/", **kwargs)

    assert_error(post(json={"username": "amina@example.com", "password": "wrong"}), 400)
    assert_error(post(json={"username": "nobody@example.com", "password": "pw"}), 400)
    assert_error(post(json={"username": "gone@example.com", "password": "pw"}), 400)
    missing = assert_error(post(json={"username": "amina@example.com"}), 400)
    assert "password" in missing["detail"]
    assert_error(post(json=["amina@example.com", "pw"]), 400)
    assert_error(post(json={"username": {"a": 1}, "password": "pw"}), 400)
    assert_error(post(json={"username": "a" * 300, "password": "pw"}), 400)
    # Malformed JSON, and bodies that are not JSON at all.
    json_headers = {"Content-Type": "application/json"}
    assert_error(post(data='{"username": "amina@example.com", "pass', headers=json_headers), 400)
    assert_error(post(data=b"\xff\xfe\x00garbage", headers=json_headers), 400)
    assert_error(
        post(data="username=amina&password=pw", headers={"Content-Type": "text/plain"}), 415
    )
    assert_error(post(data={"username": "amina@example.com", "password": "pw"}), 415)  # a form
    assert_error(api.get("auth/token/"), 405)
    json_body = '{"username": "amina@example.com", "password": "%s"}' % ("x" * 3_000_000)
    assert_error(post(data=json_body, headers=json_headers), 413)


def test_token_endpoint_is_throttled_per_client(api):
    factories.learner("amina@example.com")
    for _attempt in range(20):
        response = api.post("auth/token/", json={"username": "amina@example.com", "password": "x"})
        assert response.status_code == 400
    throttled = api.post("auth/token/", json={"username": "amina@example.com", "password": "pw"})
    assert_error(throttled, 429)
    assert int(throttled.headers["Retry-After"]) > 0
    # A forged X-Forwarded-For does not reset the count.
    forged = api.post(
        "auth/token/",
        json={"username": "amina@example.com", "password": "pw"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert_error(forged, 429)


def test_wrong_missing_and_malformed_tokens_are_401(api, session):
    for headers in (
        {"Authorization": "Bearer 0123456789abcdef0123456789abcdef01234567"},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer two tokens"},
        {},
    ):
        for method, path in (
            ("GET", "me/enrolments/"),
            ("POST", f"sessions/{session.pk}/enrol/"),
            ("POST", "me/enrolments/1/cancel/"),
        ):
            response = api.call(method, path, headers=dict(headers))
            assert_error(response, 401)
            assert response.headers["WWW-Authenticate"] == "Bearer"
    # Another scheme is no credential at all: anonymous, hence 401 too.
    assert_error(api.get("me/enrolments/", headers={"Authorization": "Token abc"}), 401)
    assert Enrolment.objects.count() == 0


# Enrolling


def test_enrol_creates_then_answers_the_same_enrolment(api, session):
    factories.learner("amina@example.com")
    token = api.token("amina@example.com")

    created = api.enrol(session, token)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body == {"id": body["id"], "status": "confirmed", "waitlist_position": None}

    again = api.enrol(session, token)
    assert again.status_code == 200
    assert again.json() == body
    assert Enrolment.objects.filter(session=session).count() == 1

    [item] = api.my_enrolments(token)["results"]
    assert item["id"] == body["id"]
    assert item["status"] == "confirmed"
    assert item["waitlist_position"] is None
    assert item["online_url"] == "https://meet.example.com/session"
    assert item["session"]["id"] == session.pk
    assert item["session"]["course"]["title"] == "Introduction au machine learning"
    assert item["session"]["seats_left"] == 1
    assert item["session"]["starts_at"][-6:] in ("+01:00", "+00:00")
    # The catalogue shows the seat taken.
    [listed] = api.get("sessions/").json()["results"]
    assert listed["seats_left"] == 1


def test_waitlisted_with_their_place_in_line_when_full(api, session):
    tokens = []
    for number in range(4):
        factories.learner(f"learner{number}@example.com")
        tokens.append(api.token(f"learner{number}@example.com"))
    results = [api.enrol(session, token) for token in tokens]
    assert [r.status_code for r in results] == [201, 201, 201, 201]
    assert [(r.json()["status"], r.json()["waitlist_position"]) for r in results] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    [last] = api.my_enrolments(tokens[3])["results"]
    assert (last["status"], last["waitlist_position"], last["online_url"]) == (
        "waitlisted",
        2,
        None,
    )
    [listed] = api.get("sessions/").json()["results"]
    assert (listed["seats_left"], listed["waitlist_length"], listed["enrolment_open"]) == (
        0,
        2,
        True,
    )


def test_enrolment_refused_with_a_code(api, course, session):
    """Unverified email, closed, cancelled, past, full without a waiting list: 409 + code."""
    # An account gets a token only once confirmed; an address unconfirmed since is refused.
    factories.learner("unverified@example.com")
    factories.learner("amina@example.com")
    unverified = api.token("unverified@example.com")
    EmailAddress.objects.filter(email="unverified@example.com").update(verified=False)
    token = api.token("amina@example.com")
    now = timezone.now()

    assert_error(api.enrol(session, unverified), 409, code="email_not_verified")
    closed = factories.session(
        course, starts_in=timedelta(days=3), enrolment_closes_at=now - timedelta(hours=1)
    )
    assert_error(api.enrol(closed, token), 409, code="closed")
    not_yet = factories.session(
        course, starts_in=timedelta(days=30), enrolment_opens_at=now + timedelta(days=1)
    )
    assert_error(api.enrol(not_yet, token), 409, code="not_open_yet")
    cancelled = factories.session(course, starts_in=timedelta(days=4), status="cancelled")
    assert_error(api.enrol(cancelled, token), 409, code="session_cancelled")
    past = factories.session(course, starts_in=timedelta(days=-3))
    assert_error(api.enrol(past, token), 409, code="session_past")
    no_waitlist = factories.session(course, capacity=1, waitlist_enabled=False)
    enrol(factories.learner("first@example.com"), no_waitlist.pk)
    assert_error(api.enrol(no_waitlist, token), 409, code="full")
    assert not Enrolment.objects.filter(learner__email="amina@example.com").exists()


def test_enrol_in_unknown_or_unpublished_sessions_is_404(api, course, session):
    factories.learner("amina@example.com")
    token = api.token("amina@example.com")
    assert_error(api.post("sessions/999999/enrol/", token=token), 404)
    assert_error(api.post("sessions/99999999999999999999999/enrol/", token=token), 404)
    assert_error(api.post("sessions/abc/enrol/", token=token), 404)
    course.unpublish()
    assert_error(api.enrol(session, token), 404)
    assert Enrolment.objects.count() == 0


def test_enrol_ignores_a_body_it_does_not_need(api, session):
    factories.learner("amina@example.com")
    token = api.token("amina@example.com")
    response = api.post(
        f"sessions/{session.pk}/enrol/",
        token=token,
        data="not json",
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 201


# My enrolments and cancelling


def test_learners_see_and_cancel_only_their_own_enrolments(api, session):
    factories.learner("amina@example.com")
    factories.learner("youssef@example.com")
    amina = api.token("amina@example.com")
    youssef = api.token("youssef@example.com")
    aminas = api.enrol(session, amina).json()["id"]

    assert api.my_enrolments(youssef)["count"] == 0
    # Youssef can't cancel Amina's enrolment, nor learn that it exists.
    refused = api.post(f"me/enrolments/{aminas}/cancel/", token=youssef)
    unknown = api.post("me/enrolments/999999/cancel/", token=youssef)
    assert_error(refused, 404)
    assert_error(unknown, 404)
    assert refused.json() == unknown.json()
    assert (
        api.post("me/enrolments/99999999999999999999999/cancel/", token=youssef).status_code == 404
    )
    assert api.post("me/enrolments/abc/cancel/", token=youssef).status_code == 404
    [still] = api.my_enrolments(amina)["results"]
    assert still["status"] == "confirmed"

    cancelled = api.post(f"me/enrolments/{aminas}/cancel/", token=amina)
    assert cancelled.status_code == 200
    assert cancelled.json()["id"] == aminas
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["online_url"] is None
    again = api.post(f"me/enrolments/{aminas}/cancel/", token=amina)
    assert (again.status_code, again.json()["status"]) == (200, "cancelled")
    # Enrolling again after cancelling makes a new enrolment.
    assert api.enrol(session, amina).status_code == 201


def test_too_late_to_cancel_once_the_session_has_started(api, course):
    started = factories.session(course, starts_in=timedelta(hours=-1), hours=6)
    learner = factories.learner("amina@example.com")
    enrolment = enrol(learner, started.pk, now=timezone.now() - timedelta(days=2)).enrolment
    token = api.token("amina@example.com")
    assert_error(
        api.post(f"me/enrolments/{enrolment.pk}/cancel/", token=token), 409, code="session_started"
    )


def test_my_enrolments_are_paginated_newest_first_and_filter_by_status(api, course):
    factories.learner("amina@example.com")
    token = api.token("amina@example.com")
    sessions = [factories.session(course, starts_in=timedelta(days=d)) for d in (3, 4, 5)]
    ids = [api.enrol(s, token).json()["id"] for s in sessions]
    api.post(f"me/enrolments/{ids[0]}/cancel/", token=token)

    first = api.my_enrolments(token, page_size=2)
    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"]
    assert [item["id"] for item in first["results"]] == [ids[2], ids[1]]
    second = api.get(first["next"], token=token).json()
    assert [item["id"] for item in second["results"]] == [ids[0]]
    assert [i["id"] for i in api.my_enrolments(token, status="cancelled")["results"]] == [ids[0]]
    assert_error(api.get("me/enrolments/", {"status": "vip"}, token=token), 400)
    assert_error(api.get("me/enrolments/", {"page": 9}, token=token), 404)


# A fixed number of queries (in process, where queries can be counted)


def test_my_enrolments_run_a_fixed_number_of_queries(course):
    learner = factories.learner("amina@example.com")
    others = [factories.learner(f"other{n}@example.com") for n in range(3)]
    for day in range(1, 13):
        full = factories.session(course, starts_in=timedelta(days=day), capacity=1)
        for other in others[: day % 3]:
            enrol(other, full.pk)
        enrol(learner, full.pk)
    client = Client(headers={"Authorization": f"Bearer {learner_token(learner)}"})

    def queries(page_size):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/me/enrolments/?page_size={page_size}")
        assert response.status_code == 200
        assert len(response.json()["results"]) == page_size
        return len(captured)

    client.get("/api/v1/me/enrolments/")  # warm Wagtail's cached site root paths
    assert queries(1) == queries(12)
    positions = [
        item["waitlist_position"]
        for item in client.get("/api/v1/me/enrolments/?page_size=12").json()["results"]
    ]
    assert sorted(p for p in positions if p) == [1] * 4 + [2] * 4


def learner_token(user):
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key
