"""Who sees which learners in the admin: administrators everything, an institute's editors only
the enrolments of sessions their institute hosts or organises, everyone else nothing."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from courses.models import Session
from courses.permissions import can_manage_session
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.permissions import VIEW_LEARNERS, visible_enrolments
from enrolments.services.enrolment import enrol
from institutes.models import InstitutePage
from institutes.permissions import editable_institutes
from learners.permissions import enrolment_permission_policy
from tests import factories
from tests.accounts import log_in
from tests.shared_data import built_once, fresh

# Test network


@dataclass
class Network:
    rabat: InstitutePage
    fes: InstitutePage
    intro: Session  # Rabat's course in Rabat, 2 seats: 2 confirmed, 2 waiting
    llm: Session  # Fès's online workshop, 1 seat: 1 confirmed, 1 waiting
    intro_in_fes: Session  # Rabat's course held in Fès: both institutes see it
    enrolments: dict  # learner's first name → Enrolment
    admin: object
    rabat_editor: object
    fes_editor: object
    outsider: object  # may open the enrolments area, edits no institute
    page_editor: object  # admin access only, no view permission on enrolments


def permission(label):
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def staff(username, *groups, permissions=()):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@jazari.ma", password="pw"
    )
    user.groups.add(*groups)
    user.user_permissions.add(*(permission(label) for label in permissions))
    return user


def editors_group(name, institute=None):
    """A group with the minimal Wagtail permissions to read enrolments; edits `institute`."""
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(permission("wagtailadmin.access_admin"))
    group.permissions.add(permission(VIEW_LEARNERS))
    if institute is not None:
        institute.editors = group
        institute.save()
    return group


LEARNERS = {
    "intro": ["Amina Benali", "Youssef Alaoui", "Salma Idrissi", "Karim Tazi"],
    "llm": ["Leila Chraibi", "Omar Fassi"],
    "intro_in_fes": ["Nadia Bennani"],
}


def email_of(name):
    return f"{name.lower().replace(' ', '.')}@example.com"


def build_network(tree):
    """Two institutes, three sessions, seven learners enrolled through the service."""
    rabat = factories.institute(tree, "Jazari Root", is_hub=True)
    fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
    rabat_group = editors_group("Jazari Root editors", rabat)
    fes_group = editors_group("Jazari Fès editors", fes)
    intro_course = factories.course(tree, "Introduction au machine learning", rabat)
    llm_course = factories.course(tree, "LLM et langue arabe", fes)
    sessions = {
        "intro": factories.session(intro_course, starts_in=timedelta(days=10), capacity=2),
        "llm": factories.session(
            llm_course, starts_in=timedelta(days=20), capacity=1, mode="online"
        ),
        "intro_in_fes": factories.session(
            intro_course, starts_in=timedelta(days=30), capacity=5, institute=fes
        ),
    }
    enrolments = {}
    for key, names in LEARNERS.items():
        for name in names:
            learner = factories.learner(email_of(name), full_name=name)
            enrolments[name.split()[0]] = enrol(learner, sessions[key].pk).enrolment
    return Network(
        rabat=rabat,
        fes=fes,
        enrolments=enrolments,
        admin=get_user_model().objects.create_superuser("admin", "admin@jazari.ma", "pw"),
        rabat_editor=staff("rabat_editor", rabat_group),
        fes_editor=staff("fes_editor", fes_group),
        outsider=staff("outsider", editors_group("Outsiders")),
        page_editor=staff("page_editor", permissions=["wagtailadmin.access_admin"]),
        **sessions,
    )


@pytest.fixture(scope="module")
def network_once(django_db_setup, django_db_blocker):
    """The network, built once for the module (see `tests.shared_data`)."""
    with built_once(django_db_blocker):
        yield build_network(factories.site_tree())


@pytest.fixture
def network(network_once, db):
    """The module's network, its objects read again for this test."""
    return fresh(network_once)


def names_in(queryset):
    return sorted(e.learner.profile.full_name.split()[0] for e in queryset)


RABAT_SEES = ["Amina", "Karim", "Nadia", "Salma", "Youssef"]
FES_SEES = ["Leila", "Nadia", "Omar"]


# The rules (learners.permissions)


def test_editable_institutes(network):
    """Superusers edit every institute, editors their own, others none."""
    assert set(editable_institutes(network.admin)) == {network.rabat, network.fes}
    assert list(editable_institutes(network.rabat_editor)) == [network.rabat]
    assert list(editable_institutes(network.fes_editor)) == [network.fes]
    assert not editable_institutes(network.outsider).exists()
    from django.contrib.auth.models import AnonymousUser

    assert not editable_institutes(AnonymousUser()).exists()


def test_visible_enrolments_follow_venue_and_organiser(network):
    """Editors see enrolments of sessions their institute hosts or whose course it organises."""
    assert names_in(visible_enrolments(network.admin)) == sorted(network.enrolments)
    assert names_in(visible_enrolments(network.rabat_editor)) == RABAT_SEES
    assert names_in(visible_enrolments(network.fes_editor)) == FES_SEES
    assert not visible_enrolments(network.outsider).exists()
    assert not visible_enrolments(network.page_editor).exists()


def test_inactive_editor_sees_nothing(network):
    """A deactivated account loses access to the learners at once."""
    network.rabat_editor.is_active = False
    network.rabat_editor.save()
    assert not visible_enrolments(network.rabat_editor).exists()
    assert not can_manage_session(network.rabat_editor, network.intro)


def test_can_manage_session(network):
    """The same rule, for one session."""
    cases = {
        (network.admin, network.llm): True,
        (network.rabat_editor, network.intro): True,
        (network.rabat_editor, network.llm): False,
        (network.rabat_editor, network.intro_in_fes): True,  # Rabat organises the course
        (network.fes_editor, network.intro_in_fes): True,  # Fès hosts the session
        (network.fes_editor, network.intro): False,
        (network.outsider, network.intro): False,
    }
    for (user, session), expected in cases.items():
        assert can_manage_session(user, session) is expected, (user, session)


def test_policy_is_read_only_even_for_superusers(network):
    """No generic add, edit or delete of enrolments: they change only through the services."""
    for action in ("add", "change", "delete"):
        assert not enrolment_permission_policy.user_has_permission(network.admin, action)
    assert enrolment_permission_policy.user_has_permission(network.admin, "view")
    assert enrolment_permission_policy.user_has_permission(network.rabat_editor, "view")
    assert not enrolment_permission_policy.user_has_permission(network.page_editor, "view")
    amina = network.enrolments["Amina"]
    assert enrolment_permission_policy.user_has_permission_for_instance(
        network.rabat_editor, "view", amina
    )
    assert not enrolment_permission_policy.user_has_permission_for_instance(
        network.fes_editor, "view", amina
    )


# Through the admin's URLs

INDEX = "/admin/enrolments/"


def is_refused(response):
    """Wagtail answers a permission error with 403, or for a page a redirect to the dashboard."""
    if response.status_code == 302:
        return response["Location"] == reverse("wagtailadmin_home")
    return response.status_code == 403


def listed_emails(response):
    return sorted(e.learner_email for e in response.context["object_list"])


def test_listing_shows_only_the_editors_learners(client, network):
    """Each editor's listing holds the learners of their institute's sessions, and no others."""
    for user, expected in ((network.rabat_editor, RABAT_SEES), (network.fes_editor, FES_SEES)):
        client.force_login(user)
        for url in (INDEX, f"{INDEX}results/"):  # the page, and its results refreshed by AJAX
            response = client.get(url)
            assert response.status_code == 200
            assert listed_emails(response) == sorted(
                network.enrolments[name].learner.email for name in expected
            )
            hidden = set(network.enrolments) - set(expected)
            for name in hidden:
                assert network.enrolments[name].learner.email not in response.text


def test_outsider_with_view_permission_lists_nobody(client, network):
    """The view permission alone opens the area, but shows no learner without an institute."""
    client.force_login(network.outsider)
    response = client.get(INDEX)
    assert response.status_code == 200
    assert listed_emails(response) == []


def test_menu_only_for_users_allowed_to_view_enrolments(client, network):
    """The "Enrolments" menu item shows for editors and administrators, not for others."""
    for user, shown in (
        (network.admin, True),
        (network.rabat_editor, True),
        (network.page_editor, False),
    ):
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 200
        assert (INDEX in response.text) is shown, user
    client.force_login(network.page_editor)
    assert is_refused(client.get(INDEX))


def other_institutes_urls(network):
    """Every URL that would show or change Rabat-only enrolments (Amina, Salma waitlisted)."""
    amina, salma = network.enrolments["Amina"], network.enrolments["Salma"]
    bulk = reverse("wagtail_bulk_action", args=["enrolments", "enrolment", "mark_attended"])
    cancel = reverse("wagtail_bulk_action", args=["enrolments", "enrolment", "cancel"])
    return {
        "detail": f"{INDEX}{amina.pk}/",
        "history": f"{INDEX}{amina.pk}/history/",
        "history results": f"{INDEX}{amina.pk}/history/results/",
        "promote": f"{INDEX}{salma.pk}/promote/",
        "session": f"{INDEX}sessions/{network.intro.pk}/",
        "bulk attended": f"{bulk}?id={amina.pk}",
        "bulk cancel": f"{cancel}?id={amina.pk}&id={salma.pk}",
    }


def test_editor_cannot_reach_another_institutes_learners_by_url(client, network):
    """Details, history, promote, session roster and bulk actions answer 404, and change nothing."""
    client.force_login(network.fes_editor)
    for name, url in other_institutes_urls(network).items():
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 404, (name, method.__name__)
            assert "Benali" not in response.text
    statuses = dict(Enrolment.objects.values_list("learner__profile__full_name", "status"))
    assert statuses["Amina Benali"] == EnrolmentStatus.CONFIRMED
    assert statuses["Salma Idrissi"] == EnrolmentStatus.WAITLISTED


def test_editor_export_holds_only_their_learners(client, network):
    """Exports, even filtered by another institute's session, hold only the editor's learners."""
    log_in(client, network.fes_editor)
    fes_emails = sorted(email_of(name) for name in LEARNERS["llm"] + LEARNERS["intro_in_fes"])
    for query in ("export=csv", f"export=csv&session={network.intro.pk}"):
        rows = csv_rows(client.get(f"{INDEX}?{query}"))
        assert sorted(row["Email"] for row in rows) == fes_emails, query
    rows = xlsx_rows(client.get(f"{INDEX}?export=xlsx"))
    assert sorted(row["Email"] for row in rows) == fes_emails


# Columns of the CSV and XLSX exports, in order (headings are translated).
EXPORT_COLUMNS = ["Learner", "Email", "Course", "Session start", "Status", "Position", "Enrolled"]


def csv_rows(response):
    """The exported CSV as dicts keyed by EXPORT_COLUMNS, after its heading row."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text))
    assert len(header) == len(EXPORT_COLUMNS)
    return [dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in rows]


def xlsx_rows(response):
    """The exported workbook's first sheet as dicts keyed by EXPORT_COLUMNS."""
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert len(header) == len(EXPORT_COLUMNS)
    return [dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in rows]


def test_bulk_action_with_mixed_ids_touches_only_visible_enrolments(client, network):
    """Ids of another institute slipped into a bulk action are ignored, never acted on."""
    client.force_login(network.fes_editor)
    leila, amina = network.enrolments["Leila"], network.enrolments["Amina"]
    factories.hold(network.llm)
    factories.hold(network.intro)
    url = reverse("wagtail_bulk_action", args=["enrolments", "enrolment", "mark_attended"])
    confirm = client.get(f"{url}?id={leila.pk}&id={amina.pk}")
    assert confirm.status_code == 200
    assert "Leila Chraibi" in confirm.text and "Benali" not in confirm.text
    client.post(f"{url}?id={leila.pk}&id={amina.pk}")
    leila.refresh_from_db()
    amina.refresh_from_db()
    assert (leila.status, amina.status) == (EnrolmentStatus.ATTENDED, EnrolmentStatus.CONFIRMED)


def test_user_without_view_permission_is_refused(client, network):
    """An admin user without the view permission is refused the area, export and bulk actions."""
    client.force_login(network.page_editor)
    amina = network.enrolments["Amina"]
    bulk = reverse("wagtail_bulk_action", args=["enrolments", "enrolment", "mark_attended"])
    assert is_refused(client.get(INDEX))
    assert is_refused(client.get(f"{INDEX}?export=csv"))
    assert is_refused(client.get(f"{bulk}?id={amina.pk}"))
    assert client.post(f"{bulk}?id={amina.pk}").status_code in (302, 403)
    assert Enrolment.objects.get(pk=amina.pk).status == EnrolmentStatus.CONFIRMED
    response = client.get(f"{INDEX}{amina.pk}/")
    assert response.status_code == 404 or is_refused(response)


def test_anonymous_visitors_are_sent_to_log_in(client, network):
    """Every enrolment URL redirects an anonymous visitor to the log-in page."""
    urls = {"listing": INDEX, "export": f"{INDEX}?export=csv", **other_institutes_urls(network)}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


def test_no_generic_add_edit_or_delete_urls(client, network):
    """Even an administrator finds no form to add, edit or delete an enrolment."""
    client.force_login(network.admin)
    amina = network.enrolments["Amina"]
    for url in (
        f"{INDEX}new/",
        f"{INDEX}edit/{amina.pk}/",
        f"{INDEX}delete/{amina.pk}/",
        reverse("wagtail_bulk_action", args=["enrolments", "enrolment", "delete"]),
    ):
        assert client.get(url).status_code == 404, url
    assert Enrolment.objects.filter(pk=amina.pk).exists()


def test_site_history_shows_enrolment_entries_to_administrators_only(client, network):
    """The site history shows enrolment audit entries to administrators, not to editors.

    Wagtail lists the entries of any model one holds a permission on; the area's permission is
    on learner profiles, so no learner of another institute shows there.
    """
    url = reverse("wagtailadmin_reports:site_history")
    client.force_login(network.fes_editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "benali" not in response.text.lower()
    client.force_login(network.admin)
    assert email_of("Amina Benali") in client.get(url).text
