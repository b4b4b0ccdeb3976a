"""The public certificate pages: verification, PDF download and the Open Badges credential."""

import pytest
import requests
from bs4 import BeautifulSoup

from certificates import services
from certificates.models import Certificate
from tests import factories
from tests.certificates_helpers import complete, course_with_skills


@pytest.fixture
def setting(tree):
    return course_with_skills(tree)


@pytest.fixture
def amina():
    return factories.learner("amina@example.com", full_name="Amina Benali")


@pytest.fixture
def certificate(setting, amina):
    return Certificate.objects.get(enrolment=complete(amina, setting["session"]))


def page_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def test_the_verification_page_shows_a_valid_certificate(client, certificate):
    """Holder, course, dates, hours, institute, skills with levels, and "valid"."""
    response = client.get(f"/certificates/{certificate.code}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    text = page_text(response)
    for expected in (
        "Amina Benali",
        "Introduction au machine learning",
        "Jazari Institute Fès",
        "Certificat de fin de formation",
        "6 heures",
        "Apprentissage supervisé",
        "Intermédiaire",
        "Programmation Python",
        "Ce certificat est valide.",
        certificate.code,
    ):
        assert expected in text, expected
    assert f'href="/certificates/{certificate.code}/pdf/"' in response.content.decode()


def test_the_verification_page_speaks_the_visitors_language(client, certificate):
    """`/ar/certificates/<code>/` is the same page in Arabic, right to left."""
    response = client.get(f"/ar/certificates/{certificate.code}/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["dir"] == "rtl" and soup.html["lang"] == "ar"
    assert "المهارات" in page_text(response) and "متوسط" in page_text(response)


def test_a_code_typed_loosely_leads_to_the_certificate(client, certificate):
    """Lower case, no dashes: redirected to the canonical address."""
    loose = certificate.code.lower().replace("-", "")
    response = client.get(f"/certificates/{loose}/")
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/{certificate.code}/"


@pytest.mark.parametrize("code", ["JZ-2222-3333-4444", "nonsense", "JZ-0000"])
def test_an_unknown_code_is_the_404_page(client, certificate, code):
    """No certificate with this code: the site's 404 page, for every public URL."""
    for path in ("", "pdf/", "badge.json", "credential.jwt"):
        response = client.get(f"/certificates/{code}/{path}")
        assert response.status_code == 404, path
    assert "Page not found" in page_text(client.get(f"/en/certificates/{code}/"))


def test_a_revoked_certificate_says_so_and_links_to_its_replacement(
    client, certificate, admin_user, django_capture_on_commit_callbacks
):
    """Revoked: the date, the reason; re-issued: a link to the new certificate."""
    services.revoke(certificate, actor=admin_user, reason="Name misspelt")
    response = client.get(f"/en/certificates/{certificate.code}/")
    assert response.status_code == 200
    text = page_text(response)
    assert "it is no longer valid" in text and "Name misspelt" in text
    assert "This certificate is valid." not in text
    assert "/pdf/" not in response.content.decode()  # no download for visitors
    with django_capture_on_commit_callbacks(execute=True):
        new = services.reissue(certificate, actor=admin_user)
    soup = BeautifulSoup(client.get(f"/en/certificates/{certificate.code}/").content, "html.parser")
    assert soup.find("a", href=f"/en/certificates/{new.code}/").get_text() == new.code


def test_the_holder_downloads_the_pdf_from_a_presigned_url(client, s3, setting, amina):
    """302 to a presigned S3 URL whose bytes are the PDF, as an attachment."""
    enrolment = complete(amina, setting["session"], render_pdf=True)
    certificate = Certificate.objects.get(enrolment=enrolment)
    client.force_login(amina)
    response = client.get(f"/certificates/{certificate.code}/pdf/")
    assert response.status_code == 302
    url = response["Location"]
    assert "X-Amz-Signature=" in url and s3.name in url
    assert "no-store" in response["Cache-Control"]
    download = requests.get(url, timeout=30)
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert download.content == s3.read(certificate.pdf.name)
    disposition = download.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="certificate-{certificate.code}.pdf"'


def test_anyone_with_the_code_downloads_while_valid_only_the_holder_once_revoked(
    client, s3, certificate, amina, admin_user
):
    """Valid: anyone; revoked: 410 for others, still a download for the holder."""
    path = f"/certificates/{certificate.code}/pdf/"
    assert client.get(path).status_code == 302
    services.revoke(certificate, actor=admin_user, reason="Fraud")
    gone = client.get(path)
    assert gone.status_code == 410 and "Fraud" in page_text(gone)
    client.force_login(factories.learner("someone@example.com"))
    assert client.get(path).status_code == 410
    client.force_login(amina)
    held = client.get(path)
    assert held.status_code == 302
    assert requests.get(held["Location"], timeout=30).content.startswith(b"%PDF")


def test_on_local_storage_django_serves_the_file(client, certificate, amina):
    """Without S3 (`make run`), the PDF comes from Django itself."""
    client.force_login(amina)
    response = client.get(f"/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_missing_pdf_is_rendered_on_first_download(client, certificate):
    """The task failed or hasn't run: the download renders it, then serves it."""
    Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    response = client.get(f"/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Certificate.objects.get(pk=certificate.pk).pdf


def test_the_open_badge_is_an_ob3_credential(client, certificate, amina, setting):
    """badge.json: the signed credential's JSON-LD: the network as issuer, the institute as the
    achievement's creator, the hashed recipient, the ESCO alignment, a status list entry."""
    import hashlib

    response = client.get(f"/certificates/{certificate.code}/badge.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    badge = response.json()
    assert badge["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"] == f"http://testserver/certificates/{certificate.code}/badge.json"
    assert "proof" not in badge and "iss" not in badge  # the JWT's claims stay in the JWT
    assert badge["validFrom"].endswith("Z")
    issuer = badge["issuer"]
    assert issuer == {
        "id": "did:web:testserver",
        "type": ["Profile"],
        "name": "Jazari Root",
        "url": "http://testserver/",
    }
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    [identity] = subject["identifier"]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    assert identity["identityType"] == "emailAddress"
    expected = hashlib.sha256(("amina@example.com" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    assert "amina@example.com" not in response.content.decode()
    assert "Amina" not in response.content.decode()
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["name"] == "Introduction au machine learning"
    assert achievement["description"] and achievement["criteria"]["narrative"]
    creator = achievement["creator"]
    assert creator["type"] == ["Profile"] and creator["name"] == "Jazari Institute Fès"
    assert creator["id"].startswith("http://testserver/")
    assert creator["parentOrg"]["name"] == "Jazari Root"
    esco = [a for a in achievement["alignment"] if a["targetFramework"] == "ESCO"]
    assert esco == [
        {
            "type": ["Alignment"],
            "targetName": "Apprentissage supervisé",
            "targetUrl": setting["ml"].esco_uri,
            "targetType": "ceasn:Competency",
            "targetFramework": "ESCO",
            "targetDescription": "Intermédiaire",
            "targetCode": setting["ml"].esco_uri.rsplit("/", 1)[-1],
        }
    ]
    status = badge["credentialStatus"]
    assert status == {
        "id": f"http://testserver/credentials/status/1#{certificate.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(certificate.status_index),
        "statusListCredential": "http://testserver/credentials/status/1",
    }


def test_the_revocation_list_names_the_badge_once_revoked(client, certificate, admin_user):
    """The 1EdTech list of the credentials served before signing still answers: empty while
    valid, the credential once revoked."""
    path = f"/certificates/{certificate.code}/revocations.json"
    assert client.get(path).json()["revokedCredentials"] == []
    services.revoke(certificate, actor=admin_user, reason="Fraud")
    revoked = client.get(path).json()["revokedCredentials"]
    assert revoked == [
        {
            "id": f"http://testserver/certificates/{certificate.code}/badge.json",
            "revocationReason": "Fraud",
        }
    ]
