"""The catalogue's rendering cache: served again without recomputing, retired by changes."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolments.services.enrolment import enrol
from tests import factories


@pytest.fixture
def course(tree):
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    factories.session(course, capacity=3)
    return course


def catalogue_of(response):
    """The cached part of the page (the head's language links follow the query as sent)."""
    return str(BeautifulSoup(response.content, "html.parser").select_one(".catalogue"))


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_second_request_is_served_from_the_cache(client, course):
    """The same filters a second time skip the facet and listing queries."""
    first, first_count = queries_for(client, "/courses/?level=beginner")
    second, second_count = queries_for(client, "/courses/?level=beginner")
    assert first.content == second.content
    assert second_count < first_count - 10


def test_one_page_spelled_differently_is_cached_once(client, course):
    """The order of values, duplicates and blank or unknown parameters don't split the cache."""
    first, first_count = queries_for(client, "/courses/?level=beginner&level=advanced")
    for spelling in (
        "/courses/?level=advanced&level=beginner",
        "/courses/?level=beginner&level=advanced&level=beginner&q=&utm_source=mail",
    ):
        again, count = queries_for(client, spelling)
        assert catalogue_of(again) == catalogue_of(first)
        assert count < first_count - 10, spelling


def test_new_course_shows_at_once(client, tree, course):
    """Publishing a course retires the cached catalogue."""
    client.get("/courses/")
    factories.course(tree, "Vision par ordinateur", course.institute)
    assert "Vision par ordinateur" in client.get("/courses/").content.decode()


def test_seats_taken_show_at_once(client, course, django_capture_on_commit_callbacks):
    """Taking the last seat removes the course from "has free seats" at once."""
    session = course.sessions.get()
    session.capacity = 1
    session.save()
    assert course.title in client.get("/courses/?free=1").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the bump follows the commit
        enrol(factories.learner(), session.pk)
    assert course.title not in client.get("/courses/?free=1").content.decode()


def test_invalid_filters_stay_a_400_when_cached(client, course):
    """A cached rendering with messages keeps its 400 status."""
    assert client.get("/courses/?level=expert").status_code == 400
    assert client.get("/courses/?level=expert").status_code == 400


def test_languages_are_cached_apart(client, course):
    """The Arabic catalogue is not served the French rendering."""
    french = client.get("/courses/").content
    arabic = client.get("/ar/courses/").content
    assert french != arabic
