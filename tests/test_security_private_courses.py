"""Private courses (Wagtail's page privacy on a course or a page above it) obeyed everywhere.

Three private courses, one per kind of restriction (a shared password, logged-in users, a
group), one under a private folder, and a public one, each with an online session and public
material: listings show only the public course; fetching or acting on a private one is for a
request that passes its restriction as Wagtail's page view decides; the API never passes a
password restriction.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from courses.catalogue import Catalogue
from courses.models import CourseIndexPage, CoursePage, Session
from courses.privacy import passing, restrictions_of, without_session
from enrolments.models import Enrolment
from learners.calendar import learner_feed_ics
from search.query import site_search
from skills.models import SkillLevel
from tests import factories
from tests.api_client import InProcessApi
from tests.material_factories import document, material

pytestmark = pytest.mark.django_db

PASSWORD = "sesame-2026"
LINK = "https://meet.example.com/private-room"
PRIVATE = ("Atelier mot de passe", "Atelier connectés", "Atelier du groupe", "Atelier du dossier")
PUBLIC = "Atelier public"


@pytest.fixture
def net(tree):
    """The public course, the three private ones and one under a private folder, each with an
    upcoming online session, public material, the same skill, and all in one learning path."""
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    skill = factories.skill("Confidentialité des données")
    group = Group.objects.create(name="Partenaires")

    def course(title, parent=None):
        page = factories.course(
            tree,
            title,
            root,
            summary=f"{title} : confidentialité différentielle.",
            skills=[(skill, SkillLevel.FOUNDATION)],
        )
        if parent is not None:
            page.move(parent, pos="last-child")
            page = CoursePage.objects.get(pk=page.pk)
        session = factories.session(
            page, starts_in=timedelta(days=9), mode="online", online_url=LINK
        )
        return (
            page,
            session,
            material(page, document(title=f"Support {title}"), visibility="everyone"),
        )

    folder = CourseIndexPage(title="Formations réservées", slug="reservees")
    tree.home.add_child(instance=folder)
    PageViewRestriction.objects.create(page=folder, restriction_type="login")

    built = {"root": root, "skill": skill, "group": group}
    for key, title, parent in [
        ("public", PUBLIC, None),
        ("password", PRIVATE[0], None),
        ("login", PRIVATE[1], None),
        ("groups", PRIVATE[2], None),
        ("folder", PRIVATE[3], folder),
    ]:
        built[key], built[f"{key}_session"], built[f"{key}_material"] = course(title, parent)
    built["password_restriction"] = PageViewRestriction.objects.create(
        page=built["password"], restriction_type="password", password=PASSWORD
    )
    PageViewRestriction.objects.create(page=built["login"], restriction_type="login")
    restriction = PageViewRestriction.objects.create(
        page=built["groups"], restriction_type="groups"
    )
    restriction.groups.add(group)
    built["path"] = factories.learning_path(
        tree,
        "Parcours confidentialité",
        [built[k] for k in ("public", "password", "login", "groups")],
    )
    return built


def private_courses(net):
    return [net["password"], net["login"], net["groups"], net["folder"]]


def assert_only_public(text):
    assert PUBLIC in text
    for title in PRIVATE:
        assert title not in text, title


def enter_password(client, net, next_url="/"):
    restriction = net["password_restriction"]
    response = client.post(
        reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, net["password"].pk]
        ),
        {"password": PASSWORD, "return_url": next_url},
    )
    assert response.status_code == 302


@pytest.fixture
def learner(db):
    return factories.learner("amina@example.com")


# The rule


def test_restrictions_are_found_on_the_course_and_its_ancestors(net):
    """The course's own restriction and the folder's count; a public course has none."""
    found = restrictions_of([net["public"], net["password"], net["folder"]])
    assert found[net["public"].pk] == []
    assert [r.restriction_type for r in found[net["password"].pk]] == ["password"]
    assert [r.restriction_type for r in found[net["folder"].pk]] == ["login"]
    listed = set(CoursePage.objects.listed().values_list("pk", flat=True))
    assert listed == {net["public"].pk}
    sessions = set(Session.objects.listed().values_list("course_id", flat=True))
    assert sessions == {net["public"].pk}


def test_without_a_session_a_password_never_passes(net, learner):
    """An account passes logged-in restrictions and its groups'; a password one never."""
    courses = [net["public"], *private_courses(net)]
    assert passing(without_session(learner), courses) == {
        net["public"].pk,
        net["login"].pk,
        net["folder"].pk,
    }
    learner.groups.add(net["group"])
    assert net["groups"].pk in passing(without_session(learner), courses)
    assert net["password"].pk not in passing(without_session(learner), courses)


# Listings


def test_catalogue_and_its_facets_count_public_courses_only(net):
    """The catalogue lists the public course alone and its facets count it alone."""
    result = Catalogue(QueryDict(""), parent=None).result()
    assert [course.title for course in result.page.object_list] == [PUBLIC]
    assert result.total == 1
    skill_facet = next(f for f in result.facets if f.name == "skill")
    assert {o.value: o.count for o in skill_facet.options}[net["skill"].slug] == 1
    mode_facet = next(f for f in result.facets if f.name == "mode")
    assert {o.value: o.count for o in mode_facet.options}["online"] == 1


def test_catalogue_page_hides_private_courses_even_to_those_who_pass(client, net, learner):
    """A logged-in learner who entered the password still sees the one shared listing."""
    client.force_login(learner)
    enter_password(client, net)
    assert_only_public(client.get("/courses/").content.decode())


def test_making_a_course_private_retires_the_cached_catalogue(client, net):
    """A restriction added or removed shows in the cached catalogue at once."""
    assert PUBLIC in client.get("/courses/").content.decode()
    restriction = PageViewRestriction.objects.create(page=net["public"], restriction_type="login")
    assert PUBLIC not in client.get("/courses/").content.decode()
    restriction.delete()
    assert PUBLIC in client.get("/courses/").content.decode()
    cache.clear()


def test_search_finds_public_courses_only(client, net):
    """`/search/` and the catalogue's free text find the public course alone."""
    assert [c.title for c in site_search("confidentialité").courses] == [PUBLIC]
    assert_only_public(client.get("/search/", {"q": "confidentialité"}).content.decode())
    result = Catalogue(QueryDict("q=atelier")).result()
    assert [course.title for course in result.page.object_list] == [PUBLIC]


def test_institute_skill_home_and_path_pages_list_public_courses_only(client, net):
    """The institute's courses and sessions, the skill's courses, the home page's sessions and
    figures, the learning path's steps and its index's count leave private courses out."""
    for url in (net["root"].url, f"/skills/{net['skill'].slug}/", "/", net["path"].url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_only_public(response.content.decode())
    home = client.get("/").context
    assert home["figures"]["courses"] == 1
    assert home["figures"]["upcoming_sessions"] == 1
    index = client.get(net["path"].get_parent().url).context
    assert [(p.title, p.course_count) for p in index["paths"]] == [("Parcours confidentialité", 1)]


def test_api_lists_public_courses_and_sessions_only(net, learner):
    """`/api/v1/courses/` and `/api/v1/sessions/` leave private courses out, token or not."""
    api = InProcessApi()
    learner.groups.add(net["group"])
    token = api.token("amina@example.com")
    for kwargs in ({}, {"token": token}):
        courses = api.get("courses/", **kwargs).json()
        assert [c["title"] for c in courses["results"]] == [PUBLIC]
        sessions = api.get("sessions/", **kwargs).json()
        assert [s["course"]["title"] for s in sessions["results"]] == [PUBLIC]
        found = api.get("courses/", {"q": "atelier"}, **kwargs).json()
        assert [c["title"] for c in found["results"]] == [PUBLIC]


# One private course


def test_api_detail_is_a_404_unless_the_token_passes(net, learner):
    """Anonymous: 404 for every private course; a token passes logged-in restrictions and its
    groups', never a password."""
    api = InProcessApi()
    assert api.get(f"courses/{net['public'].pk}/").status_code == 200
    for course in private_courses(net):
        response = api.get(f"courses/{course.pk}/")
        assert response.status_code == 404
        assert response.json() == api.get("courses/999999/").json()
    token = api.token("amina@example.com")
    assert api.get(f"courses/{net['login'].pk}/", token=token).status_code == 200
    assert api.get(f"courses/{net['folder'].pk}/", token=token).status_code == 200
    assert api.get(f"courses/{net['groups'].pk}/", token=token).status_code == 404
    learner.groups.add(net["group"])
    assert api.get(f"courses/{net['groups'].pk}/", token=token).status_code == 200
    assert api.get(f"courses/{net['password'].pk}/", token=token).status_code == 404


def test_api_enrol_is_refused_as_not_found_unless_the_token_passes(net, learner):
    """Enrolling by token in a private course's session: 404 and nothing made, unless the
    account passes (logged-in users)."""
    api = InProcessApi()
    token = api.token("amina@example.com")
    for key in ("password_session", "groups_session"):
        response = api.enrol(net[key], token)
        assert response.status_code == 404, response.text
        assert response.json()["detail"]
    assert not Enrolment.objects.exists()
    assert api.enrol(net["login_session"], token).status_code == 201


def test_page_enrol_is_refused_until_the_password_is_entered(client, net, learner):
    """The enrol form's POST answers 404 (also to a visitor: no log-in redirect naming the
    course); after the password is entered in this browser session, it enrols."""
    url = reverse("learners:enrol", args=[net["password_session"].pk])
    assert client.post(url).status_code == 404
    client.force_login(learner)
    assert client.post(url).status_code == 404
    assert (
        client.post(reverse("learners:enrol", args=[net["groups_session"].pk])).status_code == 404
    )
    assert not Enrolment.objects.exists()

    enter_password(client, net, net["password"].url)
    course_page = client.get(net["password"].url)
    assert course_page.status_code == 200
    assert url in course_page.content.decode()
    assert client.post(url).status_code == 302
    assert Enrolment.objects.filter(learner=learner, session=net["password_session"]).exists()


def test_page_enrol_in_a_logged_in_course_works_when_logged_in(client, net, learner):
    """A logged-in-only course takes an enrolment from any signed-in learner."""
    client.force_login(learner)
    assert (
        client.post(reverse("learners:enrol", args=[net["folder_session"].pk])).status_code == 302
    )
    assert Enrolment.objects.filter(learner=learner, session=net["folder_session"]).exists()


def test_material_is_refused_until_the_restriction_is_passed(client, net, learner):
    """Public material of a private course: 404 by its download link and by Wagtail's document
    URL; once the password is entered, both hand the file over."""
    item = net["password_material"]
    links = [reverse("materials:download", args=[item.pk]), item.document.url]
    for link in links:
        assert client.get(link).status_code == 404, link
    assert client.get(
        reverse("materials:download", args=[net["public_material"].pk])
    ).status_code in (200, 302)
    group_item = net["groups_material"]
    client.force_login(learner)
    assert client.get(reverse("materials:download", args=[group_item.pk])).status_code == 404
    enter_password(client, net)
    for link in links:
        assert client.get(link).status_code in (200, 302), link


def test_session_calendar_is_refused_until_the_restriction_is_passed(client, net, learner):
    """A private course's session `.ics`: 404, then 200 once the password is entered."""
    url = reverse("learners:session_calendar", args=[net["password_session"].pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("learners:session_calendar", args=[net["login_session"].pk])).status_code
        == 404
    )
    client.force_login(learner)
    assert (
        client.get(reverse("learners:session_calendar", args=[net["login_session"].pk])).status_code
        == 200
    )
    assert client.get(url).status_code == 404
    enter_password(client, net)
    response = client.get(url)
    assert response.status_code == 200
    assert PRIVATE[0] in response.content.decode()


# A learner's own enrolments


@pytest.fixture
def enrolled(net, learner):
    """The learner holds a seat in the password course's and the logged-in course's sessions."""
    for key in ("password_session", "login_session"):
        Enrolment.objects.create(session=net[key], learner=learner, status="confirmed")
    return learner


def test_dashboard_keeps_the_enrolment_and_withholds_the_link(client, net, enrolled):
    """The learner still sees their enrolment in the password course, without its online
    link until they enter the password; the logged-in course's link shows."""
    client.force_login(enrolled)
    page = client.get(reverse("learners:dashboard")).content.decode()
    assert PRIVATE[0] in page and PRIVATE[1] in page
    assert page.count(LINK) == 2  # the logged-in course's link and its text
    assert "Cette formation est privée" in page
    enter_password(client, net)
    assert client.get(reverse("learners:dashboard")).content.decode().count(LINK) == 4


def test_feed_and_own_calendar_file_keep_the_event_without_the_link(client, net, enrolled):
    """The private feed lists both sessions, the password course's without its link; the
    learner's own `.ics` of it is served, without the link until the password is entered."""
    feed = Calendar.from_ical(learner_feed_ics(enrolled))
    events = {str(e["summary"]): str(e.get("description", "")) for e in feed.walk("VEVENT")}
    assert set(events) == {PRIVATE[0], PRIVATE[1]}
    assert LINK not in events[PRIVATE[0]]
    assert LINK in events[PRIVATE[1]]

    client.force_login(enrolled)
    url = reverse("learners:session_calendar", args=[net["password_session"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert LINK not in response.content.decode()
    enter_password(client, net)
    assert LINK in client.get(url).content.decode()


def test_api_enrolments_keep_the_enrolment_without_a_password_course_link(net, enrolled):
    """`me/enrolments/` lists both; `online_url` is null for the password course."""
    api = InProcessApi()
    token = api.token("amina@example.com")
    items = {i["session"]["course"]["title"]: i for i in api.my_enrolments(token)["results"]}
    assert items[PRIVATE[0]]["online_url"] is None
    assert items[PRIVATE[1]]["online_url"] == LINK


def test_restrictions_cost_the_catalogue_no_query(net):
    """The restrictions are read inside the catalogue's own queries (none of its own, as
    `PageQuerySet.public()` would make per facet), the same count with or without them."""

    def captured():
        with CaptureQueriesContext(connection) as queries:
            Catalogue(QueryDict("level=beginner&level=advanced")).result()
        return [query["sql"] for query in queries]

    with_restrictions = captured()
    reading = [sql for sql in with_restrictions if "wagtailcore_pageviewrestriction" in sql]
    assert reading and all('"courses_coursepage"' in sql for sql in reading)
    PageViewRestriction.objects.all().delete()
    assert len(captured()) == len(with_restrictions)
