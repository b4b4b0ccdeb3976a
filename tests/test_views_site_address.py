"""Absolute URLs follow the address the site is served at: the request's own while one is being
answered, else the configured public base URL (`WAGTAILADMIN_BASE_URL`), which `make run` sets
from its HOST and PORT."""

import os
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from icalendar import Calendar

from certificates.models import Certificate
from certificates.pdf import certificate_html, qr_data_uri
from enrolments.services.enrolment import enrol
from tests import factories
from tests.certificates_helpers import complete, course_with_skills
from tests.test_certificates_pdf import compact, pdf_text

REPO_ROOT = Path(__file__).resolve().parent.parent
# The address a visitor uses (another port than the default 8000) and the configured one.
SERVED = "127.0.0.1:8123"
PUBLIC = "https://skills.example.ma"


@pytest.fixture(autouse=True)
def _public_base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = PUBLIC


@pytest.fixture
def setting(tree):
    return course_with_skills(tree)


@pytest.fixture
def certificate(setting):
    amina = factories.learner("amina@example.com", full_name="Amina Benali")
    return Certificate.objects.get(enrolment=complete(amina, setting["session"]))


def test_calendar_downloads_link_to_the_address_they_were_fetched_from(client, setting):
    """A session's `.ics` and the private feed link to the course on the request's host."""
    learner = factories.learner("karim@example.com")
    enrol(learner, setting["session"].pk)
    course_url = f"http://{SERVED}{setting['course'].url}"
    for path in (
        f"/sessions/{setting['session'].pk}/calendar.ics",
        f"/calendar/{learner.profile.calendar_token}.ics",
    ):
        response = client.get(path, HTTP_HOST=SERVED)
        assert response.status_code == 200, path
        [event] = Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["url"]) == course_url, path
        assert PUBLIC not in response.content.decode(), path


def test_the_dashboard_feed_address_is_the_requests(client, tree):
    """The calendar feed offered on the dashboard is on the host the learner uses."""
    learner = factories.learner("karim@example.com")
    client.force_login(learner)
    html = client.get("/dashboard/", HTTP_HOST=SERVED).content.decode()
    assert f"http://{SERVED}/calendar/{learner.profile.calendar_token}.ics" in html


def test_verification_page_and_api_are_on_the_requests_address(client, certificate):
    """The verification page, the 1EdTech revocation list and the API use the request's host;
    the credential, signed once when the certificate was issued, names the public address."""
    code = certificate.code
    base = f"http://{SERVED}/certificates/{code}/"

    page = client.get(f"/certificates/{code}/", HTTP_HOST=SERVED).content.decode()
    assert f'href="{base}badge.json"' in page
    assert f'href="{base}credential.jwt"' in page

    badge = client.get(f"/certificates/{code}/badge.json", HTTP_HOST=SERVED).json()
    public = f"{PUBLIC}/certificates/{code}/"
    assert badge["id"] == public + "badge.json"
    assert badge["issuer"]["id"] == "did:web:skills.example.ma"
    assert badge["credentialStatus"]["statusListCredential"] == f"{PUBLIC}/credentials/status/1"
    achievement = badge["credentialSubject"]["achievement"]
    assert achievement["id"].startswith(f"{PUBLIC}/")
    assert achievement["creator"]["id"].startswith(f"{PUBLIC}/")
    assert all(
        alignment["targetUrl"].startswith((f"{PUBLIC}/", "http://data.europa.eu/"))
        for alignment in achievement["alignment"]
    )
    assert SERVED not in str(badge)

    revocations = client.get(f"/certificates/{code}/revocations.json", HTTP_HOST=SERVED).json()
    assert revocations["id"] == base + "revocations.json"

    data = client.get(f"/api/v1/certificates/{code}/", HTTP_HOST=SERVED).json()
    assert (data["verification_url"], data["pdf_url"], data["badge_url"]) == (
        base,
        base + "pdf/",
        base + "badge.json",
    )


def test_pdf_rendered_by_the_task_uses_the_public_base_url(setting):
    """Rendered by the task after completion, outside any request: the configured address."""
    amina = factories.learner("amina@example.com", full_name="Amina Benali")
    enrolment = complete(amina, setting["session"], render_pdf=True)
    certificate = Certificate.objects.get(enrolment=enrolment)
    url = f"{PUBLIC}/certificates/{certificate.code}/"
    with certificate.pdf.open("rb") as handle:
        assert url in compact(pdf_text(handle.read()))


def test_pdf_rendered_on_download_uses_the_requests_address(client, certificate):
    """A PDF rendered on its first download has the text and QR code of the request's host."""
    Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    response = client.get(f"/certificates/{certificate.code}/pdf/", HTTP_HOST=SERVED)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    url = f"http://{SERVED}/certificates/{certificate.code}/"
    assert url in compact(pdf_text(content))
    assert PUBLIC not in compact(pdf_text(content))
    certificate.refresh_from_db()
    assert certificate.pdf  # kept, so the next download serves the same file


def test_the_qr_code_follows_the_requests_address(rf, certificate):
    """The QR code given to WeasyPrint encodes the verification page on the request's host."""
    request = rf.get(f"/certificates/{certificate.code}/pdf/", HTTP_HOST=SERVED)
    url = f"http://{SERVED}/certificates/{certificate.code}/"
    assert f'src="{qr_data_uri(url)}"' in certificate_html(certificate, request)
    assert f'src="{qr_data_uri(f"{PUBLIC}/certificates/{certificate.code}/")}"' in (
        certificate_html(certificate)
    )


def test_emails_use_the_public_base_url(setting, django_capture_on_commit_callbacks):
    """Emails are sent by tasks, outside a request: links and their `.ics` use the base URL."""
    learner = factories.learner("karim@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        enrol(learner, setting["session"].pk)
    [message] = mail.outbox
    course_url = f"{PUBLIC}{setting['course'].url}"
    assert course_url in message.body
    assert f"{PUBLIC}/dashboard/" in message.body
    assert "testserver" not in message.body and "8000" not in message.body
    [ics] = [
        part for part in message.message().walk() if part.get_content_type() == "text/calendar"
    ]
    [event] = Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")
    assert str(event["url"]) == course_url


def make_run(tmp_path, *args, env=None):
    """What `make run` gives its commands, with a stand-in Python that prints it."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / ".installed").touch()
    python = venv / "bin" / "python"
    python.write_text('#!/bin/sh\necho "$WAGTAILADMIN_BASE_URL $*"\n')
    python.chmod(0o755)
    environment = {k: v for k, v in os.environ.items() if k != "WAGTAILADMIN_BASE_URL"}
    result = subprocess.run(
        ["make", "-s", "run", f"VENV={venv}", *args],
        cwd=REPO_ROOT,
        env={**environment, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_make_run_sets_the_public_base_url_from_host_and_port(tmp_path):
    """`make run PORT=8123` serves on 8123 and links there; a base URL already set is kept."""
    lines = make_run(tmp_path, "PORT=8123")
    assert lines == [
        "http://127.0.0.1:8123 manage.py migrate --noinput",
        "http://127.0.0.1:8123 manage.py seed_demo",
        "http://127.0.0.1:8123 manage.py runserver 127.0.0.1:8123",
    ]
    kept = make_run(tmp_path / "again", "PORT=8123", env={"WAGTAILADMIN_BASE_URL": PUBLIC})
    assert {line.split()[0] for line in kept} == {PUBLIC}
