"""Reverting a course to an earlier version, and publishing it, as an editor does in the admin:
a version that would drop a session learners are enrolled in, or the course's material, is
refused with a message and nothing is saved, so the current draft still publishes."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from courses.models import CoursePage, Session
from enrolments.models import Enrolment, Notification
from enrolments.services.enrolment import enrol
from materials.models import Material
from tests import factories, material_factories
from tests.shared_data import built_once, fresh
from tests.test_admin_enrolments import login_en, messages_of
from tests.test_admin_permissions import editors_group, staff

SESSION_KEPT = "learners are enrolled in it, and this version would delete it"


@dataclass
class History:
    course: CoursePage
    first: Session  # in both versions, one learner enrolled
    added: Session  # added after the first version, two learners enrolled
    empty: Session  # added after the first version, nobody enrolled
    slides: Material  # the course's, added after the first version
    old_version: object  # the first published revision: `first` only, no material
    editor: object  # edits the organising institute's pages


def publish(course):
    """Publish the course as it is in the database, as a new revision."""
    page = CoursePage.objects.get(pk=course.pk)
    revision = page.save_revision()
    revision.publish()
    return revision


@pytest.fixture(scope="module")
def history_once(django_db_setup, django_db_blocker):
    """A course published twice: the second version adds two sessions and the material."""
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        rabat = factories.institute(tree, "Jazari Root", is_hub=True)
        group = editors_group("Jazari Root editors", rabat)  # its folder's page permissions
        course = factories.course(tree, "Introduction au machine learning", rabat)
        first = factories.session(course, starts_in=timedelta(days=10))
        old_version = publish(course)
        added = factories.session(course, starts_in=timedelta(days=40))
        empty = factories.session(course, starts_in=timedelta(days=60))
        for index, session in enumerate((first, added, added)):
            learner = factories.learner(f"learner{index}@example.com", full_name=f"L {index}")
            enrol(learner, session.pk)
        slides = material_factories.material(course, visibility="everyone", title="Slides")
        publish(course)
        yield History(
            course=CoursePage.objects.get(pk=course.pk),
            first=first,
            added=added,
            empty=empty,
            slides=slides,
            old_version=old_version,
            editor=staff("rabat_editor", group),
        )


@pytest.fixture
def history(history_once, db):
    return fresh(history_once)


def form_data(response, action):
    """What the browser submits from the page's edit form as shown, with `action`'s button.

    The course's body and outcomes are empty StreamFields, which the admin's JavaScript
    submits as an empty stream."""
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", attrs={"data-edit-form": True}) or soup.find(
        "form", id="page-edit-form"
    )
    assert form is not None, "no page edit form"
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "select":
            chosen = [
                o.get("value", o.text) for o in field.find_all("option") if o.has_attr("selected")
            ]
            if not chosen and not field.has_attr("multiple"):
                first = field.find("option")
                chosen = [first.get("value", first.text)] if first else []
            value = chosen
        elif field.name == "textarea":
            value = [field.text]
        elif field.get("type") in ("checkbox", "radio"):
            if not field.has_attr("checked"):
                continue
            value = [field.get("value", "on")]
        elif field.get("type") in ("submit", "button"):
            continue
        else:
            value = [field.get("value", "")]
        data.setdefault(name, []).extend(value)
    for stream in ("body", "outcomes"):
        data.setdefault(f"{stream}-count", ["0"])
    data[action] = [action]
    return data


def revert_url(history):
    return reverse(
        "wagtailadmin_pages:revisions_revert", args=[history.course.pk, history.old_version.pk]
    )


def edit_url(history):
    return reverse("wagtailadmin_pages:edit", args=[history.course.pk])


def errors_of(response):
    """The page's error messages and the form's errors, as plain text."""
    soup = BeautifulSoup(response.content, "html.parser")
    texts = [text for level, text in messages_of(response) if level == "error"]
    texts += [li.get_text(" ", strip=True) for li in soup.select(".error-message, .errorlist li")]
    return " ".join(texts)


def assert_unchanged(history, revisions_before):
    """The course's sessions, enrolments, material and revisions are as they were."""
    assert set(Session.objects.filter(course=history.course).values_list("pk", flat=True)) == {
        history.first.pk,
        history.added.pk,
        history.empty.pk,
    }
    assert Enrolment.objects.filter(session__course=history.course).count() == 3
    assert Material.objects.filter(pk=history.slides.pk).exists()
    assert history.course.revisions.count() == revisions_before


@pytest.mark.parametrize("action", ["action-publish", "action-save"])
def test_reverting_to_a_version_without_an_enrolled_session_is_refused(client, history, action):
    """Publishing or saving an old version that lacks an enrolled session: message, no change."""
    login_en(client, history.editor)
    revisions_before = history.course.revisions.count()
    shown = client.get(revert_url(history))
    assert shown.status_code == 200
    response = client.post(revert_url(history), form_data(shown, action))
    assert response.status_code == 200  # the form again, with the reasons
    errors = errors_of(response)
    assert SESSION_KEPT in errors
    assert str(history.added) in errors
    assert str(history.empty) not in errors  # nobody enrolled: deleting it is the editor's call
    assert "Slides" in errors  # the material the old version lacks is named, not dropped
    assert_unchanged(history, revisions_before)
    assert not Notification.objects.filter(kind="cancelled").exists()


def test_after_a_refused_revert_the_current_version_still_publishes(client, history):
    """The refused revert leaves no draft behind: the course's current version publishes."""
    login_en(client, history.editor)
    shown = client.get(revert_url(history))
    client.post(revert_url(history), form_data(shown, "action-publish"))
    edit = client.get(edit_url(history))
    response = client.post(edit_url(history), form_data(edit, "action-publish"))
    assert response.status_code == 302, errors_of(response)
    history.course.refresh_from_db()
    assert history.course.live and not history.course.has_unpublished_changes
    assert Session.objects.filter(course=history.course).count() == 3
    assert Material.objects.filter(pk=history.slides.pk).exists()


def test_reverting_to_a_version_that_keeps_sessions_and_material_publishes_it(client, history):
    """A version with every enrolled session and all the material restores as usual."""
    page = CoursePage.objects.get(pk=history.course.pk)
    page.summary = "Un résumé réécrit."
    page.save_revision().publish()
    kept_version = history.course.revisions.order_by("-created_at", "-pk")[1]
    url = reverse("wagtailadmin_pages:revisions_revert", args=[history.course.pk, kept_version.pk])
    login_en(client, history.editor)
    response = client.post(url, form_data(client.get(url), "action-publish"))
    assert response.status_code == 302, errors_of(response)
    page.refresh_from_db()
    assert page.summary == "Résumé de Introduction au machine learning."
    assert Session.objects.filter(course=page).count() == 3
    assert Material.objects.filter(pk=history.slides.pk).exists()


def test_a_draft_saved_without_an_enrolled_session_is_refused_then_replaced(client, history):
    """A draft that lacks an enrolled session (saved before this rule) can't be published, and
    says why; restoring the live version replaces it."""
    history.old_version.as_object().save_revision()  # the draft the broken revert used to leave
    login_en(client, history.editor)
    revisions_before = history.course.revisions.count()
    edit = client.get(edit_url(history))
    response = client.post(edit_url(history), form_data(edit, "action-publish"))
    assert response.status_code == 200
    assert SESSION_KEPT in errors_of(response)
    assert_unchanged(history, revisions_before)
    live = CoursePage.objects.get(pk=history.course.pk).live_revision
    url = reverse("wagtailadmin_pages:revisions_revert", args=[history.course.pk, live.pk])
    response = client.post(url, form_data(client.get(url), "action-publish"))
    assert response.status_code == 302, errors_of(response)
    assert not CoursePage.objects.get(pk=history.course.pk).has_unpublished_changes


# Material of a session deleted on the course page


def index_of(data, relation, pk):
    """The inline form's prefix in `data` for the child `pk` of `relation`."""
    [prefix] = [
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith(f"{relation}-") and key.endswith("-id") and value == [str(pk)]
    ]
    return prefix


@pytest.fixture
def notebook(history):
    """Material attached to the session nobody enrolled in, published with the course."""
    notebook = material_factories.material(history.course, session=history.empty, title="Notebook")
    publish(history.course)
    return notebook


def edit_data_deleting_empty_session(client, history):
    data = form_data(client.get(edit_url(history)), "action-publish")
    data[f"{index_of(data, 'sessions', history.empty.pk)}-DELETE"] = ["1"]
    return data


def test_deleting_a_session_with_material_attached_is_refused(client, history, notebook):
    """Deleting a session would delete its material with it: refused, the material named."""
    login_en(client, history.editor)
    response = client.post(edit_url(history), edit_data_deleting_empty_session(client, history))
    assert response.status_code == 200
    assert "Its session is deleted: attach the material to another session" in errors_of(response)
    assert Session.objects.filter(pk=history.empty.pk).exists()
    assert Material.objects.filter(pk=notebook.pk, session=history.empty).exists()


@pytest.mark.parametrize("change", [{"session": [""]}, {"DELETE": ["1"]}])
def test_deleting_a_session_while_moving_or_deleting_its_material_works(
    client, history, notebook, change
):
    """The editor who moves the material to the whole course, or deletes it too, is obeyed."""
    login_en(client, history.editor)
    data = edit_data_deleting_empty_session(client, history)
    material = index_of(data, "materials", notebook.pk)
    data.update({f"{material}-{field}": value for field, value in change.items()})
    response = client.post(edit_url(history), data)
    assert response.status_code == 302, errors_of(response)
    assert not Session.objects.filter(pk=history.empty.pk).exists()
    kept = Material.objects.filter(pk=notebook.pk, session=None).exists()
    assert kept == ("session" in change)


def test_publishing_an_old_version_without_a_form_keeps_the_enrolled_sessions(history, caplog):
    """As a workflow's approval or scheduled publishing does: no form, no one to tell."""
    history.old_version.publish()

    sessions = set(Session.objects.filter(course=history.course).values_list("pk", flat=True))
    assert sessions == {history.first.pk, history.added.pk}  # `empty` goes, as in the version
    assert Enrolment.objects.filter(session__course=history.course).count() == 3
    live = CoursePage.objects.get(pk=history.course.pk)
    assert live.live_revision_id == history.old_version.pk
    assert f"kept [{history.added.pk}]" in caplog.text
    # The live page's next version publishes too.
    publish(live)
    assert Session.objects.filter(course=history.course).count() == 2
