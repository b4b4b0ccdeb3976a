"""The certificates area of the Wagtail admin: listing, details, revoke and re-issue, and who
may do what (an institute's editors, for their institute's certificates only)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import NoReverseMatch, reverse

from certificates.models import Certificate
from certificates.permissions import certificate_permission_policy
from tests import factories
from tests.certificates_helpers import complete, course_with_skills
from tests.test_admin_enrolments import login_en
from tests.test_admin_permissions import editors_group, staff

INDEX = "/admin/certificates/"
REVOKE = "certificates.revoke_certificate"


@pytest.fixture
def area(tree, django_capture_on_commit_callbacks):
    """A certificate of Fès's course; Fès and Rabat editors with the revoke permission, and a
    Fès editor without it."""
    setting = course_with_skills(tree)
    amina = factories.learner("amina@example.com", full_name="Amina Benali")
    certificate = Certificate.objects.get(enrolment=complete(amina, setting["session"]))
    fes_group = editors_group("Fès editors", setting["fes"])
    return {
        "certificate": certificate,
        "fes_editor": staff("fes_editor", fes_group, permissions=[REVOKE]),
        "fes_reader": staff("fes_reader", fes_group),
        "rabat_editor": staff(
            "rabat_editor", editors_group("Root editors", setting["root"]), permissions=[REVOKE]
        ),
    }


def codes_listed(response):
    return [certificate.code for certificate in response.context["object_list"]]


def url(name, certificate):
    return reverse(f"certificates_admin:{name}", args=[certificate.pk])


def test_editors_list_their_institutes_certificates_only(client, area):
    """Fès's editors see the certificate; Rabat's don't; search by code or name, filter status."""
    code = area["certificate"].code
    login_en(client, area["fes_editor"])
    assert codes_listed(client.get(INDEX)) == [code]
    assert codes_listed(client.get(INDEX, {"q": code.lower()})) == [code]
    assert codes_listed(client.get(INDEX, {"q": "benali"})) == [code]
    assert codes_listed(client.get(INDEX, {"q": "nobody"})) == []
    assert codes_listed(client.get(INDEX, {"status": "valid"})) == [code]
    assert codes_listed(client.get(INDEX, {"status": "revoked"})) == []
    login_en(client, area["rabat_editor"])
    assert codes_listed(client.get(INDEX)) == []
    assert client.get(url("inspect", area["certificate"])).status_code == 404


def test_the_details_show_what_was_certified(client, area):
    """The inspect view shows the snapshot and offers revoke and re-issue."""
    login_en(client, area["fes_editor"])
    response = client.get(url("inspect", area["certificate"]))
    assert response.status_code == 200
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    assert "Amina Benali" in text and "Jazari Institute Fès" in text and "Valid" in text
    assert "Kind Certificate of completion" in text and "Hours 6 hours" in text
    assert "Meetings attended" in text
    assert url("revoke", area["certificate"]) in response.content.decode()
    assert url("reissue", area["certificate"]) in response.content.decode()


def test_revoking_needs_a_reason_then_revokes(client, area):
    """GET asks; POST without a reason is refused with the form; with one, it is revoked."""
    certificate = area["certificate"]
    login_en(client, area["fes_editor"])
    assert client.get(url("revoke", certificate)).status_code == 200
    refused = client.post(url("revoke", certificate), {"reason": " "})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    certificate.refresh_from_db()
    assert certificate.is_valid
    response = client.post(url("revoke", certificate), {"reason": "Attendance recorded in error"})
    assert response.status_code == 302 and response["Location"] == url("inspect", certificate)
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == area["fes_editor"]
    assert certificate.revoked_reason == "Attendance recorded in error"
    assert codes_listed(client.get(INDEX, {"status": "revoked"})) == [certificate.code]


def test_reissuing_makes_a_new_certificate(client, area, django_capture_on_commit_callbacks):
    """POST re-issue: a new valid certificate, the old one revoked and replaced."""
    certificate = area["certificate"]
    login_en(client, area["fes_editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("reissue", certificate))
    certificate.refresh_from_db()
    new = certificate.replaced_by
    assert new is not None and new.is_valid and new.pdf and certificate.is_revoked
    assert response["Location"] == url("inspect", new)
    again = client.post(url("reissue", certificate), follow=True)
    assert "re-issued already" in again.content.decode()
    assert Certificate.objects.valid().get() == new


def test_editors_of_another_institute_or_without_the_permission_are_refused(client, area):
    """Another institute's editor: 404; an editor without "revoke": refused; nothing changes."""
    certificate = area["certificate"]
    login_en(client, area["rabat_editor"])
    for name in ("revoke", "reissue"):
        assert client.get(url(name, certificate)).status_code == 404
        assert client.post(url(name, certificate), {"reason": "x"}).status_code == 404
    login_en(client, area["fes_reader"])
    assert client.get(url("inspect", certificate)).status_code == 200
    for name in ("revoke", "reissue"):
        # PermissionDenied, answered the Wagtail way: back to the dashboard with a message.
        response = client.post(url(name, certificate), {"reason": "x"})
        assert response.status_code == 302, name
        assert response["Location"] == reverse("wagtailadmin_home")
        xhr = client.post(
            url(name, certificate), {"reason": "x"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
        )
        assert xhr.status_code == 403, name
    client.logout()
    response = client.post(url("revoke", certificate), {"reason": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    certificate.refresh_from_db()
    assert certificate.is_valid and certificate.replaced_by is None


def test_certificates_are_never_edited_through_generic_views(area, admin_user):
    """No add, edit or delete, not even for administrators."""
    for name in ("add", "edit", "delete", "history"):
        with pytest.raises(NoReverseMatch):
            reverse(f"certificates_admin:{name}", args=[1] if name != "add" else [])
    for action in ("add", "change", "delete"):
        assert not certificate_permission_policy.user_has_permission(admin_user, action)
    assert certificate_permission_policy.user_has_permission(admin_user, "revoke")
    users = certificate_permission_policy.users_with_any_permission(["revoke"])
    assert {area["fes_editor"], area["rabat_editor"], admin_user} <= set(users)
    assert area["fes_reader"] not in users


def test_an_institutes_signatory_and_logo_are_edited_under_certificates(client, area, admin_user):
    """The institute's page in the admin offers its logo and signatory in a "Certificates"
    panel."""
    fes = area["certificate"].enrolment.session.course.institute
    login_en(client, admin_user)
    response = client.get(f"/admin/pages/{fes.pk}/edit/")
    assert response.status_code == 200
    assert {"logo", "signatory_name", "signatory_role"} <= set(response.context["form"].fields)
    headings = [
        " ".join(h.get_text().split())
        for h in BeautifulSoup(response.content, "html.parser").find_all(["h2", "h3"])
    ]
    assert any("Certificates" in heading for heading in headings), headings
