"""The upload signature checker: content must match the claimed extension (no database)."""

import io

import pytest

from materials.validation import ContentMismatch, check_bytes, check_content
from tests.material_factories import HTML_PAGE, SVG_IMAGE, office_bytes, pdf_bytes, png_bytes


@pytest.mark.parametrize(
    "name, content",
    [
        ("slides.pdf", pdf_bytes(1)),
        ("report.docx", office_bytes("docx")),
        ("figures.xlsx", office_bytes("xlsx")),
        ("deck.pptx", office_bytes("pptx")),
        ("notes.odt", office_bytes("odt")),
        ("dataset.zip", office_bytes("docx")),
        ("cover.png", png_bytes()),
        ("data.csv", "ville,participants\nFès,12\nالرباط,30\n".encode()),
        ("readme.txt", "Bienvenue à la formation.\n".encode()),
        ("lab.ipynb", b'{"cells": [], "nbformat": 4}'),
    ],
)
def test_real_files_pass(name, content):
    """Genuine files of each accepted kind pass the check."""
    check_bytes(content, name)


@pytest.mark.parametrize(
    "name, content",
    [
        ("slides.pdf", HTML_PAGE),
        ("slides.pdf", SVG_IMAGE),
        ("report.docx", pdf_bytes(1)),
        ("report.docx", office_bytes("xlsx")),
        ("notes.odt", office_bytes("docx")),
        ("dataset.zip", b"PK\x03\x04 not really a zip"),
        ("cover.png", b"GIF89a......"),
        ("data.csv", HTML_PAGE),
        ("readme.txt", b"  \n<svg onload=alert(1)>"),
        ("readme.txt", "caf\xe9".encode("latin-1")),
        ("lab.ipynb", b"print('hello')"),
        ("payload.exe", b"MZ\x90\x00"),
    ],
)
def test_mismatches_are_refused(name, content):
    """A file whose bytes are not what its extension says is refused with a message."""
    with pytest.raises(ContentMismatch) as refused:
        check_bytes(content, name)
    assert str(refused.value.message)


def test_large_text_is_read_in_chunks_and_position_is_kept():
    """A text file spanning many chunks is checked to its end; the file position is restored."""
    body = ("a,b\n" * 200_000).encode() + "é".encode()[:1]  # ends mid-character
    stream = io.BytesIO(body)
    stream.seek(7)
    with pytest.raises(ContentMismatch):
        check_content(stream, "big.csv")
    assert stream.tell() == 7
