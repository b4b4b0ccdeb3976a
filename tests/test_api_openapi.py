"""The OpenAPI 3 document at `/api/v1/openapi.json` and the docs page.

Fetched in process through DRF's `APIClient` (see `tests.api_client`): nothing here needs a
socket.
"""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from drf_spectacular.validation import validate_schema

from tests import factories
from tests.api_client import InProcessApi

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[1]

# The JSON API table of the product brief.
TABLE = [
    ("get", "/api/v1/sessions/"),
    ("get", "/api/v1/courses/"),
    ("get", "/api/v1/courses/{id}/"),
    ("get", "/api/v1/skills/"),
    ("get", "/api/v1/institutes/"),
    ("post", "/api/v1/auth/token/"),
    ("post", "/api/v1/sessions/{id}/enrol/"),
    ("get", "/api/v1/me/enrolments/"),
    ("post", "/api/v1/me/enrolments/{id}/cancel/"),
    ("get", "/api/v1/certificates/{code}/"),
    ("get", "/api/v1/me/export/"),
    ("delete", "/api/v1/auth/token/"),
    ("get", "/api/v1/stats/"),
    ("post", "/api/v1/checkin/"),
]
AUTHENTICATED = {
    "/api/v1/sessions/{id}/enrol/",
    "/api/v1/me/enrolments/",
    "/api/v1/me/enrolments/{id}/cancel/",
    "/api/v1/me/export/",
    "/api/v1/checkin/",
}


@pytest.fixture
def api():
    return InProcessApi()


@pytest.fixture
def schema(api):
    response = api.get("openapi.json")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_the_document_is_valid_openapi_3_with_every_path_of_the_table(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # against the OpenAPI 3.0 JSON Schema
    assert schema["info"]["title"] == "Jazari Skills API"
    for method, path in TABLE:
        assert method in schema["paths"].get(path, {}), (method, path)
    # Only the API of /api/v1/, not Wagtail's admin API.
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_the_document_describes_auth_parameters_and_errors(schema):
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for method, path in TABLE:
        operation = schema["paths"][path][method]
        assert operation.get("summary") and operation.get("description"), path
        security = operation.get("security", [])
        if path in AUTHENTICATED or method == "delete":
            assert security == [{"tokenAuth": []}], path
            assert "401" in operation["responses"], path
        else:
            assert {"tokenAuth": []} not in security or {} in security, path
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert {"400", "403", "415", "429"} <= set(token["responses"])
    assert "API_TOKEN_LIFETIME_HOURS" in token["description"]
    revoke = schema["paths"]["/api/v1/auth/token/"]["delete"]
    assert {"204", "401"} <= set(revoke["responses"])
    enrol = schema["paths"]["/api/v1/sessions/{id}/enrol/"]["post"]
    assert {"200", "201", "404", "409"} <= set(enrol["responses"])
    checkin = schema["paths"]["/api/v1/checkin/"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(checkin["responses"])
    conflict = checkin["responses"]["409"]["content"]["application/json"]
    assert conflict["examples"]["AlreadyCheckedIn"]["value"]["code"] == "already_checked_in"
    parameters = {p["name"] for p in schema["paths"]["/api/v1/sessions/"]["get"]["parameters"]}
    assert {
        "skill",
        "level",
        "format",
        "institute",
        "mode",
        "language",
        "q",
        "starts_after",
        "starts_before",
        "page",
        "page_size",
    } <= parameters
    page = schema["components"]["schemas"]["PaginatedSessionList"]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}


def test_repeatable_filters_are_documented_as_exploded_arrays(schema):
    """Facet filters of the sessions and courses lists take several values (`?level=a&level=b`):
    arrays sent as repeated parameters; the others stay single."""
    repeatable = {
        "/api/v1/sessions/": {"skill", "level", "format", "institute", "mode", "language"},
        "/api/v1/courses/": {
            "skill",
            "category",
            "level",
            "format",
            "institute",
            "region",
            "mode",
            "language",
            "audience",
        },
    }
    for path, names in repeatable.items():
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        for name in names:
            parameter = parameters[name]
            assert parameter["schema"]["type"] == "array", (path, name)
            assert parameter["schema"]["items"]["type"] == "string", (path, name)
            assert (parameter["style"], parameter["explode"]) == ("form", True), (path, name)
        for name in ("q", "starts_after", "starts_before", "page"):
            assert parameters[name]["schema"]["type"] != "array", (path, name)
    level = {p["name"]: p for p in schema["paths"]["/api/v1/sessions/"]["get"]["parameters"]}
    assert level["level"]["schema"]["items"]["enum"] == ["advanced", "beginner", "intermediate"]


def test_documented_fields_are_the_fields_served(schema, api):
    """Each item of the sessions and courses lists has exactly the documented properties."""
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    factories.session(course, starts_in=timedelta(days=3))
    components = schema["components"]["schemas"]
    for path, component in (("sessions/", "Session"), ("courses/", "Course")):
        [item] = api.get(path).json()["results"]
        assert set(item) == set(components[component]["properties"]), path


def test_the_docs_page_renders_every_operation_without_outside_resources(api):
    response = api.get("docs/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    page = BeautifulSoup(response.text, "html.parser")
    assert page.find("h1").get_text(strip=True).startswith("Jazari Skills API")
    operations = {
        " ".join(section.find("h3").get_text(" ", strip=True).split()[:2])
        for section in page.select("section.operation")
    }
    for method, path in TABLE:
        assert f"{method.upper()} {path}" in operations
    assert "Bearer" in response.text
    assert "starts_after" in response.text
    # Self-contained: no script, stylesheet or image fetched from anywhere.
    assert not page.find_all("script")
    assert not page.find_all("link", rel="stylesheet")
    assert not page.find_all("img")
    # The link to the machine-readable document works.
    href = page.find("a", href=lambda h: h and h.endswith("openapi.json"))["href"]
    document = api.get(urljoin(api.url("docs/"), href))
    assert document.status_code == 200
    refused = api.post("docs/")
    assert refused.status_code == 405 and refused.json()["detail"]


def test_the_document_is_english_unless_asked(api):
    english = api.get("openapi.json").json()
    french = api.get("openapi.json?lang=fr").json()
    odd = api.get("openapi.json?lang=../../x%00")
    parameters = {p["name"]: p for p in english["paths"]["/api/v1/sessions/"]["get"]["parameters"]}
    assert "`workshop` - Workshop" in parameters["format"]["description"]
    french_parameters = {
        p["name"]: p for p in french["paths"]["/api/v1/sessions/"]["get"]["parameters"]
    }
    assert "`workshop` - Atelier" in french_parameters["format"]["description"]
    assert odd.status_code == 200


def test_manage_py_spectacular_validates_without_a_warning(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` exits 0: /api/v1/ only, no collision."""
    output = tmp_path / "schema.json"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--format",
            "openapi-json",
            "--file",
            str(output),
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "jazari.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Warning" not in result.stderr, result.stderr[-3000:]
    schema = json.loads(output.read_text())
    assert schema["paths"] and all(path.startswith("/api/v1/") for path in schema["paths"])
    assert {"CourseLevelEnum", "SkillLevelEnum"} <= set(schema["components"]["schemas"])
