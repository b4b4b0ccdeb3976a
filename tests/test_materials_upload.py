"""Uploading material in the Wagtail admin: type, size and content checks, then the task that
records size, SHA-256 and page count."""

import hashlib

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Collection

from materials.models import JazariDocument
from materials.tasks import inspect_document
from tests.material_factories import HTML_PAGE, document, pdf_bytes, superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    client.force_login(superuser())
    return client


def upload(client, name, content, title="Support de cours"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


def form_errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(
        e.get_text(" ", strip=True) for e in soup.select(".error-message, [data-field-errors]")
    )


def test_pdf_upload_lands_in_s3_and_is_inspected(
    admin_client, s3, django_capture_on_commit_callbacks
):
    """A real 3-page PDF is stored in the bucket; the task records size, SHA-256 and pages."""
    content = pdf_bytes(3)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, "cours.pdf", content)
    assert response.status_code == 302, form_errors(response)
    doc = JazariDocument.objects.get()
    assert s3.keys() == [doc.file.name]
    assert doc.file_size == len(content)
    assert doc.sha256 == hashlib.sha256(content).hexdigest()
    assert doc.page_count == 3
    assert doc.checked_at is not None


def test_task_is_safe_to_run_twice_and_ignores_a_replaced_file(s3, db):
    """Running the task again gives the same record; a vanished document is "gone"."""
    doc = document(name="deck.pdf", content=pdf_bytes(4))
    assert inspect_document.delay(doc.pk).get() == "checked"
    first = JazariDocument.objects.get(pk=doc.pk)
    assert inspect_document.delay(doc.pk).get() == "checked"
    second = JazariDocument.objects.get(pk=doc.pk)
    assert (first.sha256, first.page_count, first.file_size) == (
        second.sha256,
        second.page_count,
        second.file_size,
    )
    assert first.page_count == 4
    doc.delete()
    assert inspect_document.delay(doc.pk).get() == "gone"


def test_task_measures_non_pdf_without_page_count(s3, db):
    """A CSV gets its size and SHA-256; no page count."""
    content = "ville,participants\nFès,12\n".encode() * 1000
    doc = document(name="data.csv", content=content)
    inspect_document.delay(doc.pk)
    doc.refresh_from_db()
    assert doc.sha256 == hashlib.sha256(content).hexdigest()
    assert doc.file_size == len(content)
    assert doc.page_count is None


def test_html_renamed_pdf_is_refused(admin_client, s3):
    """An HTML page renamed .pdf is refused with a clear message, and nothing is stored."""
    response = upload(admin_client, "slides.pdf", HTML_PAGE)
    assert response.status_code == 200
    assert "pas un véritable fichier .pdf" in form_errors(response)
    assert JazariDocument.objects.count() == 0
    assert s3.keys() == []


def test_multiple_uploader_refuses_html_renamed_pdf(admin_client, s3):
    """The multiple uploader validates each file with the same form."""
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("notes.pdf", HTML_PAGE)},
    )
    body = response.json()
    assert body["success"] is False
    assert "pas un véritable fichier .pdf" in body["error_message"]
    assert JazariDocument.objects.count() == 0


def test_extension_outside_the_allowlist_is_refused(admin_client, s3):
    """A file type not in WAGTAILDOCS_EXTENSIONS is refused with the accepted types."""
    response = upload(admin_client, "setup.exe", b"MZ\x90\x00")
    assert response.status_code == 200
    assert ".exe" in form_errors(response) and ".pdf" in form_errors(response)
    assert JazariDocument.objects.count() == 0


def test_oversize_is_refused(admin_client, s3):
    """A file above MATERIAL_MAX_UPLOAD_SIZE is refused, saying the limit."""
    with override_settings(MATERIAL_MAX_UPLOAD_SIZE=1024):
        response = upload(admin_client, "big.pdf", pdf_bytes(1) + b" " * 2048)
    assert response.status_code == 200
    assert "trop volumineux" in form_errors(response)
    assert "1.0" in form_errors(response) or "1,0" in form_errors(response)
    assert JazariDocument.objects.count() == 0
    assert s3.keys() == []


REAL_REASONS = {
    "slides.pdf": (HTML_PAGE, "n'est pas un véritable fichier .pdf"),
    "setup.exe": (b"MZ\x90\x00", "Les fichiers de type « .exe » ne sont pas acceptés"),
}


def add_view_errors(client, name, content):
    response = upload(client, name, content)
    return list(response.context["form"].errors["file"])


def chooser_errors(client, name, content):
    response = client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            "document-chooser-upload-title": "Support",
            "document-chooser-upload-file": SimpleUploadedFile(name, content),
            "document-chooser-upload-collection": Collection.get_first_root_node().pk,
        },
    )
    soup = BeautifulSoup(response.json()["htmlFragment"], "html.parser")
    field = soup.select_one("[data-contentpath=file]")
    return [error.get_text(" ", strip=True) for error in field.select(".error-message")]


def multiple_uploader_errors(client, name, content):
    response = client.post(
        reverse("wagtaildocs:add_multiple"), {"files[]": SimpleUploadedFile(name, content)}
    )
    return response.json()["error_message"].split("\n")


@pytest.mark.parametrize("name", REAL_REASONS)
@pytest.mark.parametrize(
    "errors_of",
    [add_view_errors, chooser_errors, multiple_uploader_errors],
    ids=lambda f: f.__name__,
)
def test_refused_upload_says_only_the_real_reason_once(admin_client, s3, errors_of, name):
    """A refused file gets one message, its own reason: not Wagtail's empty-extension one too."""
    content, reason = REAL_REASONS[name]
    [message] = errors_of(admin_client, name, content)
    assert reason in message
    assert "«  »" not in message and "« » " not in message
    assert JazariDocument.objects.count() == 0


class SpyUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, noting the type of each upload it completes."""

    completed = []

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        self.completed.append(type(upload).__name__)
        return upload


def test_upload_larger_than_memory_threshold_goes_through_a_temporary_file(admin_client, s3):
    """Past FILE_UPLOAD_MAX_MEMORY_SIZE the upload is spooled to disk, and still accepted."""
    SpyUploadHandler.completed = []
    content = ("a,b\n" * 5000).encode()
    with override_settings(
        FILE_UPLOAD_MAX_MEMORY_SIZE=1024,
        FILE_UPLOAD_HANDLERS=[f"{__name__}.SpyUploadHandler"],
    ):
        response = upload(admin_client, "table.csv", content)
    assert response.status_code == 302, form_errors(response)
    assert SpyUploadHandler.completed == ["TemporaryUploadedFile"]
    assert s3.read(JazariDocument.objects.get().file.name) == content
