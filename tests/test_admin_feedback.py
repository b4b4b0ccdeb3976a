"""The admin's Feedback area: who opens it, which sessions each sees, the scores and the
answers (names, never email addresses); and the Programme area's new measures."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from enrolments.models import Enrolment
from feedback.models import Feedback
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from tests import factories
from tests.accounts import log_in
from tests.material_factories import superuser
from tests.shared_data import built_once, fresh

INDEX = "/admin/feedback/"


def session_url(session):
    return reverse("feedback_admin:session", args=[session.pk])


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """Fès's session with two answers (5 yes, 3 no), Rabat's with one (4 yes), and a Rabat
    session without any; an editor of each institute, a programme manager, staff with admin
    access only."""
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        root = factories.institute(tree, "Jazari Root", is_hub=True)
        fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
        vision = factories.course(tree, "Vision par ordinateur", fes)
        intro = factories.course(tree, "Introduction au machine learning", root)
        fes_session = factories.hold(factories.session(vision))
        root_session = factories.hold(factories.session(intro))
        quiet = factories.hold(factories.session(intro), ended_ago=timedelta(days=9))

        def answer(session, email, name, **fields):
            learner = factories.learner(email, full_name=name)
            enrolment = Enrolment.objects.create(
                session=session, learner=learner, status="attended"
            )
            return Feedback.objects.create(enrolment=enrolment, **fields)

        answer(
            fes_session,
            "leila@example.com",
            "Leila Chraibi",
            rating=5,
            would_recommend=True,
            useful="Très concret",
        )
        answer(
            fes_session,
            "omar@example.com",
            "Omar Fassi",
            rating=3,
            would_recommend=False,
            improve="Plus d'exercices",
        )
        Enrolment.objects.create(
            session=fes_session, learner=factories.learner("silent@example.com"), status="completed"
        )
        answer(root_session, "amina@example.com", "Amina Benali", rating=4, would_recommend=True)
        Enrolment.objects.create(
            session=quiet, learner=factories.learner("quiet@example.com"), status="attended"
        )

        fes_editor = factories.learner("editor-fes@jazari.ma")
        fes_editor.groups.add(fes.editors)
        root_editor = factories.learner("editor-root@jazari.ma")
        root_editor.groups.add(root.editors)
        manager = factories.learner("manager@jazari.ma")
        manager.groups.add(Group.objects.get(name__iexact=PROGRAMME_MANAGERS_GROUP))
        admin_only = Group.objects.create(name="Admin only")
        admin_only.permissions.add(Permission.objects.get(codename="access_admin"))
        staff = factories.learner("staff@jazari.ma")
        staff.groups.add(admin_only)
        yield {
            "fes_session": fes_session,
            "root_session": root_session,
            "quiet": quiet,
            "fes_editor": fes_editor,
            "root_editor": root_editor,
            "manager": manager,
            "staff": staff,
            "learner": factories.learner("someone@example.com"),
        }


@pytest.fixture
def world(world_once, db):
    return fresh(world_once)


def as_user(client, user):
    log_in(client, user)
    return client


def listed(response):
    html = BeautifulSoup(response.content, "html.parser")
    return {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in html.select("#feedback-sessions tbody tr")
        if row.th
    }


def test_an_institutes_editors_see_their_sessions_scores(client, world):
    """Fès's editors: Fès's session only, two answers, 4.0 / 5, 50 % would recommend."""
    response = as_user(client, world["fes_editor"]).get(INDEX)
    assert response.status_code == 200
    rows = listed(response)
    assert list(rows) == ["Vision par ordinateur"]
    assert rows["Vision par ordinateur"][2:] == ["2", "4,0 / 5", "50 %"]
    assert '"url": "/admin/feedback/"' in response.content.decode()  # the menu item


def test_a_sessions_answers_with_names_and_never_email_addresses(client, world):
    """Every answer of the session, the learner named, the address never shown; the share of
    those who attended who answered."""
    response = as_user(client, world["fes_editor"]).get(session_url(world["fes_session"]))
    assert response.status_code == 200
    content = response.content.decode()
    html = BeautifulSoup(content, "html.parser")
    rows = [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in html.select("#feedback-answers tbody tr")
    ]
    assert {row[0]: row[1:5] for row in rows} == {
        "Leila Chraibi": ["5/5", "Oui", "Très concret", "—"],
        "Omar Fassi": ["3/5", "Non", "—", "Plus d'exercices"],
    }
    assert "@example.com" not in content
    assert response.context["attended"] == 3  # Leila, Omar and one who did not answer
    assert response.context["scores"].average_rating == 4


def test_another_institutes_editor_is_refused_the_session(client, world):
    """Rabat's editors: their own session listed, Fès's a 404."""
    as_user(client, world["root_editor"])
    assert list(listed(client.get(INDEX))) == ["Introduction au machine learning"]
    assert client.get(session_url(world["fes_session"])).status_code == 404
    assert client.get(session_url(world["root_session"])).status_code == 200


def test_programme_managers_read_every_institutes_answers(client, world):
    """The whole network, read only, names as in the Enrolments area."""
    as_user(client, world["manager"])
    assert set(listed(client.get(INDEX))) == {
        "Vision par ordinateur",
        "Introduction au machine learning",
    }
    response = client.get(session_url(world["fes_session"]))
    assert response.status_code == 200 and "Leila Chraibi" in response.content.decode()
    assert "<form" not in str(BeautifulSoup(response.content, "html.parser").select_one("main"))


def test_a_session_without_answers_says_so(client, world):
    """Not listed; its page opens on "no feedback yet"."""
    response = as_user(client, superuser()).get(session_url(world["quiet"]))
    assert response.status_code == 200
    assert response.context["answers"] == [] and response.context["attended"] == 1
    assert len(listed(client.get(INDEX))) == 2


@pytest.mark.parametrize("who", ["staff", "learner", None])
def test_without_the_learners_permission_the_area_is_closed(client, world, who):
    """Admin access alone, a learner, an anonymous visitor: refused (sent away), no menu item."""
    if who:
        as_user(client, world[who])
    for url in (INDEX, session_url(world["fes_session"])):
        response = client.get(url)
        assert response.status_code == 302, (who, url)
    if who == "staff":
        assert '"url": "/admin/feedback/"' not in client.get("/admin/").content.decode()


def test_a_bad_page_number_is_not_an_error(client, world):
    """?page=abc or far beyond: a page of the listing, never a 500."""
    as_user(client, superuser())
    for page in ("abc", "9999", "-1"):
        assert client.get(INDEX, {"page": page}).status_code == 200
