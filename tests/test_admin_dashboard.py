"""The admin home: attendance to record, next sessions (fill rate, waiting list), recent
enrolments and cancellations; an editor's institute's, the network's for programme managers
and administrators; a fixed number of queries per panel."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Session
from enrolments.services.enrolment import cancel, enrol
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from learners.admin.dashboard import PANELS
from tests import factories
from tests.shared_data import built_once, fresh
from tests.test_admin_enrolments import login_en
from tests.test_admin_permissions import Network, build_network, staff


@dataclass
class Home:
    network: Network
    ended: Session  # Fès's workshop, ended yesterday: two learners still confirmed
    manager: object


@pytest.fixture(scope="module")
def home_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        network = build_network(factories.site_tree())
        ended = factories.session(network.llm.course, capacity=10, mode="online")
        for name in ("Hiba Lahlou", "Ilyas Bakkali"):
            learner = factories.learner(f"{name.split()[0].lower()}@example.com", full_name=name)
            enrol(learner, ended.pk)
        factories.hold(ended, ended_ago=timedelta(days=1))
        youssef = network.enrolments["Youssef"]  # Rabat's introduction
        cancel(youssef.pk, actor=youssef.learner)
        manager = staff("manager", Group.objects.get(name=PROGRAMME_MANAGERS_GROUP))
        yield Home(network=network, ended=ended, manager=manager)


@pytest.fixture
def home(home_once, db):
    return fresh(home_once)


def panel_rows(response, name):
    """The text of each row of the panel `name`, or None when the panel isn't there."""
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.find("table", attrs={"data-panel": name})
    if table is None:
        return None
    return [" ".join(row.get_text(" ").split()) for row in table.select("tbody tr")]


def get_home(client, user):
    login_en(client, user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response


def test_editor_sees_their_institutes_sessions_and_enrolments(client, home):
    """Fès's editor: Fès's sessions (fill rate, waiting list), attendance due, Fès's learners."""
    response = get_home(client, home.network.fes_editor)
    next_rows = panel_rows(response, "next_sessions")
    assert len(next_rows) == 2  # the workshop, and Rabat's course held in Fès
    workshop = next(row for row in next_rows if "LLM" in row)
    assert "1 / 1" in workshop and "100 %" in workshop
    assert workshop.endswith("1")  # one on the waiting list
    held_in_fes = next(row for row in next_rows if "Introduction" in row)
    assert "1 / 5" in held_in_fes and "20 %" in held_in_fes  # not Rabat's own (2 / 2)
    due = panel_rows(response, "attendance_due")
    assert len(due) == 1 and "2 enrolments to mark" in due[0]
    recent = " ".join(panel_rows(response, "recent_enrolments"))
    assert "Hiba Lahlou" in recent and "Leila Chraibi" in recent
    assert "Amina Benali" not in recent
    assert panel_rows(response, "recent_cancellations") is None  # none of Fès's


def test_rabat_editor_sees_the_cancellation(client, home):
    response = get_home(client, home.network.rabat_editor)
    cancellations = panel_rows(response, "recent_cancellations")
    assert len(cancellations) == 1 and "Youssef Alaoui" in cancellations[0]
    assert panel_rows(response, "attendance_due") is None
    assert "Leila Chraibi" not in response.text


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_managers_and_administrators_see_the_network(client, home, who):
    """Every institute's sessions and enrolments."""
    user = home.manager if who == "manager" else home.network.admin
    response = get_home(client, user)
    assert len(panel_rows(response, "next_sessions")) == 3
    recent = " ".join(panel_rows(response, "recent_enrolments"))
    assert "Hiba Lahlou" in recent
    assert len(panel_rows(response, "attendance_due")) == 1
    assert "Youssef Alaoui" in " ".join(panel_rows(response, "recent_cancellations"))


def test_wagtails_own_panels_stay(client, home):
    """The workflow panels (courses waiting for approval) and the others are kept."""
    response = get_home(client, home.network.fes_editor)
    names = [panel.name for panel in response.context["panels"]]
    assert "workflow_objects_to_moderate" in names and "locked_pages" in names
    assert names.index("attendance_due") < names.index("next_sessions")


def test_no_panel_for_those_who_see_no_learners(client, home):
    response = get_home(client, home.network.page_editor)
    names = [panel.name for panel in response.context["panels"]]
    assert not {cls.name for cls in PANELS} & set(names)


def render_queries(panel):
    with CaptureQueriesContext(connection) as queries:
        panel.render_html({})
    return len(queries)


@pytest.mark.parametrize("who", ["fes_editor", "manager"])
def test_each_panel_costs_a_fixed_number_of_queries(home, who):
    """Adding sessions and enrolments changes no panel's number of queries."""
    user = home.manager if who == "manager" else getattr(home.network, who)
    before = {cls.name: render_queries(cls(user)) for cls in PANELS}
    course = home.network.llm.course
    for days in (2, 3, 4):
        session = factories.session(course, starts_in=timedelta(days=days), mode="online")
        for number in range(3):
            learner = factories.learner(f"more{days}-{number}@example.com")
            enrolment = enrol(learner, session.pk).enrolment
            if number == 0:
                cancel(enrolment.pk, actor=learner)
    ended = factories.session(course, mode="online")
    enrol(factories.learner("late@example.com"), ended.pk)
    factories.hold(ended)  # one more session with attendance to record
    after = {cls.name: render_queries(cls(user)) for cls in PANELS}
    assert after == before
    assert max(before.values()) <= 2
