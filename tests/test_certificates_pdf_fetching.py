"""What WeasyPrint may fetch while rendering a certificate: `data:` URIs and static files.

A certificate template (put first on the template path) points at a socket server on a
loopback port, another host, `file:///etc/passwd` and the project's static files, as images,
a stylesheet and PDF attachments. Only the static files end up in the PDF, read from disk;
the server is never contacted, the rest is refused and logged, and the PDF still renders.
"""

import copy
import io
import logging
import socket
import threading
from pathlib import Path

import pypdf
import pytest
from django.conf import settings as django_settings
from PIL import Image

from certificates.models import Certificate
from certificates.pdf import render_pdf, static_file
from tests import factories
from tests.certificates_helpers import complete, course_with_skills

BASE = "http://testserver/"
SITE_CSS = Path(django_settings.BASE_DIR) / "jazari" / "static" / "css" / "site.css"


class Listener:
    """A TCP server on a loopback port that records every connection made to it."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopped.is_set():
            try:
                conn, _address = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n")
            conn.close()

    def close(self):
        self.stopped.set()
        self.thread.join()
        self.socket.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def hostile_template(tmp_path, settings, listener):
    """certificates/certificate_pdf.html replaced by one fetching from everywhere, and a
    static image `jazari-test/logo.png` in a static folder of its own."""
    static_dir = tmp_path / "static"
    (static_dir / "jazari-test").mkdir(parents=True)
    Image.new("RGB", (40, 20), (200, 30, 30)).save(static_dir / "jazari-test" / "logo.png")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static_dir]

    templates = tmp_path / "templates" / "certificates"
    templates.mkdir(parents=True)
    local = f"http://127.0.0.1:{listener.port}"
    (templates / "certificate_pdf.html").write_text(
        "{% load static %}<!DOCTYPE html><html><head>"
        f'<link rel="stylesheet" href="{local}/style.css">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        f'<link rel="attachment" href="{local}/leak">'
        '<link rel="attachment" href="file:///etc/passwd">'
        '<link rel="attachment" href="{% static \'css/site.css\' %}">'
        f"<style>body {{ background: url({local}/bg.png) }}</style>"
        "</head><body><p>{{ certificate.holder_name }}</p>"
        f'<img src="{local}/x.png" alt="">'
        '<img src="https://evil.example/x.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        f'<img src="/../../../../etc/passwd" alt="">'
        '<img src="{% static \'jazari-test/logo.png\' %}" alt="">'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 '
        'width=%2210%22 height=%2210%22%3E%3Crect width=%2210%22 height=%2210%22/%3E%3C/svg%3E"'
        ' alt="">'
        "</body></html>"
    )
    engines = copy.deepcopy(settings.TEMPLATES)
    engines[0]["DIRS"] = [tmp_path / "templates", *engines[0]["DIRS"]]
    settings.TEMPLATES = engines
    return local


def test_only_static_files_and_data_uris_are_fetched(tree, hostile_template, listener, caplog):
    amina = factories.learner("amina@example.com", full_name="Amina Benali")
    certificate = Certificate.objects.get(
        enrolment=complete(amina, course_with_skills(tree)["session"])
    )
    with caplog.at_level(logging.WARNING, logger="jazari.certificates.pdf"):
        content = render_pdf(certificate)

    reader = pypdf.PdfReader(io.BytesIO(content))
    assert "Amina Benali" in reader.pages[0].extract_text()  # rendered all the same
    assert listener.connections == 0
    # The static stylesheet attached, read from disk; nothing of /etc/passwd anywhere.
    assert reader.attachments == {"site.css": [SITE_CSS.read_bytes()]}
    # The static logo is drawn (the data: SVG is drawn as vector, not an image).
    [image] = reader.pages[0].images
    assert image.image.size == (40, 20)
    refused = [r.getMessage() for r in caplog.records if r.name == "jazari.certificates.pdf"]
    for url in (
        f"{hostile_template}/x.png",
        f"{hostile_template}/style.css",
        f"{hostile_template}/leak",
        f"{hostile_template}/bg.png",
        "https://evil.example/x.png",
        "file:///etc/passwd",
        "http://testserver/etc/passwd",
    ):
        assert any(message.endswith(url) for message in refused), url


def test_static_file_stays_inside_the_static_folders():
    """Only this site's STATIC_URL, only files under the static folders."""
    assert static_file(f"{BASE}static/css/site.css", BASE) == SITE_CSS
    for url in (
        f"{BASE}static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE}static/..%2f..%2f..%2fetc%2fpasswd",
        f"{BASE}static/",
        f"{BASE}static/css/",
        f"{BASE}static/missing.png",
        f"{BASE}media/x.png",
        "http://elsewhere.example/static/css/site.css",
        "https://testserver/static/css/site.css",
        "file:///static/css/site.css",
    ):
        assert static_file(url, BASE) is None, url
