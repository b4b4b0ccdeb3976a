"""The Wagtail admin driven as a browser would: its login form (CSRF), a document upload as a
multipart POST streamed from disk with a Content-Length, and a material's download, a redirect
to S3 followed to nowhere."""

import hashlib
import html.parser
import re
import time
import uuid
from pathlib import Path
from urllib.parse import urljoin

from bench.large_material import check
from bench.large_material.pdf import MB

DOWNLOAD_URL = "/materials/{id}/download/"


# Streaming multipart body ---------------------------------------------------------------------


class MultipartFile:
    """A multipart/form-data body read from disk piece by piece, with its length known up
    front: `requests` sends it with a Content-Length (Django reads no chunked request body)
    and never holds more than a block of the file. `sent_at` is when its last byte was read
    by the HTTP client, i.e. handed to the socket."""

    def __init__(self, fields, file_field, path, filename, content_type="application/pdf"):
        self.boundary = "----jazari-bench-" + uuid.uuid4().hex
        self.path = Path(path)
        preamble = b""
        for name, value in fields:
            preamble += (
                f"--{self.boundary}\r\n"
                f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
        preamble += (
            f"--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        self.pieces = [preamble, None, f"\r\n--{self.boundary}--\r\n".encode()]
        self.length = len(preamble) + self.path.stat().st_size + len(self.pieces[2])
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        self.sent = 0
        self.sent_at = None
        self._index = 0
        self._offset = 0
        self._file = None

    def __len__(self):
        return self.length

    def __iter__(self):  # what makes `requests` treat it as a stream
        while block := self.read(256 * 1024):
            yield block

    def read(self, size=-1):
        size = self.length if size is None or size < 0 else size
        out = bytearray()
        while len(out) < size and self._index < len(self.pieces):
            piece = self.pieces[self._index]
            if piece is None:
                if self._file is None:
                    self._file = open(self.path, "rb")  # noqa: SIM115 - closed below
                block = self._file.read(size - len(out))
                if block:
                    out += block
                    continue
                self._file.close()
            else:
                block = piece[self._offset : self._offset + size - len(out)]
                out += block
                self._offset += len(block)
                if self._offset < len(piece):
                    continue
            self._index += 1
            self._offset = 0
        self.sent += len(out)
        if self.sent >= self.length and self.sent_at is None:
            self.sent_at = time.monotonic()
        return bytes(out)

    def close(self):
        if self._file is not None:
            self._file.close()


# HTML forms -----------------------------------------------------------------------------------


class FormParser(html.parser.HTMLParser):
    """The forms of a page: action, enctype and the fields a browser would send by default."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": [], "files": [], "selects": {}})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                form["files"].append(name)
            elif kind in ("submit", "button", "image", "reset"):
                pass
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    form["fields"].append((name, attrs.get("value", "on")))
            else:
                form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
            form["selects"][name] = None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            selects = form["selects"]
            if selects[self._select] is None or "selected" in attrs:
                selects[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            fields = self.forms[-1]["fields"]
            name, value = fields[-1]
            fields[-1] = (name, value + data)


def forms_of(page):
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        form["fields"] += [(k, v) for k, v in form["selects"].items() if v is not None]
    return parser.forms


def error_messages(page):
    """Form errors in a Wagtail admin page, as text."""
    found = re.findall(
        r'class="[^"]*(?:error-message|help-critical|w-field__errors)[^"]*"[^>]*>(.*?)</',
        page,
        re.S,
    )
    return [re.sub(r"\s+", " ", re.sub("<[^>]+>", "", text)).strip() for text in found if text]


# The admin's pages ----------------------------------------------------------------------------


def login(session, base_url, password):
    """Log `session` in as the demo administrator, through the admin's login form."""
    page = session.get(base_url + "/admin/login/", timeout=30)
    check(page.status_code == 200, f"GET /admin/login/ answered {page.status_code}")
    form = next((f for f in forms_of(page.text) if "password" in dict(f["fields"])), None)
    check(form is not None, "no login form on /admin/login/")
    fields = dict(form["fields"])
    fields.update(username="admin", password=password)
    reply = session.post(
        base_url + "/admin/login/",
        data=fields,
        headers={"Referer": base_url + "/admin/login/"},
        allow_redirects=False,
        timeout=30,
    )
    check(
        reply.status_code == 302,
        f"admin login answered {reply.status_code}: {error_messages(reply.text)}",
    )


def upload(session, base_url, path, title):
    """POST `path` to the admin's document upload as a browser would. Returns (seconds from
    the first byte sent to the answer, seconds the body took to send, monotonic time the body
    was all sent, the answer's Location)."""
    page = session.get(base_url + "/admin/documents/add/", timeout=30)
    check(page.status_code == 200, f"GET /admin/documents/add/ answered {page.status_code}")
    form = next((f for f in forms_of(page.text) if f["files"]), None)
    check(form is not None, "no upload form on /admin/documents/add/")
    fields = [(name, value) for name, value in form["fields"] if name != "title"]
    fields.append(("title", title))
    body = MultipartFile(fields, form["files"][0], path, Path(path).name)
    action = urljoin(page.url, form["attrs"].get("action") or "")
    started = time.monotonic()
    try:
        reply = session.post(
            action,
            data=body,
            headers={
                "Content-Type": body.content_type,
                "Content-Length": str(len(body)),
                "Referer": base_url + "/admin/documents/add/",
                "X-CSRFToken": session.cookies.get("csrftoken", ""),
            },
            allow_redirects=False,
            timeout=(10, 1200),
        )
    finally:
        body.close()
    answered = time.monotonic()
    check(
        reply.status_code == 302,
        f"document upload answered {reply.status_code}: "
        f"{error_messages(reply.text) or reply.text[:500]}",
    )
    sent_at = body.sent_at or answered
    return answered - started, sent_at - started, sent_at, reply.headers.get("Location")


def download(session, base_url, material_id, endpoint_url, expected_size, expected_sha256):
    """GET the material's download URL (a 302 to S3), then the object from S3 to nowhere.
    Returns (the view's status and Location, its ms, seconds of the S3 fetch)."""
    import requests

    started = time.monotonic()
    reply = session.get(
        base_url + DOWNLOAD_URL.format(id=material_id), allow_redirects=False, timeout=60
    )
    view_ms = (time.monotonic() - started) * 1000
    location = reply.headers.get("Location", "")
    check(
        reply.status_code == 302,
        f"{DOWNLOAD_URL.format(id=material_id)} answered {reply.status_code}, not 302",
    )
    check(
        location.startswith(endpoint_url + "/"),
        f"the download redirects to {location[:120]!r}, not to the S3 endpoint {endpoint_url}",
    )
    digest, count = hashlib.sha256(), 0
    started = time.monotonic()
    with requests.get(location, stream=True, timeout=(10, 600)) as s3_reply:
        check(s3_reply.status_code == 200, f"S3 answered {s3_reply.status_code} to the URL")
        for block in s3_reply.iter_content(MB):
            digest.update(block)
            count += len(block)
    seconds = time.monotonic() - started
    check(count == expected_size, f"downloaded {count} bytes, expected {expected_size}")
    check(digest.hexdigest() == expected_sha256, "the downloaded bytes' SHA-256 differs")
    return reply.status_code, location, view_ms, seconds
