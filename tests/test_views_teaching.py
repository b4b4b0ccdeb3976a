"""Trainers: an instructor linked to a user account; that user sees the participants of the
sessions of the courses they teach, on the site (not the admin), as do the staff of the
session's institute; nobody else does. Check-in and attendance on that page are in
`test_views_checkin`."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from courses.models import CourseInstructor, Instructor, Session
from courses.permissions import taught_sessions
from enrolments.services.enrolment import cancel, enrol
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from tests import factories
from tests.shared_data import built_once, fresh


@dataclass
class Teaching:
    trainer: object  # linked to Nadia Berrada, who teaches the introduction
    learner: object  # enrolled in the introduction, teaches nothing
    instructor: Instructor
    coming: Session  # the introduction, in ten days: three seats, one waiting
    old: Session  # the introduction, two months ago
    other: Session  # a course Nadia doesn't teach


@pytest.fixture(scope="module")
def teaching_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        rabat = factories.institute(tree, "Jazari Root", is_hub=True)
        intro = factories.course(tree, "Introduction au machine learning", rabat)
        other_course = factories.course(tree, "Vision par ordinateur", rabat)
        trainer = factories.learner("nadia@example.com", full_name="Nadia Berrada")
        instructor = Instructor.objects.create(name="Nadia Berrada", user=trainer)
        CourseInstructor.objects.create(course=intro, instructor=instructor, sort_order=0)
        coming = factories.session(intro, capacity=3)
        old = factories.hold(factories.session(intro), ended_ago=timedelta(days=60))
        other = factories.session(other_course)
        people = {}
        for name in ("Zineb Ouali", "Adam Kettani", "Nora Haddad", "Karim Tazi", "Badr Amrani"):
            learner = factories.learner(f"{name.split()[0].lower()}@example.com", full_name=name)
            people[name] = enrol(learner, coming.pk).enrolment
        nora = people["Nora Haddad"]
        cancel(nora.pk, actor=nora.learner)  # Karim, first in line, takes the seat
        enrol(people["Zineb Ouali"].learner, other.pk)
        yield Teaching(
            trainer=trainer,
            learner=people["Zineb Ouali"].learner,
            instructor=instructor,
            coming=coming,
            old=old,
            other=other,
        )


@pytest.fixture
def teaching(teaching_once, db):
    return fresh(teaching_once)


def url(session):
    return reverse("learners:teaching_session", args=[session.pk])


def rows(response):
    """(name, status) of each participant, in the page's order."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        (row.th.get_text(strip=True), row.td.get_text(" ", strip=True))
        for row in soup.select("table.participants tbody tr")
    ]


def test_taught_sessions_are_those_of_the_instructors_courses(teaching):
    """The rule: sessions of the courses listing the user's instructor, and nothing else."""
    assert set(taught_sessions(teaching.trainer)) == {teaching.coming, teaching.old}
    assert not taught_sessions(teaching.learner).exists()


def test_trainer_sees_participants_seats_first_then_the_waiting_list(client, teaching):
    """Names and statuses: seat holders by name, then the waiting list; no cancelled one."""
    client.force_login(teaching.trainer)
    response = client.get(url(teaching.coming))
    assert response.status_code == 200
    assert rows(response) == [  # in French, the site's language
        ("Adam Kettani", "Confirmée"),
        ("Karim Tazi", "Confirmée"),
        ("Zineb Ouali", "Confirmée"),
        ("Badr Amrani", "En liste d'attente, position 1"),
    ]
    assert "Nora" not in response.text
    assert "@example.com" not in response.text  # names and statuses only
    assert "private" in response["Cache-Control"]


def test_the_page_works_without_javascript_on_a_phone(client, teaching):
    """Plain HTML: no script needed, a viewport, and a link back to the dashboard."""
    client.force_login(teaching.trainer)
    response = client.get(url(teaching.coming))
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("meta", attrs={"name": "viewport"}) is not None
    assert soup.select_one(f'a[href^="{reverse("learners:dashboard")}"]') is not None
    assert soup.select("table.participants caption")


def test_dashboard_lists_the_sessions_i_teach(client, teaching):
    """Coming sessions (and the last month's) link to their participants; older ones don't
    show, their page stays reachable."""
    client.force_login(teaching.trainer)
    response = client.get(reverse("learners:dashboard"))
    soup = BeautifulSoup(response.content, "html.parser")
    section = soup.find(id="teaching-title").find_parent("section")
    links = {a["href"] for a in section.find_all("a")}
    assert links == {url(teaching.coming)}
    assert client.get(url(teaching.old)).status_code == 200


def test_learners_dashboard_has_no_teaching_section(client, teaching):
    client.force_login(teaching.learner)
    response = client.get(reverse("learners:dashboard"))
    assert response.status_code == 200
    assert 'id="teaching-title"' not in response.text


def test_anyone_else_gets_404(client, teaching):
    """A learner of the session, a trainer on another course's session, a programme manager
    (reads, never takes attendance), another institute's editor: 404."""
    client.force_login(teaching.learner)
    assert client.get(url(teaching.coming)).status_code == 404
    client.force_login(teaching.trainer)
    assert client.get(url(teaching.other)).status_code == 404
    assert client.get("/dashboard/teaching/sessions/999999/").status_code == 404
    manager = factories.learner("manager@example.com")
    manager.groups.add(Group.objects.get(name__iexact=PROGRAMME_MANAGERS_GROUP))
    fes = factories.institute(factories.site_tree(), "Jazari Institute Fès", city="Fès")
    fes_editor = factories.learner("editor-fes@example.com")
    fes_editor.groups.add(fes.editors)
    for user in (manager, fes_editor):
        client.force_login(user)
        assert client.get(url(teaching.coming)).status_code == 404, user


def test_the_institutes_staff_take_attendance_too(client, teaching):
    """The organiser's editors and administrators open the list of any of its sessions, the
    course's trainer or not; the dashboard's "Sessions I teach" stays the trainers'."""
    rabat = teaching.coming.course.institute
    editor = factories.learner("editor-root@example.com")
    editor.groups.add(rabat.editors)
    admin = get_user_model().objects.create_superuser("root", "root@jazari.ma", "pw")
    for user in (editor, admin):
        client.force_login(user)
        for session in (teaching.coming, teaching.other):
            response = client.get(url(session))
            assert response.status_code == 200, (user, session)
        assert "Zineb Ouali" in response.text
        assert 'id="teaching-title"' not in client.get(reverse("learners:dashboard")).text


def test_an_unlinked_instructor_loses_access(client, teaching):
    """Unlinking the account (administrators do) closes the page at once."""
    Instructor.objects.filter(pk=teaching.instructor.pk).update(user=None)
    client.force_login(teaching.trainer)
    assert client.get(url(teaching.coming)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, teaching):
    response = client.get(url(teaching.coming))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_trainers_have_no_admin_access(client, teaching):
    """The admin stays closed to a trainer."""
    client.force_login(teaching.trainer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/" not in response["Location"] or "login" in response["Location"]
    assert client.get("/admin/enrolments/").status_code == 302


def test_only_administrators_link_an_instructor_to_an_account(client, teaching):
    """The instructor form shows the account field to administrators, not to editors allowed to
    edit instructors; an administrator's choice is saved."""
    edit = reverse("wagtailsnippets_courses_instructor:edit", args=[teaching.instructor.pk])
    group = Group.objects.create(name="Instructors editors")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "change_instructor", "view_instructor"]
        )
    )
    editor = factories.learner("editor@jazari.ma")
    editor.groups.add(group)
    client.force_login(editor)
    response = client.get(edit)
    assert response.status_code == 200
    assert 'name="user"' not in response.text
    client.post(edit, {"name": "Nadia Berrada", "role": "Formatrice", "user": ""})
    assert Instructor.objects.get(pk=teaching.instructor.pk).user_id == teaching.trainer.pk

    admin = get_user_model().objects.create_superuser("root", "root@jazari.ma", "pw")
    client.force_login(admin)
    assert 'name="user"' in client.get(edit).text
    response = client.post(
        edit, {"name": "Nadia Berrada", "role": "", "user": str(teaching.learner.pk)}
    )
    assert response.status_code == 302
    assert Instructor.objects.get(pk=teaching.instructor.pk).user_id == teaching.learner.pk
