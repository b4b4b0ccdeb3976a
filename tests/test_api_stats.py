"""`GET /api/v1/stats/`: the network's open data, without personal data, small cells hidden."""

import json
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from enrolments.models import Enrolment
from tests import factories
from tests.figures_data import NOW, build
from tests.shared_data import built_once, fresh

URL = "/api/v1/stats/"
FIELDS = {"key", "label", "sessions", "seats", "enrolments", "trained", "certificates"}


@pytest.fixture(scope="module")
def network_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build()


@pytest.fixture
def network(network_once, db):
    return fresh(network_once)


@pytest.fixture
def api():
    return APIClient()


def rows(response):
    assert response.status_code == 200, response.content
    return {row["key"]: row for row in response.json()["results"]}


def period():
    return {
        "starts_after": (NOW - timedelta(days=200)).date().isoformat(),
        "starts_before": (NOW + timedelta(days=100)).date().isoformat(),
    }


def test_by_region_with_cells_under_five_learners_hidden(api, network):
    """Rabat: 11 enrolments by 9 learners shown, 3 trained hidden; Fès: 4 learners, hidden."""
    regions = rows(api.get(URL, {"by": "region", **period()}))
    assert regions["rabat-sale-kenitra"] == {
        "key": "rabat-sale-kenitra",
        "label": "Rabat-Salé-Kénitra",
        "sessions": 2,
        "seats": 23,
        "enrolments": 11,
        "trained": None,
        "certificates": None,
    }
    fes = regions["fes-meknes"]
    assert (fes["sessions"], fes["seats"], fes["enrolments"], fes["trained"]) == (1, 4, None, None)


def test_a_cell_of_five_learners_or_more_is_published(api, network):
    """Three more learners trained in s1: Rabat's six trained are shown."""
    s1 = network["sessions"][0]
    for i in range(3):
        Enrolment.objects.create(
            session=s1,
            learner=factories.learner(f"more{i}@example.com"),
            status="completed",
            confirmed_at=NOW,
        )
    assert rows(api.get(URL, {"by": "region", **period()}))["rabat-sale-kenitra"]["trained"] == 6


def test_every_dimension_answers_rows_of_the_documented_shape(api, network):
    """No personal data: each row has the documented fields and nothing else."""
    for by in (
        "region",
        "institute",
        "skill",
        "category",
        "format",
        "mode",
        "audience",
        "language",
        "month",
    ):
        response = api.get(URL, {"by": by})
        assert response.status_code == 200, (by, response.content)
        results = response.json()["results"]
        assert results and all(set(row) == FIELDS for row in results), by
        body = json.dumps(response.json())
        assert "@example.com" not in body
    months = rows(api.get(URL, {"by": "month"}))
    assert all(len(key) == 7 and key[4] == "-" for key in months)
    audiences = rows(api.get(URL, {"by": "audience"}))
    assert all(row["seats"] is None for row in audiences.values())


def test_the_default_is_by_region_over_every_session(api, network):
    """Without dates, the session held 400 days ago counts too (Rabat: 3 sessions)."""
    assert rows(api.get(URL))["rabat-sale-kenitra"]["sessions"] == 3


def test_unpublished_courses_are_left_out(api, network):
    network["sessions"][2].course.unpublish()  # s3, Fès's workshop
    regions = rows(api.get(URL, {"by": "region", **period()}))
    assert "fes-meknes" not in regions or regions["fes-meknes"]["sessions"] == 0


@pytest.mark.parametrize(
    "query, word",
    [
        ({"by": "planet"}, "planet"),
        ({"by": "learner_region"}, "learner_region"),
        ({"starts_after": "2026-02-30"}, "starts_after"),
        ({"starts_before": "soon"}, "starts_before"),
        ({"starts_after": "2026-05-01", "starts_before": "2026-04-01"}, "starts_after"),
    ],
)
def test_bad_parameters_answer_400_with_a_detail(api, network, query, word):
    response = api.get(URL, query)
    assert response.status_code == 400
    assert word in response.json()["detail"]


def test_in_the_openapi_document(api, db):
    document = api.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/stats/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) >= {"by", "starts_after", "starts_before"}
    assert "month" in parameters["by"]["schema"]["enum"]
    assert operation.get("security") in (None, [], [{}])  # public


def test_the_open_data_is_served_from_the_cache(api, network):
    """A second request counts nothing again; a change shows once the cache expires."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.models import Session

    first = rows(api.get(URL, {"by": "mode"}))
    with CaptureQueriesContext(connection) as queries:
        assert rows(api.get(URL, {"by": "mode"})) == first
    assert not [q for q in queries if "enrolment" in q["sql"]]
    Session.objects.filter(pk=network["sessions"][4].pk).update(status="cancelled")  # s5
    cache.clear()  # as after OPEN_DATA_SECONDS
    assert rows(api.get(URL, {"by": "mode"})) != first
