"""The JSON API over real HTTP: `requests` against the live server, where the socket matters.

Each request is served by the server's thread on its own database connection and commits, as
in production (`transaction=True`). Here: the absolute URLs built from the request's host, an
enrolment journey in which a cancellation hands the seat on, and a session locked by another
transaction answering 503. Everything else about the API is called in process
(`test_api_catalogue`, `test_api_enrolment`, `test_api_openapi`).
"""

from datetime import datetime

import pytest
from django.db import connections

from courses.models import Session
from enrolments.models import Enrolment
from tests import factories
from tests.api_client import HttpApi
from tests.test_api_catalogue import SESSION_KEYS, local
from tests.test_api_enrolment import assert_error

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def api(live_server):
    client = HttpApi(live_server.url)
    yield client
    client.close()


@pytest.fixture
def network(live_server):
    """The small network of the factories, committed for the live server's thread to see."""
    return factories.small_network(factories.site_tree())


@pytest.fixture
def session(live_server):
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    return factories.session(course, capacity=2, mode="hybrid")


def test_session_item_shape_offsets_venue_and_seats(api, network):
    """Every field of an item; the course URL is absolute on the request's host and
    serves the page; times carry Casablanca's offset; online → the organiser."""
    items = {item["id"]: item for item in api.get("sessions/").json()["results"]}
    in_person = items[network["intro_in_person"].pk]
    assert set(in_person) == SESSION_KEYS
    intro = network["intro"]
    assert in_person["course"] == {
        "id": intro.pk,
        "title": "Introduction au machine learning",
        "url": f"{api.base_url}/courses/jazari-root/introduction-au-machine-learning/",
        "text_language": "fr",
    }
    assert api.http.get(in_person["course"]["url"], timeout=30).status_code == 200
    session = Session.objects.get(pk=network["intro_in_person"].pk)
    starts_at = datetime.fromisoformat(in_person["starts_at"])
    assert starts_at == session.starts_at
    assert starts_at.utcoffset() == local(session.starts_at).utcoffset()
    assert in_person["starts_at"] == local(session.starts_at).isoformat()
    assert in_person["ends_at"] == local(session.ends_at).isoformat()
    assert in_person["starts_at"][-6:] in ("+01:00", "+00:00")
    assert in_person["mode"] == "in_person"
    assert in_person["institute"] == {
        "slug": "jazari-root",
        "name": "Jazari Root",
        "text_language": "fr",
    }
    assert in_person["language"] == "fr"
    assert (in_person["capacity"], in_person["seats_left"], in_person["waitlist_length"]) == (
        12,
        7,
        0,
    )
    assert in_person["enrolment_open"] is True

    # Online sessions show the organiser; a full session with a waiting list is still open.
    full = items[network["llm_full"].pk]
    assert full["mode"] == "online"
    assert full["institute"] == {
        "slug": "jazari-institute-fes",
        "name": "Jazari Institute Fès",
        "text_language": "fr",
    }
    assert (full["capacity"], full["seats_left"]) == (2, 0)
    assert full["enrolment_open"] is True


@pytest.mark.postgres
def test_a_session_locked_too_long_answers_503_not_500(api, session):
    """Another transaction holds the session's row past the lock timeout: 503,
    retry later."""
    factories.learner("amina@example.com")
    token = api.token("amina@example.com")
    other = connections.create_connection("default")
    other.set_autocommit(False)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Session._meta.db_table} WHERE id = %s FOR UPDATE", [session.pk]
            )
        busy = api.enrol(session, token)  # waits for the connection's lock_timeout (5 s)
    finally:
        other.rollback()
        other.close()
    assert_error(busy, 503)
    assert busy.headers["Retry-After"] == "1"
    assert not Enrolment.objects.exists()
    assert api.enrol(session, token).status_code == 201


def test_cancel_promotes_the_first_waitlisted_learner(api, session):
    """Each request committed: tokens, enrolments up to a waiting list, then a
    cancellation hands the seat to the first in line."""
    tokens = {}
    for name in ("amina", "youssef", "salma", "karim"):
        factories.learner(f"{name}@example.com")
        tokens[name] = api.token(f"{name}@example.com")
    ids = {name: api.enrol(session, token).json()["id"] for name, token in tokens.items()}
    assert api.my_enrolments(tokens["salma"])["results"][0]["waitlist_position"] == 1
    assert api.my_enrolments(tokens["karim"])["results"][0]["waitlist_position"] == 2

    response = api.post(f"me/enrolments/{ids['amina']}/cancel/", token=tokens["amina"])
    assert response.status_code == 200

    [salma] = api.my_enrolments(tokens["salma"])["results"]
    assert (salma["status"], salma["waitlist_position"]) == ("confirmed", None)
    assert salma["online_url"] == "https://meet.example.com/session"
    [karim] = api.my_enrolments(tokens["karim"])["results"]
    assert (karim["status"], karim["waitlist_position"]) == ("waitlisted", 1)
    [listed] = api.get("sessions/").json()["results"]
    assert (listed["seats_left"], listed["waitlist_length"]) == (0, 1)
