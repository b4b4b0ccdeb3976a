"""The catalogue's rendering cache: served again without recomputing, retired by changes."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.cache import VERSION_KEY
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


def test_invalid_filters_stay_a_400_every_time(client, course):
    """Invalid values answer 400 with their message, the second time too."""
    for _ in range(2):
        response = client.get("/courses/?level=expert")
        assert response.status_code == 400
        assert "“expert”" in response.content.decode()


def catalogue_entries():
    """The catalogue renderings held by the (local-memory) cache of the tests."""
    return [key for key in cache._cache if ":catalogue:" in key and VERSION_KEY not in key]


def test_unknown_parameters_make_no_new_entry_and_no_new_render(client, course):
    """Campaign tags and any parameter the catalogue does not read share the entry of the
    plain query: one entry, one render, every other request served at the cache's cost."""
    cache.clear()
    _first, miss = queries_for(client, "/courses/?level=beginner")
    _second, hit = queries_for(client, "/courses/?level=beginner")
    assert hit < miss - 10
    for n in range(30):
        url = f"/courses/?level=beginner&utm_campaign=x{n}&utm_source=s{n}&ref{n}=1&fbclid={n}"
        response, count = queries_for(client, url)
        assert response.status_code == 200
        assert count == hit, url
    assert len(catalogue_entries()) == 1


@pytest.mark.parametrize(
    "parameter", ["level", "format", "skill", "institute", "sort", "starts_after"]
)
def test_invalid_values_are_never_stored(client, course, parameter):
    """Each invalid value answers 400 quoting that value (never another request's), and
    leaves no entry behind: garbage cannot fill the cache."""
    cache.clear()
    for n in range(3):
        response = client.get(f"/courses/?{parameter}=bogus{n}")
        assert response.status_code == 400, parameter
        alert = BeautifulSoup(response.content, "html.parser").select_one(".alert--error")
        assert f"bogus{n}" in alert.get_text(), parameter
    assert catalogue_entries() == []


def test_pages_beyond_the_last_are_not_stored(client, course):
    """`?page=N` past the last page shows the last page without a new entry per N."""
    cache.clear()
    client.get("/courses/")
    assert len(catalogue_entries()) == 1
    for n in (2, 7, 99999, "abc"):
        assert client.get(f"/courses/?page={n}").status_code == 200
    assert len(catalogue_entries()) == 1


def test_languages_are_cached_apart(client, course):
    """The Arabic catalogue is not served the French rendering."""
    french = client.get("/courses/").content
    arabic = client.get("/ar/courses/").content
    assert french != arabic


def test_spellings_the_form_reads_alike_share_one_entry(client, course):
    """`free=1`, `free=on`, `free=yes`… are one filter; a date too, however it is written."""
    cache.clear()
    first = client.get("/courses/?free=1&starts_after=2026-01-05")
    for spelling in ("free=on&starts_after=2026-1-5", "free=anything&starts_after=05/01/2026"):
        again = client.get(f"/courses/?{spelling}")
        assert again.status_code == 200
        assert catalogue_of(again) == catalogue_of(first), spelling
    assert len(catalogue_entries()) == 1
    assert client.get("/courses/?free=false").status_code == 200  # unticked: the plain page
    assert len(catalogue_entries()) == 2
