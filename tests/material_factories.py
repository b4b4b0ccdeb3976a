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
    """Material of `course`; a new document in its institute's collection unless `doc`."""
    from materials.collections import institute_collection
    from materials.models import Material

    return Material.objects.create(
        course=course,
        document=doc or document(collection=institute_collection(course.institute)),
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


def page_tree_pdf(pages, fanout=1000):
    """A hand-written PDF of `pages` empty pages in a two-level page tree: a few MB that cost
    pypdf seconds and tens of MB to count (the shape of a hostile upload)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []

    def obj(number, body):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    groups = [range(i, min(i + fanout, pages)) for i in range(0, pages, fanout)]
    first_group, first_page = 3, 3 + len(groups)
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % (first_group + g) for g in range(len(groups)))
    obj(2, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages))
    for g, group in enumerate(groups):
        kids = b" ".join(b"%d 0 R" % (first_page + i) for i in group)
        obj(
            first_group + g,
            b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>" % (kids, len(group)),
        )
    for g, group in enumerate(groups):
        for i in group:
            page = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 10 10] >>" % (first_group + g)
            obj(first_page + i, page)
    size = first_page + pages
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()
