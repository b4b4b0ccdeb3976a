"""Each institute's courses live in its folder, `/courses/<institute>/`, whose page permissions
its editors group holds: in the real admin views, an institute's editors create, edit and publish
their own courses and nothing of another institute's (edit, publish, preview, history,
unpublish, explorer, the page chooser); they hold sessions only at their institute or online;
Jazari Root approves the other institutes' changes."""

import importlib
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import GroupPagePermission, Page, WorkflowState

from courses.folders import APPROVAL_WORKFLOW
from courses.models import CoursePage, InstituteCoursesPage, Session
from institutes.models import InstitutePage
from tests import factories
from tests.shared_data import built_once, fresh
from tests.test_admin_course_revisions import errors_of, form_data
from tests.test_admin_enrolments import login_en, messages_of
from tests.test_admin_permissions import staff

VENUE_REFUSED = "You may hold a session only at the course's organising institute, or online"


@dataclass
class Network:
    tree: object
    rabat: InstitutePage  # the hub: its editors publish
    fes: InstitutePage  # moderated: its editors submit to Jazari Root
    rabat_course: CoursePage
    rabat_draft: CoursePage  # never published
    fes_course: CoursePage
    fes_draft: CoursePage
    rabat_editor: object
    fes_editor: object
    admin: object


@pytest.fixture(scope="module")
def network_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        rabat = factories.institute(tree, "Jazari Root", is_hub=True)
        fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
        yield Network(
            tree=tree,
            rabat=rabat,
            fes=fes,
            rabat_course=factories.course(tree, "Vision par ordinateur", rabat),
            rabat_draft=factories.course(tree, "Projet secret de Rabat", rabat, live=False),
            fes_course=factories.course(tree, "LLM et langue arabe", fes),
            fes_draft=factories.course(tree, "Brouillon confidentiel de Fès", fes, live=False),
            rabat_editor=staff("rabat_editor", rabat.editors),
            fes_editor=staff("fes_editor", fes.editors),
            admin=get_user_model().objects.create_superuser("admin", "admin@jazari.ma", "pw"),
        )


@pytest.fixture
def network(network_once, db):
    return fresh(network_once)


def folder(institute):
    return InstituteCoursesPage.objects.originals().get(institute=institute)


def granted(group, page):
    return set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def refused(response):
    """Wagtail's admin refuses with a 403, or a redirect away with its "no permission" message."""
    return response.status_code == 403 or (
        response.status_code == 302 and "/edit/" not in response["Location"]
    )


# The tree and its folders


def test_each_institute_has_its_folder_under_the_catalogue(network):
    """`/courses/<institute slug>/`, linked to the institute; courses sit in their organiser's."""
    fes_folder = folder(network.fes)
    assert fes_folder.get_parent().pk == network.tree.catalogue.pk
    assert (fes_folder.slug, fes_folder.title) == ("jazari-institute-fes", "Jazari Institute Fès")
    assert network.fes_course.get_parent().pk == fes_folder.pk
    assert network.fes_course.url == "/courses/jazari-institute-fes/llm-et-langue-arabe/"


def test_the_folder_redirects_to_the_catalogue_filtered_by_its_institute(client, network):
    """The folder's own URL shows the catalogue of its institute's courses, in the same language."""
    response = client.get("/courses/jazari-institute-fes/")
    assert response.status_code == 302
    assert response["Location"] == "/courses/?institute=jazari-institute-fes"
    response = client.get("/ar/courses/jazari-institute-fes/")
    assert response["Location"] == "/ar/courses/?institute=jazari-institute-fes"
    listed = client.get(response["Location"])
    assert "LLM et langue arabe" in listed.content.decode()
    assert "Vision par ordinateur" not in listed.content.decode()


def test_renaming_an_institute_renames_its_folder_and_old_course_urls_redirect(
    client, network, django_capture_on_commit_callbacks
):
    """The folder follows the institute's title and slug; the course's old URL answers 301,
    also under a language prefix."""
    fes = network.fes
    fes.title, fes.slug = "Jazari Institute Fès-Meknès", "jazari-institute-fes-meknes"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail makes redirects then
        fes.save()
    renamed = folder(fes)
    assert (renamed.title, renamed.slug) == (fes.title, fes.slug)
    course = CoursePage.objects.get(pk=network.fes_course.pk)
    assert course.url == "/courses/jazari-institute-fes-meknes/llm-et-langue-arabe/"
    response = client.get("/courses/jazari-institute-fes/llm-et-langue-arabe/")
    assert response.status_code == 301
    assert response["Location"] == course.url
    response = client.get("/en/courses/jazari-institute-fes/llm-et-langue-arabe/")
    assert response.status_code == 301
    assert response["Location"] == "/en/courses/jazari-institute-fes-meknes/llm-et-langue-arabe/"


def test_an_institute_without_courses_is_deleted_with_its_folder(client, network):
    """Deleting an institute that organises nothing, in the admin, takes its folder along."""
    tanger = factories.institute(network.tree, "Jazari Institute Tanger", city="Tanger")
    tanger_folder = folder(tanger)
    login_en(client, network.admin)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[tanger.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk__in=[tanger.pk, tanger_folder.pk]).exists()
    catalogue = Page.objects.get(pk=network.tree.catalogue.pk)
    assert catalogue.numchild == catalogue.get_children().count() == 2


def test_an_institute_with_courses_or_sessions_is_not_deleted(client, network):
    """Deleting Fès (which organises a course), Tanger (which hosts a session of Rabat's) or
    the page above them is refused with a message, singly or in bulk; nothing is deleted."""
    tanger = factories.institute(network.tree, "Jazari Institute Tanger", city="Tanger")
    factories.session(network.rabat_course, institute=tanger)
    login_en(client, network.admin)
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    for url in (
        reverse("wagtailadmin_pages:delete", args=[network.fes.pk]),
        reverse("wagtailadmin_pages:delete", args=[tanger.pk]),
        reverse("wagtailadmin_pages:delete", args=[network.tree.institutes.pk]),
    ):
        response = client.post(url, follow=True)
        assert response.status_code == 200, url
        [(level, text)] = messages_of(response)
        assert level == "error" and "Courses or sessions still depend on" in text, url
    # Wagtail's bulk deletion refuses institutes' pages before the hook is asked.
    response = client.post(f"{bulk}?id={tanger.pk}&next=/admin/", follow=True)
    assert response.status_code == 200
    assert [level for level, _text in messages_of(response)] == ["error"]
    assert InstitutePage.objects.filter(pk__in=[network.fes.pk, tanger.pk]).count() == 2


def test_the_organiser_follows_the_folder_whatever_the_form_says(client, network):
    """An editor adding a course in their folder can't name another institute as organiser."""
    login_en(client, network.rabat_editor)
    data = factories.course_form("Atelier de Rabat", network.fes)  # "institute" = Fès
    data["action-publish"] = "action-publish"
    url = reverse(
        "wagtailadmin_pages:add", args=["courses", "coursepage", folder(network.rabat).pk]
    )
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    course = CoursePage.objects.get(slug="atelier-de-rabat")
    assert course.live and course.institute_id == network.rabat.pk
    assert course.get_parent().pk == folder(network.rabat).pk


def test_a_course_moved_to_another_folder_is_organised_by_that_institute(client, network):
    """An administrator moves Fès's course into Rabat's folder: Rabat organises it."""
    login_en(client, network.admin)
    course, rabat_folder = network.fes_course, folder(network.rabat)
    url = reverse("wagtailadmin_pages:move_confirm", args=[course.pk, rabat_folder.pk])
    response = client.post(url)
    assert response.status_code == 302
    moved = CoursePage.objects.get(pk=course.pk)
    assert moved.get_parent().pk == rabat_folder.pk
    assert moved.institute_id == network.rabat.pk


# Page permissions


def test_each_folder_grants_its_editors_only(network):
    """The hub's editors add, change and publish in their folder; a moderated institute's add and
    change in theirs; neither group holds anything on another folder, the catalogue or home."""
    rabat_group, fes_group = network.rabat.editors, network.fes.editors
    assert granted(rabat_group, folder(network.rabat)) == {
        "add_page",
        "change_page",
        "publish_page",
    }
    assert granted(fes_group, folder(network.fes)) == {"add_page", "change_page"}
    assert granted(rabat_group, folder(network.fes)) == set()
    assert granted(fes_group, folder(network.rabat)) == set()
    for page in (network.tree.catalogue, network.tree.home):
        assert not GroupPagePermission.objects.filter(page=page).exists()


def test_a_group_no_longer_the_editors_loses_the_folder(network):
    """An administrator names another editors group: the new one holds the folder, the old not."""
    old_group = network.fes.editors
    network.fes.editors = Group.objects.create(name="Équipe de Fès")
    network.fes.save()
    assert granted(old_group, folder(network.fes)) == set()
    assert granted(network.fes.editors, folder(network.fes)) == {"add_page", "change_page"}


def test_granting_again_changes_nothing(network):
    """Saving the institute again leaves one permission of each kind, one workflow link."""
    before = GroupPagePermission.objects.count()
    network.fes.save()
    network.rabat.save()
    assert GroupPagePermission.objects.count() == before


def test_an_editor_cannot_open_or_publish_another_institutes_course(client, network):
    """Fès's course refuses Rabat's editor: edit form, publishing, preview, history, revisions,
    copying (which would take its sessions' private links along), moving it to their folder."""
    login_en(client, network.rabat_editor)
    course = network.fes_course
    edit = reverse("wagtailadmin_pages:edit", args=[course.pk])
    assert refused(client.get(edit))
    data = factories.course_form("Pris par Rabat", network.rabat, slug=course.slug)
    data["action-publish"] = "action-publish"
    assert refused(client.post(edit, data))
    course.refresh_from_db()
    assert course.title == "LLM et langue arabe" and course.revisions.count() == 0
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[course.pk])
    assert refused(client.post(preview, data))
    assert refused(client.get(preview))
    assert refused(client.get(reverse("wagtailadmin_pages:history", args=[course.pk])))
    assert refused(client.get(reverse("wagtailadmin_pages:revisions_index", args=[course.pk])))
    assert refused(client.get(reverse("wagtailadmin_pages:copy", args=[course.pk])))
    move = reverse("wagtailadmin_pages:move_confirm", args=[course.pk, folder(network.rabat).pk])
    assert refused(client.post(move))
    assert CoursePage.objects.get(pk=course.pk).get_parent().pk == folder(network.fes).pk


def test_an_editor_cannot_unpublish_another_institutes_course(client, network):
    """Unpublishing Fès's course is refused to Rabat's editor; it stays live."""
    login_en(client, network.rabat_editor)
    url = reverse("wagtailadmin_pages:unpublish", args=[network.fes_course.pk])
    assert refused(client.get(url))
    assert refused(client.post(url))
    assert CoursePage.objects.get(pk=network.fes_course.pk).live


def test_an_editor_cannot_see_another_institutes_draft(client, network):
    """Fès's draft: its edit view, its preview, the explorer and the admin's search keep it
    from Rabat's editor."""
    login_en(client, network.rabat_editor)
    draft = network.fes_draft
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])))
    assert refused(client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk])))
    assert refused(client.get(reverse("wagtailadmin_pages:view_draft", args=[draft.pk])))
    preview_on_add = reverse(
        "wagtailadmin_pages:preview_on_add", args=["courses", "coursepage", folder(network.fes).pk]
    )
    assert refused(client.get(preview_on_add))
    # The explorer of Fès's folder, or of the catalogue, sends Rabat's editor to their own.
    own = reverse("wagtailadmin_explore", args=[folder(network.rabat).pk])
    for page in (folder(network.fes), network.tree.catalogue):
        explorer = client.get(reverse("wagtailadmin_explore", args=[page.pk]))
        assert (explorer.status_code, explorer["Location"]) == (302, own)
    listing = client.get(own)
    assert listing.status_code == 200
    assert "Projet secret de Rabat" in listing.content.decode()
    assert draft.title not in listing.content.decode()
    searched = client.get(reverse("wagtailadmin_pages:search"), {"q": "Brouillon"})
    assert searched.status_code == 200 and draft.title not in searched.content.decode()


def test_an_editor_cannot_add_a_course_to_another_institutes_folder(client, network):
    """The add form under Fès's folder refuses Rabat's editor; nothing is created."""
    login_en(client, network.rabat_editor)
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", folder(network.fes).pk])
    assert refused(client.get(url))
    data = factories.course_form("Intrus", network.fes)
    data["action-publish"] = "action-publish"
    assert refused(client.post(url, data))
    assert not CoursePage.objects.filter(slug="intrus").exists()


def test_an_editor_cannot_edit_the_folder_itself(client, network):
    """The folder holds the editors' permissions, not the right to rename or unpublish it."""
    login_en(client, network.rabat_editor)
    rabat_folder = folder(network.rabat)
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[rabat_folder.pk])))
    assert refused(client.post(reverse("wagtailadmin_pages:unpublish", args=[rabat_folder.pk])))
    assert folder(network.rabat).live


def test_an_editor_edits_and_publishes_their_own_course(client, network):
    """Rabat's editor (the hub: no approval needed) publishes a change to Rabat's course."""
    login_en(client, network.rabat_editor)
    edit = reverse("wagtailadmin_pages:edit", args=[network.rabat_course.pk])
    shown = client.get(edit)
    assert shown.status_code == 200
    data = form_data(shown, "action-publish")
    data["summary"] = ["Un résumé publié par Rabat."]
    response = client.post(edit, data)
    assert response.status_code == 302, errors_of(response)
    course = CoursePage.objects.get(pk=network.rabat_course.pk)
    assert course.summary == "Un résumé publié par Rabat." and course.live
    assert client.get(reverse("wagtailadmin_pages:history", args=[course.pk])).status_code == 200


# Session venues


def venue_form(client, network, venue):
    edit = reverse("wagtailadmin_pages:edit", args=[network.rabat_course.pk])
    data = form_data(client.get(edit), "action-publish")
    session = factories.session_form(
        venue, starts_at="2031-03-10 09:00", ends_at="2031-03-10 17:00"
    )
    if venue is None:
        session.update(mode="online", online_url="https://meet.example.com/rabat")
    total = int(data["sessions-TOTAL_FORMS"][0])
    for key, value in session.items():
        data[f"sessions-{total}-{key}"] = [value]
    data[f"sessions-{total}-ORDER"] = [str(total + 1)]
    data["sessions-TOTAL_FORMS"] = [str(total + 1)]
    return edit, data


def test_an_editor_cannot_hold_a_session_at_another_institute(client, network):
    """A session of Rabat's course at Fès is refused to Rabat's editor, on the venue field."""
    login_en(client, network.rabat_editor)
    edit, data = venue_form(client, network, network.fes)
    response = client.post(edit, data)
    assert response.status_code == 200  # the form again, the message on the venue
    session_form = response.context["form"].formsets["sessions"].forms[0]
    assert VENUE_REFUSED in " ".join(session_form.errors["institute"])
    assert VENUE_REFUSED in errors_of(response)
    assert not Session.objects.filter(course=network.rabat_course).exists()


@pytest.mark.parametrize("where", ["rabat", "online"])
def test_an_editor_holds_a_session_at_their_institute_or_online(client, network, where):
    """At the organiser, or online, the session is published."""
    login_en(client, network.rabat_editor)
    edit, data = venue_form(client, network, network.rabat if where == "rabat" else None)
    response = client.post(edit, data)
    assert response.status_code == 302, errors_of(response)
    assert Session.objects.filter(course=network.rabat_course).count() == 1


def test_an_administrator_holds_a_session_anywhere(client, network):
    """Administrators may put a session of Rabat's course at Fès."""
    login_en(client, network.admin)
    edit, data = venue_form(client, network, network.fes)
    response = client.post(edit, data)
    assert response.status_code == 302, errors_of(response)
    assert Session.objects.get(course=network.rabat_course).institute_id == network.fes.pk


# The page chooser


def chooser_titles(response):
    """The text of the chooser's listing (browsing sends JSON, its HTML in `html`)."""
    is_json = response["Content-Type"].startswith("application/json")
    html = response.json()["html"] if is_json else response.content
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


def test_the_page_chooser_hides_another_institutes_drafts(client, network):
    """Browsing and searching the chooser, Fès's editor sees live courses and their own draft,
    never Rabat's draft."""
    login_en(client, network.fes_editor)
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[folder(network.rabat).pk]))
    assert browse.status_code == 200
    assert "Vision par ordinateur" in chooser_titles(browse)
    assert "Projet secret de Rabat" not in chooser_titles(browse)
    own = client.get(reverse("wagtailadmin_choose_page_child", args=[folder(network.fes).pk]))
    assert "Brouillon confidentiel de Fès" in chooser_titles(own)
    # Browsing from Rabat's draft itself (its id guessed) would show its title: 404.
    assert client.get(f"/admin/choose-page/{network.rabat_draft.pk}/").status_code == 404
    assert client.get(f"/admin/choose-page/{network.fes_draft.pk}/").status_code == 200
    search = reverse("wagtailadmin_choose_page_search")
    assert "Projet secret" not in chooser_titles(client.get(search, {"q": "Projet secret"}))
    assert "Brouillon confidentiel" in chooser_titles(client.get(search, {"q": "Brouillon"}))


def test_administrators_see_every_draft_in_the_chooser(client, network):
    """The chooser is not narrowed for administrators."""
    login_en(client, network.admin)
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[folder(network.rabat).pk]))
    assert "Projet secret de Rabat" in chooser_titles(browse)


# Moderation


def test_a_moderated_institutes_change_waits_for_jazari_roots_approval(client, network):
    """Fès's editor cannot publish, submits; Rabat's editors (the hub) approve, which publishes."""
    login_en(client, network.fes_editor)
    edit = reverse("wagtailadmin_pages:edit", args=[network.fes_course.pk])
    shown = client.get(edit)
    assert shown.status_code == 200
    data = form_data(shown, "action-publish")
    data["summary"] = ["Publié sans approbation ?"]
    client.post(edit, data)
    course = CoursePage.objects.get(pk=network.fes_course.pk)
    assert course.summary == "Résumé de LLM et langue arabe."  # not published

    data = form_data(client.get(edit), "action-submit")
    data["summary"] = ["Soumis à Jazari Root."]
    response = client.post(edit, data)
    assert response.status_code == 302, errors_of(response)
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(course.pk))
    assert state.workflow.name == APPROVAL_WORKFLOW and state.status == "in_progress"

    login_en(client, network.rabat_editor)
    assert client.get(edit).status_code == 200  # Wagtail opens the editor to the reviewers
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk]
    )
    response = client.post(approve, {"comment": ""})
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    assert course.summary == "Soumis à Jazari Root." and course.live
    assert refused(client.get(edit))  # and only while the change waits for them


def test_an_administrator_turns_moderation_off_for_an_institute(client, network):
    """Unticked on the folder in the admin, Fès's editors publish themselves, without workflow."""
    login_en(client, network.admin)
    edit = reverse("wagtailadmin_pages:edit", args=[folder(network.fes).pk])
    shown = client.get(edit)
    assert shown.status_code == 200
    data = form_data(shown, "action-publish")
    assert data.pop("moderated") == ["on"]
    response = client.post(edit, data)
    assert response.status_code == 302, errors_of(response)
    fes_folder = folder(network.fes)
    assert not fes_folder.moderated and fes_folder.live
    assert (fes_folder.title, fes_folder.slug) == ("Jazari Institute Fès", "jazari-institute-fes")
    assert granted(network.fes.editors, fes_folder) == {"add_page", "change_page", "publish_page"}
    # What is left is Wagtail's default workflow on the root, which publishers bypass.
    assert getattr(fes_folder.get_workflow(), "name", None) != APPROVAL_WORKFLOW


# The migration that moved the courses


def test_the_migration_moves_courses_into_folders_with_redirects(client, network):
    """Courses under the catalogue itself (as before) move into their folder; their old URLs,
    with and without a language prefix, answer 301 to the new ones; folders grant editors."""
    catalogue = network.tree.catalogue
    old = CoursePage(
        title="Cours d'avant",
        slug="cours-d-avant",
        institute=network.fes,
        summary="Résumé.",
    )
    Page.objects.get(pk=catalogue.pk).add_child(instance=old)
    assert old.url == "/courses/cours-d-avant/"
    GroupPagePermission.objects.filter(group=network.fes.editors).delete()

    migration = importlib.import_module("courses.migrations.0008_courses_in_institute_folders")
    migration.move_courses(django_apps, None)
    migration.move_courses(django_apps, None)  # twice: nothing more

    moved = CoursePage.objects.get(pk=old.pk)
    assert moved.get_parent().pk == folder(network.fes).pk
    assert moved.url == "/courses/jazari-institute-fes/cours-d-avant/"
    assert Page.objects.get(pk=catalogue.pk).numchild == 2
    assert granted(network.fes.editors, folder(network.fes)) == {"add_page", "change_page"}
    assert Redirect.objects.filter(redirect_page=moved).count() == 1
    for prefix in ("", "/ar", "/en"):
        response = client.get(f"{prefix}/courses/cours-d-avant/")
        assert response.status_code == 301
        assert response["Location"] == f"{prefix}/courses/jazari-institute-fes/cours-d-avant/"
    assert client.get("/fr/courses/cours-d-avant/", follow=True).redirect_chain[-1] == (
        "/courses/jazari-institute-fes/cours-d-avant/",
        301,
    )
