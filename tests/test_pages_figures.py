"""`/figures/`: the network's public figures, in French and in Arabic (right to left)."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolments.models import Enrolment
from reports.charts import LABEL, WIDTH
from tests import factories
from tests.figures_data import NOW, build, more_completed_sessions
from tests.shared_data import built_once, fresh


@pytest.fixture(scope="module")
def network_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build()


@pytest.fixture
def network(network_once, db):
    return fresh(network_once)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def test_the_headline_figures_and_the_regions(client, network):
    """Totals of every session; counts under five learners shown as "—"."""
    response, html = page(client, "/figures/")
    total = response.context["total"]
    assert (total.sessions, total.seats, total.enrolments, total.trained) == (4, 37, 17, None)
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in html.select(".figures__table tbody tr")
    }
    assert len(rows) == 12
    assert rows["Rabat-Salé-Kénitra"][:3] == ["3", "33", "—"]  # 3 trained: not published
    assert html.select_one('link[href$="reports/figures.css"]')
    chart = html.select_one("svg.chart--bars")
    assert chart["role"] == "img" and chart.title.get_text() and chart.desc.get_text()
    assert html.select_one("header") is not None  # the site's base template


def test_in_arabic_the_page_and_its_bars_run_right_to_left(client, network):
    s1 = network["sessions"][0]
    for i in range(5):
        Enrolment.objects.create(
            session=s1,
            learner=factories.learner(f"ar{i}@example.com"),
            status="completed",
            confirmed_at=NOW,
        )
    _response, html = page(client, "/ar/figures/")
    assert html.html["dir"] == "rtl" and html.html["lang"] == "ar"
    bars = [r for r in html.select("svg.chart--bars g.bar rect") if float(r["width"]) > 0]
    assert bars and all(float(r["x"]) + float(r["width"]) == WIDTH - LABEL for r in bars)
    _response, html = page(client, "/figures/")
    bars = [r for r in html.select("svg.chart--bars g.bar rect") if float(r["width"]) > 0]
    assert bars and all(float(r["x"]) == LABEL for r in bars)


def test_a_fixed_number_of_queries_whatever_the_data_size(client, network):
    """Counted afresh (the cache emptied), the page costs as many queries with 17 enrolments
    as with 217; from the cache, none."""

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/figures/").status_code == 200
        return len(queries)

    client.get("/figures/")
    small = count()
    course = network["sessions"][0].course
    more_completed_sessions(course, sessions=10, learners=20, prefix="p")
    assert count() == small
    with CaptureQueriesContext(connection) as queries:
        client.get("/figures/")
    assert not [q for q in queries if "enrolment" in q["sql"]]
