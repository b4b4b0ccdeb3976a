"""Builders for the material tests: real files (PDF, PNG, office), documents, enrolments."""

import io
import zipfile

from django.core.files.base import ContentFile

HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_IMAGE = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'


def pdf_bytes(pages=3):
    """A real PDF with `pages` blank A4 pages (pypdf)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(size=(64, 40), color=(11, 74, 90)):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def office_bytes(kind="docx"):
    """A minimal Office Open XML / OpenDocument archive with its format's telltale member."""
    members = {
        "docx": {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"},
        "xlsx": {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"},
        "pptx": {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"},
        "odt": {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<c/>"},
    }[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def document(title="Slides", name="slides.pdf", content=None, **fields):
    """A `JazariDocument` saved through the default storage."""
    from materials.models import JazariDocument

    content = pdf_bytes(2) if content is None else content
    doc = JazariDocument(title=title, **fields)
    doc.file.save(name, ContentFile(content), save=False)
    doc._set_document_file_metadata()
    doc.save()
    return doc


def material(course, doc=None, *, visibility="enrolled", session=None, title=""):
    from materials.models import Material

    return Material.objects.create(
        course=course,
        document=doc or document(),
        visibility=visibility,
        session=session,
        title=title,
    )


def enrol(user, session, status="confirmed"):
    from enrolments.models import Enrolment

    return Enrolment.objects.create(session=session, learner=user, status=status)


def superuser(username="admin"):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(username, f"{username}@example.com", "pw")
