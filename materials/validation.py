"""What an uploaded file really is, checked against the extension it claims.

A file's extension is only a claim: an HTML page renamed `slides.pdf` would be stored and
handed out as a PDF, and a browser that sniffs content could run its script in our origin.
`check_content` looks at the bytes: the signature of binary formats (PDF, ZIP-based office
files, images), and for text formats that the whole file decodes as UTF-8 and does not start
like an HTML, SVG or XML document (what browsers sniff as markup). It reads the file in
chunks, so a 1 GB upload is never held in memory, and puts the file back where it was.

Each failure raises `ContentMismatch` with a translated message for the editor.
"""

import codecs
import io
import zipfile

from django.utils.translation import gettext_lazy as _

CHUNK_SIZE = 256 * 1024
# How much of a text file's start is compared with markup (browsers sniff about 512 bytes).
SNIFF_SIZE = 1024

# Office formats are ZIP archives with a known member: Office Open XML and OpenDocument.
ZIP_MEMBERS = {
    "docx": ("word/document.xml",),
    "xlsx": ("xl/workbook.xml",),
    "pptx": ("ppt/presentation.xml",),
    "odt": ("mimetype", "content.xml"),
    "odp": ("mimetype", "content.xml"),
    "ods": ("mimetype", "content.xml"),
}
OPENDOCUMENT_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "odp": b"application/vnd.oasis.opendocument.presentation",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
IMAGE_SIGNATURES = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
TEXT_EXTENSIONS = {"txt", "csv", "tsv", "md", "ipynb", "json"}
# Starts of markup that a browser would render or run: refused in a text file.
MARKUP_STARTS = (
    "<!doctype",
    "<html",
    "<head",
    "<body",
    "<script",
    "<svg",
    "<?xml",
    "<iframe",
    "<object",
    "<embed",
    "<meta",
    "<style",
    "<link",
    "<a ",
    "<img",
    "<div",
    "<p>",
    "<!--",
)


class ContentMismatch(ValueError):
    """The file's content is not what its extension says."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_content(file, name=None):
    """Raise `ContentMismatch` unless `file`'s bytes match the extension of `name`.

    `file` is an open binary file (an upload or a stored file); extensions this module has
    no rule for are refused, so the allowlist can't grow past what is checked.
    """
    name = name or getattr(file, "name", "") or ""
    extension = extension_of(name)
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        if extension == "pdf":
            _check_pdf(file)
        elif extension in ZIP_MEMBERS or extension == "zip":
            _check_zip(file, extension)
        elif extension in IMAGE_SIGNATURES:
            _check_signature(file, IMAGE_SIGNATURES[extension], extension)
        elif extension == "webp":
            _check_webp(file)
        elif extension in TEXT_EXTENSIONS:
            _check_text(file, extension)
        else:
            raise ContentMismatch(
                _("Files of type “.%(extension)s” can't be checked, so they are not accepted.")
                % {"extension": extension}
            )
    finally:
        file.seek(position)


def _mismatch(extension):
    return ContentMismatch(
        _(
            "This file is not a real .%(extension)s file: its content does not match its "
            "extension. Export it again in that format, or give it its true extension."
        )
        % {"extension": extension}
    )


def _check_signature(file, signatures, extension):
    head = file.read(16)
    if not any(head.startswith(signature) for signature in signatures):
        raise _mismatch(extension)


def _check_pdf(file):
    if not file.read(5) == b"%PDF-":
        raise _mismatch("pdf")


def _check_webp(file):
    head = file.read(12)
    if not (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        raise _mismatch("webp")


def _check_zip(file, extension):
    """A readable ZIP archive; an office file also has its format's own member."""
    if file.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):
        raise _mismatch(extension)
    file.seek(0)
    try:
        # Reads the central directory at the end of the file, not the members.
        archive = zipfile.ZipFile(file)
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _mismatch(extension) from None
    required = ZIP_MEMBERS.get(extension, ())
    if not all(member in names for member in required):
        raise _mismatch(extension)
    if extension in OPENDOCUMENT_TYPES:
        with archive.open("mimetype") as member:
            if member.read(100).strip() != OPENDOCUMENT_TYPES[extension]:
                raise _mismatch(extension)


def _check_text(file, extension):
    """UTF-8 from start to end, not markup, and a notebook is a JSON object."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    start = ""
    try:
        while chunk := file.read(CHUNK_SIZE):
            text = decoder.decode(chunk)
            if len(start) < SNIFF_SIZE:
                start += text[: SNIFF_SIZE - len(start)]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ContentMismatch(
            _("This text file is not in UTF-8. Save it again with the UTF-8 encoding.")
        ) from None
    if "\x00" in start:
        raise _mismatch(extension)
    head = start.lstrip().lower()
    if head.startswith(MARKUP_STARTS):
        raise ContentMismatch(
            _(
                "This file looks like a web page or an SVG/XML document, not a .%(extension)s "
                "file. Web pages can't be uploaded as course material."
            )
            % {"extension": extension}
        )
    if extension == "ipynb" and not head.startswith("{"):
        raise _mismatch(extension)


def check_bytes(data, name):
    """`check_content` for bytes in memory (tests, small files)."""
    check_content(io.BytesIO(data), name)
