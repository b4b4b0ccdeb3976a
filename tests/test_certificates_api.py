"""`GET /api/v1/certificates/{code}/`: public verification for partners."""

import pytest
from django.test import Client

from certificates import services
from certificates.models import Certificate
from tests import factories
from tests.certificates_helpers import complete, course_with_skills


@pytest.fixture
def certificate(tree):
    setting = course_with_skills(tree)
    amina = factories.learner("amina@example.com", full_name="Amina Benali")
    return Certificate.objects.get(enrolment=complete(amina, setting["session"]))


def test_a_valid_certificate(client, certificate):
    """Holder, course, dates, hours, institute, skills with levels, status and URLs."""
    response = client.get(f"/api/v1/certificates/{certificate.code}/")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == certificate.code
    assert data["status"] == "valid" and data["revoked_at"] is None
    assert data["holder_name"] == "Amina Benali"
    assert data["course_title"] == "Introduction au machine learning"
    assert data["institute_name"] == "Jazari Institute Fès"
    assert data["kind"] == "completion"
    assert data["hours"] == 6  # the session's one meeting, completed without attendance recorded
    assert data["starts_on"] == certificate.starts_on.isoformat()
    assert data["ends_on"] == certificate.ends_on.isoformat()
    assert [(s["name"], s["level"]) for s in data["skills"]] == [
        ("Apprentissage supervisé", 3),
        ("Programmation Python", 2),
    ]
    base = f"http://testserver/certificates/{certificate.code}/"
    assert data["verification_url"] == base
    assert data["pdf_url"] == base + "pdf/"
    assert data["badge_url"] == base + "badge.json"
    assert data["credential_url"] == base + "credential.jwt"
    assert data["replaced_by"] is None
    assert "email" not in str(data)


def test_the_code_may_be_typed_loosely_and_a_token_is_not_needed(certificate):
    """Lower case without dashes finds it; a stale token in the header doesn't block it."""
    client = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    loose = certificate.code.lower().replace("-", "")
    response = client.get(f"/api/v1/certificates/{loose}/")
    assert response.status_code == 200 and response.json()["code"] == certificate.code


@pytest.mark.parametrize("code", ["JZ-2222-3333-4444", "garbage", "JZ"])
def test_an_unknown_code_is_a_json_404(client, db, code):
    """404 with `{"detail": …}`, never an HTML page."""
    response = client.get(f"/api/v1/certificates/{code}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}


def test_a_revoked_certificate(client, certificate, admin_user, django_capture_on_commit_callbacks):
    """Status revoked with its date and reason, and the code of its replacement."""
    services.revoke(certificate, actor=admin_user, reason="Name misspelt")
    data = client.get(f"/api/v1/certificates/{certificate.code}/").json()
    assert data["status"] == "revoked" and data["revoked_at"]
    assert data["revoked_reason"] == "Name misspelt"
    with django_capture_on_commit_callbacks(execute=True):
        new = services.reissue(certificate, actor=admin_user)
    data = client.get(f"/api/v1/certificates/{certificate.code}/").json()
    assert data["replaced_by"] == new.code


def test_the_openapi_document_describes_it(client, db):
    """Public (no security), a path parameter `code` (beside the language's `lang` and
    `Accept-Language`), 200 and 404 responses."""
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/certificates/{code}/"]["get"]
    assert operation["summary"] and operation["description"]
    parameters = {p["name"]: p["in"] for p in operation["parameters"]}
    assert parameters == {"code": "path", "lang": "query", "Accept-Language": "header"}
    assert {"200", "404"} <= set(operation["responses"])
    assert {"tokenAuth": []} not in operation.get("security", [])
    properties = schema["components"]["schemas"]["Certificate"]["properties"]
    assert {"status", "holder_name", "skills", "verification_url", "pdf_url"} <= set(properties)
    assert {"kind", "credential_url"} <= set(properties)
    assert properties["hours"]["type"] == "number"
