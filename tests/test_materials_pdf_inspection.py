"""A hostile PDF cannot exhaust the worker: its pages are counted in a limited child process.

The crafted file is a valid PDF of 20,000 empty pages (2 MB) that takes pypdf one to two
seconds and tens of MB to count. With the default limits it is counted; with 10 MB of memory
the child is stopped and the document is recorded with its size and SHA-256 but no page count;
so it is with a CPU limit of one second for a file four times as long (about five seconds of
counting, so that a fast machine does not finish within the second).
"""

import hashlib

import pytest

from materials.tasks import inspect_document
from tests.material_factories import document, page_tree_pdf

PAGES = 20_000


@pytest.fixture(scope="module")
def hostile():
    return page_tree_pdf(PAGES)


@pytest.fixture(scope="module")
def longer():
    return page_tree_pdf(PAGES * 4)


def inspected(content):
    doc = document(name="hostile.pdf", content=content)
    assert inspect_document.delay(doc.pk).get() == "checked"
    doc.refresh_from_db()
    assert doc.checked_at is not None
    assert doc.file_size == len(content)
    assert doc.sha256 == hashlib.sha256(content).hexdigest()
    return doc


def test_within_the_limits_the_pages_are_counted(db, hostile):
    assert inspected(hostile).page_count == PAGES


@pytest.mark.parametrize(
    ("limits", "pdf"),
    [
        ({"MATERIAL_PDF_INSPECT_SECONDS": 1}, "longer"),
        ({"MATERIAL_PDF_INSPECT_MEMORY_MB": 10}, "hostile"),
    ],
    ids=["cpu", "memory"],
)
def test_past_a_limit_the_document_is_checked_without_a_page_count(
    db, settings, request, limits, pdf
):
    for name, value in limits.items():
        setattr(settings, name, value)
    assert inspected(request.getfixturevalue(pdf)).page_count is None


def test_a_file_that_is_no_pdf_gets_no_page_count(db):
    assert inspected(b"%PDF-1.4\n" + b"\x00garbage" * 1000).page_count is None


def test_the_task_has_a_time_limit():
    """Celery stops an inspection that runs too long (soft limit first, then the hard one)."""
    assert 0 < inspect_document.soft_time_limit < inspect_document.time_limit
