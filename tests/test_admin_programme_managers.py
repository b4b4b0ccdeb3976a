"""Programme managers read every institute's enrolments and certificates and act on none: no
cancel, no bulk status change, no promote, no revoke or re-issue, no page editing. "May see"
and "may act" are two rules (`institutes.permissions`), and each admin view uses the right one."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission

from certificates.models import Certificate
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.permissions import manageable_enrolments, visible_enrolments
from institutes.permissions import editable_institutes, visible_institutes
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from learners.permissions import MANAGE, enrolment_permission_policy
from tests import factories
from tests.certificates_helpers import complete
from tests.shared_data import built_once, fresh
from tests.test_admin_enrolments import login_en
from tests.test_admin_permissions import (
    FES_SEES,
    INDEX,
    Network,
    build_network,
    csv_rows,
    is_refused,
    names_in,
    staff,
)

CERTIFICATES = "/admin/certificates/"
REVOKE = "certificates.revoke_certificate"


@dataclass
class Setting:
    network: Network
    manager: object  # in `programme managers` only
    manager_editing_fes: object  # a programme manager who is also one of Fès's editors
    certificate: Certificate  # of Fès's workshop


@pytest.fixture(scope="module")
def setting_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        network = build_network(tree)
        managers = Group.objects.get(name=PROGRAMME_MANAGERS_GROUP)
        later = factories.session(network.llm.course, capacity=5, mode="online")
        learner = factories.learner("rania@example.com", full_name="Rania Skalli")
        certificate = Certificate.objects.get(enrolment=complete(learner, later))
        yield Setting(
            network=network,
            manager=staff("manager", managers),
            manager_editing_fes=staff(
                "manager_fes", managers, network.fes.editors, permissions=[REVOKE]
            ),
            certificate=certificate,
        )


@pytest.fixture
def setting(setting_once, db):
    return fresh(setting_once)


def statuses():
    return dict(Enrolment.objects.values_list("pk", "status"))


# The group and the rules


def test_the_group_opens_the_admin_and_the_learners_areas_and_nothing_else(setting):
    """Made by a migration: admin access and "view learner profile"; no page permission."""
    group = Group.objects.get(name=PROGRAMME_MANAGERS_GROUP)
    assert sorted(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("learners", "view_profile"),
        ("wagtailadmin", "access_admin"),
    ]
    assert not GroupPagePermission.objects.filter(group=group).exists()


def test_managers_see_every_institute_and_act_on_none(setting):
    """ "May see" is the whole network for managers; "may act" is nothing (or their own
    institute's, for a manager who is also an editor)."""
    network = setting.network
    everyone = Enrolment.objects.count()
    assert set(visible_institutes(setting.manager)) == {network.rabat, network.fes}
    assert not editable_institutes(setting.manager).exists()
    assert visible_enrolments(setting.manager).count() == everyone
    assert not manageable_enrolments(setting.manager).exists()
    assert visible_enrolments(setting.manager_editing_fes).count() == everyone
    assert (
        names_in(
            manageable_enrolments(setting.manager_editing_fes).exclude(
                learner__email="rania@example.com"
            )
        )
        == FES_SEES
    )
    assert enrolment_permission_policy.user_has_permission(setting.manager, "view")
    assert not enrolment_permission_policy.user_has_permission(setting.manager, MANAGE)
    assert enrolment_permission_policy.user_has_permission(network.fes_editor, MANAGE)
    # An editor still sees only their institute's.
    assert visible_enrolments(network.fes_editor).count() < everyone


# Reading: listing, details, history, session overview, export


def test_manager_lists_every_institutes_learners_without_bulk_actions(client, setting):
    """The listing holds every enrolment, with no bulk action checkboxes or footer, no promote."""
    login_en(client, setting.manager)
    response = client.get(INDEX)
    assert response.status_code == 200
    assert len(response.context["object_list"]) == Enrolment.objects.count()
    html = response.content.decode()
    assert "/admin/bulk/enrolments/" not in html and "data-bulk-action-checkbox" not in html
    assert "/promote/" not in html
    # An editor gets the checkboxes and the footer.
    login_en(client, setting.network.rabat_editor)
    html = client.get(INDEX).content.decode()
    assert "/admin/bulk/enrolments/" in html and "data-bulk-action-checkbox" in html
    assert "/promote/" in html


def test_manager_reads_details_history_and_session_overview(client, setting):
    """Details, history and the overview of any institute's session open, without promote."""
    network = setting.network
    login_en(client, setting.manager)
    salma = network.enrolments["Salma"]  # waitlisted in Rabat's session
    for url in (
        f"{INDEX}{salma.pk}/",
        f"{INDEX}{salma.pk}/history/",
        f"{INDEX}sessions/{network.intro.pk}/",
        f"{INDEX}sessions/{network.llm.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "/promote/" not in response.content.decode(), url
    assert "Salma Idrissi" in client.get(f"{INDEX}sessions/{network.intro.pk}/").text


def test_manager_exports_the_whole_network(client, setting):
    """The CSV export (after a recent log-in) holds every institute's learners."""
    login_en(client, setting.manager)
    rows = csv_rows(client.get(f"{INDEX}?export=csv"))
    assert len(rows) == Enrolment.objects.count()
    assert {"amina.benali@example.com", "leila.chraibi@example.com"} <= {r["Email"] for r in rows}


def test_manager_filters_by_any_institute(client, setting):
    """The listing's institute filter offers every institute to a manager."""
    login_en(client, setting.manager)
    response = client.get(INDEX, {"institute": setting.network.fes.pk})
    assert response.status_code == 200
    emails = {e.learner_email for e in response.context["object_list"]}
    assert "leila.chraibi@example.com" in emails and "amina.benali@example.com" not in emails


# Acting: every action refused, nothing changed


def bulk_url(action, *enrolments):
    url = reverse("wagtail_bulk_action", args=["enrolments", "enrolment", action])
    return url + "?" + "&".join(f"id={e.pk}" for e in enrolments)


@pytest.mark.parametrize("action", ["mark_attended", "mark_no_show", "mark_completed", "cancel"])
def test_manager_is_refused_every_bulk_action(client, setting, action):
    """Each bulk action is refused to a manager, by id or "all", and changes nothing."""
    network = setting.network
    before = statuses()
    factories.hold(network.intro)
    login_en(client, setting.manager)
    amina, salma = network.enrolments["Amina"], network.enrolments["Salma"]
    for url in (bulk_url(action, amina, salma), bulk_url(action) + "id=all"):
        assert is_refused(client.get(url)), url
        assert is_refused(client.post(url)), url
    assert statuses() == before


def test_manager_cannot_promote(client, setting):
    """Promoting a waitlisted learner is refused (the enrolment is not one they act on)."""
    salma = setting.network.enrolments["Salma"]
    login_en(client, setting.manager)
    url = f"{INDEX}{salma.pk}/promote/"
    assert client.get(url).status_code in (403, 404)
    assert client.post(url).status_code in (403, 404)
    assert Enrolment.objects.get(pk=salma.pk).status == EnrolmentStatus.WAITLISTED


def test_manager_who_edits_fes_acts_on_fes_only(client, setting):
    """A manager who is also Fès's editor cancels Fès's learners, never Rabat's."""
    network = setting.network
    login_en(client, setting.manager_editing_fes)
    # Promote buttons show on Fès's waiting list, not on Rabat's.
    assert "/promote/" in client.get(f"{INDEX}sessions/{network.llm.pk}/").text
    assert "/promote/" not in client.get(f"{INDEX}sessions/{network.intro.pk}/").text
    leila, amina = network.enrolments["Leila"], network.enrolments["Amina"]
    response = client.post(bulk_url("cancel", leila, amina))
    assert response.status_code == 302
    current = statuses()
    assert current[leila.pk] == EnrolmentStatus.CANCELLED
    assert current[amina.pk] == EnrolmentStatus.CONFIRMED


def test_manager_reads_certificates_and_may_not_revoke_or_reissue(client, setting):
    """Certificates of every institute list and open; revoke and re-issue are refused."""
    certificate = setting.certificate
    login_en(client, setting.manager)
    response = client.get(CERTIFICATES)
    assert [c.code for c in response.context["object_list"]] == [certificate.code]
    detail = client.get(f"{CERTIFICATES}{certificate.pk}/")
    assert detail.status_code == 200
    assert "/revoke/" not in detail.text and "/reissue/" not in detail.text
    for action in ("revoke", "reissue"):
        url = f"{CERTIFICATES}{certificate.pk}/{action}/"
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"reason": "No"}).status_code in (403, 404), url
    certificate.refresh_from_db()
    assert certificate.is_valid
    assert Certificate.objects.count() == 1


def test_revoke_permission_alone_does_not_reach_other_institutes(client, setting):
    """Given the revoke permission, a manager editing Fès revokes Fès's certificates only."""
    certificate = setting.certificate  # Fès's
    login_en(client, setting.network.rabat_editor)
    assert client.get(f"{CERTIFICATES}{certificate.pk}/").status_code == 404
    login_en(client, setting.manager_editing_fes)
    assert "/revoke/" in client.get(f"{CERTIFICATES}{certificate.pk}/").text
    response = client.post(f"{CERTIFICATES}{certificate.pk}/revoke/", {"reason": "Erreur"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked


def test_manager_cannot_edit_pages(client, setting):
    """No page permission: editing, adding under or deleting a course is refused."""
    network = setting.network
    course = network.intro.course
    login_en(client, setting.manager)
    assert client.get("/admin/").status_code == 200
    for url in (
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
        reverse("wagtailadmin_pages:delete", args=[course.pk]),
        reverse("wagtailadmin_pages:edit", args=[network.fes.pk]),
    ):
        response = client.get(url)
        refused = response.status_code == 403 or (
            response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        )
        assert refused, (url, response.status_code)
        assert client.post(url, {"title": "Changé"}).status_code in (302, 403)
    course.refresh_from_db()
    assert course.title == "Introduction au machine learning"
