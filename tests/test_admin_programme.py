"""The admin's Programme area: who opens it, what each sees, bad filters, charts in Arabic."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from reports.charts import LABEL, WIDTH
from tests import factories
from tests.accounts import log_in
from tests.figures_data import build, more_completed_sessions, session_at
from tests.material_factories import superuser
from tests.shared_data import built_once, fresh

URL = "/admin/programme/"


@pytest.fixture(scope="module")
def network_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build()


@pytest.fixture
def network(network_once, db):
    return fresh(network_once)


def as_user(client, user, language="fr"):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    log_in(client, user)
    return client


def test_administrators_see_the_whole_network(client, network):
    """Headline figures of every session (none filtered): the totals counted by hand."""
    response = as_user(client, superuser()).get(URL)
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.sessions, total.seats, total.enrolments, total.trained) == (4, 37, 17, 4)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#territory-table tbody").find_all("tr").__len__() == 12
    assert page.select_one("#breakdown-table") is not None
    assert '"url": "/admin/programme/"' in response.content.decode()  # the menu item
    assert page.select_one('a[href="/admin/programme/exports/"]')  # the exports, below


def test_an_institutes_editors_see_their_institutes_figures(client, network):
    """The Fès editors, who open the Enrolments area, see the Fès sessions only."""
    editor = factories.learner("editor-fes@jazari.ma")
    editor.groups.add(network["fes"].editors)
    response = as_user(client, editor).get(URL, {"starts_after": "2000-01-01"})
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.sessions, total.seats, total.enrolments, total.trained) == (1, 4, 5, 1)
    regions = {row.region: row for row in response.context["reach"]}
    assert regions["rabat-sale-kenitra"].sessions == 0


def test_programme_managers_see_the_whole_network(client, network):
    """A programme manager (no institute of their own) sees every session, even one without
    enrolments."""
    from jazari.staff import PROGRAMME_MANAGERS_GROUP

    manager = factories.learner("manager@jazari.ma")
    manager.groups.add(Group.objects.get(name=PROGRAMME_MANAGERS_GROUP))
    session_at(network["sessions"][0].course, ago=3, capacity=9)  # nobody enrolled
    response = as_user(client, manager).get(URL)
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.sessions, total.seats, total.enrolments, total.trained) == (5, 46, 17, 4)


def test_staff_without_the_learners_permission_are_refused(client, network):
    """Admin access alone opens neither the area nor its menu item."""
    group = Group.objects.create(name="Admin only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    staff = factories.learner("staff@jazari.ma")
    staff.groups.add(group)
    as_user(client, staff)
    response = client.get(URL)
    assert response.status_code == 302
    assert '"url": "/admin/programme/"' not in client.get("/admin/").content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"starts_after": "31/02/2026"},
        {"starts_before": "demain"},
        {"by": "planet"},
        {"by": "mode", "then": "mode"},
        {"then": "nothing"},
        {"measure": "happiness"},
        {"starts_after": "2026-05-01", "starts_before": "2026-04-01"},
        {"starts_before": "9999-12-31"},
        {"starts_after": "0001-01-01"},
    ],
)
def test_bad_filters_answer_400_with_a_message(client, network, query):
    response = as_user(client, superuser(), "en").get(URL, query)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select('[role="alert"]')
    assert "These filters can't be read" in page.get_text()


def test_a_period_and_two_dimensions(client, network):
    """Region × mode, seats in each cell, for sessions starting in the period."""
    from tests.figures_data import NOW

    first = (NOW.date().replace(day=1)).replace(year=NOW.year - 1).isoformat()
    response = as_user(client, superuser()).get(
        URL,
        {
            "starts_after": first,
            "starts_before": "2099-12-31",
            "by": "region",
            "then": "mode",
            "measure": "seats",
        },
    )
    assert response.status_code == 200
    cross = response.context["cross"]
    assert cross.value("rabat-sale-kenitra", "in_person", "seats") == 18
    assert cross.value("rabat-sale-kenitra", "online", "seats") == 5
    assert cross.value("fes-meknes", "online", "seats") is None
    page = BeautifulSoup(response.content, "html.parser")
    cells = [td.get_text() for td in page.select("#cross-table tbody td")]
    assert "18" in cells and "—" in cells


def test_the_charts_are_svg_images_and_run_right_to_left_in_arabic(client, network):
    """`role="img"` with a title and a description; in Arabic every bar ends on the right."""
    user = superuser()

    def bars(language):
        response = as_user(client, user, language).get(URL)
        page = BeautifulSoup(response.content, "html.parser")
        assert page.html["dir"] == ("rtl" if language == "ar" else "ltr")
        chart = page.select_one("svg.chart--bars")
        assert chart["role"] == "img"
        assert chart.title.get_text() and chart.desc.get_text()
        assert page.select_one("svg.chart--trend")
        return [r for r in chart.select("g.bar rect") if float(r["width"]) > 0]

    ltr = bars("fr")
    assert ltr and all(float(r["x"]) == LABEL for r in ltr)
    rtl = bars("ar")
    assert rtl and all(float(r["x"]) + float(r["width"]) == WIDTH - LABEL for r in rtl)


def test_a_fixed_number_of_queries_whatever_the_data_size(client, network):
    """The page costs as many queries with 17 enrolments as with 317."""
    as_user(client, superuser())
    query = {"by": "skill", "then": "month"}

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, query).status_code == 200
        return len(queries)

    client.get(URL, query)  # what Wagtail reads once per process
    small = count()
    course = network["sessions"][0].course
    more_completed_sessions(course, sessions=15, learners=20, prefix="b")
    assert count() == small


def test_the_tables_show_the_feedback_scores(client, network):
    """Answers, average rating and the share who would recommend, in the headline figures and
    in each row of the breakdown: Fès's one answer, 4 out of 5, would recommend."""
    from enrolments.models import Enrolment
    from feedback.models import Feedback

    s3 = network["sessions"][2]
    enrolment = Enrolment.objects.get(session=s3, status="completed")
    Feedback.objects.create(enrolment=enrolment, rating=4, would_recommend=True)
    response = as_user(client, superuser()).get(URL, {"by": "region"})
    assert response.status_code == 200
    names = list(response.context["measures"])
    assert names[-3:] == ["feedback_answers", "average_rating", "recommend_rate"]
    page = BeautifulSoup(response.content, "html.parser")
    header = [th.get_text(strip=True) for th in page.select("#breakdown-table thead th")]
    assert len(header) == len(names) + 1
    fes = next(
        row
        for row in page.select("#breakdown-table tbody tr")
        if row.th.get_text(strip=True) == "Fès-Meknès"
    )
    assert [td.get_text(strip=True) for td in fes.find_all("td")][-3:] == ["1", "4,00", "100,0 %"]
    total = response.context["total"]
    assert (total.feedback_answers, total.average_rating, total.recommend_rate) == (1, 4.0, 1.0)
