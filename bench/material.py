"""`make bench`: a 1 GB course material through the web process, and what that costs it in memory.

The quality bar of the product brief: "Large material (1 GB) moves without the web process
holding it in memory", measured as the growth of the gunicorn worker's peak resident memory
(the kernel's high-water mark, `VmHWM` in /proc/<pid>/status) while a 1 GB file is uploaded
and downloaded: under 50 MB.

    .venv/bin/python bench/material.py                 # 1 GiB, 4 to 5 minutes with the setup
    .venv/bin/python bench/material.py --size-mb 256   # a smaller file
    .venv/bin/python bench/material.py --keep-db       # then --reuse-db: no migrate, no seed

Setup, all on loopback: moto's S3 server in a child process (`tests/s3.py`; it keeps the
objects in its own process, not the web process's), a fresh PostgreSQL database
(BENCH_MATERIAL_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_material),
`migrate`, `seed_demo --courses 5 --sessions-per-course 1 --learners 2`, `collectstatic`
(the admin's hashed static files, as in production), and gunicorn with ONE sync worker
(`--timeout 600`) on `bench.settings` (as bench/run.py: DEBUG off, production behaviour), its
default storage on the moto bucket through `AWS_*` variables (jazari/storage.py: 8 MB
multipart parts, at most four in memory). Celery's broker is Redis at BENCH_MATERIAL_REDIS_URL
(default redis://127.0.0.1:6379/15) with no worker running: the after-upload task (size,
SHA-256, page count) is queued, not run inline in the measured worker; the messages this run
queued are listed and removed at the end. `--broker inline` runs tasks in the web process
instead, as `make run` does.

The file is a real one-page PDF (header, catalogue, page, font, a text content stream, a
cross-reference table) whose bulk is one unreferenced stream object of random bytes, so it
passes the upload's content check (materials/validation.py) honestly. It is generated under
the system's temporary directory and removed at the end.

Steps: log in to the Wagtail admin (its login form, CSRF), warm the worker up (admin pages,
then a 16 MB upload and download: imports and clients that any first upload creates), reset
the worker's high-water mark (`echo 5 > /proc/<pid>/clear_refs`), upload the 1 GB file through
`/admin/documents/add/` as a browser would (multipart POST streamed from disk, with a
Content-Length), read the high-water mark, find the document, attach it to a course as
`Material(visibility="everyone")` through the ORM in a `manage.py shell` subprocess, reset
the mark, GET `/materials/<id>/download/` (must answer 302 to a presigned URL of the S3
endpoint), fetch that URL from S3 to nowhere, checking the byte count and SHA-256, and read
the mark again. A thread also samples the worker's VmRSS every 20 ms, which tells how much of
the peak came while Django was still receiving the body and how much after (hashing, the
content check, the S3 upload). Everything it started is stopped and removed on exit, on
error, on Ctrl-C and on SIGTERM. The exit status is 1 when a check fails or growth passes the
bar. Results: the terminal and bench/results/material.json.
"""

import argparse
import hashlib
import html.parser
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    RESULTS_DIR,
    Gunicorn,
    drop_database,
    manage,
    recreate_database,
    server_version,
    stop_on_sigterm,
)

SETTINGS = "bench.settings"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_material"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
CELERY_QUEUE = "celery"  # Celery's default queue: a Redis list, LPUSHed by publishers
BUCKET = "jazari-bench-material"
ADMIN_PASSWORD = "bench-material-" + secrets.token_hex(4)
BAR_MB = 50
MB = 1024 * 1024
DOWNLOAD_URL = "/materials/{id}/download/"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the file, MiB")
    parser.add_argument(
        "--warmup-mb", type=int, default=16, help="size of the warm-up upload, MiB (0: none)"
    )
    parser.add_argument("--broker", choices=["redis", "inline"], default="redis")
    parser.add_argument("--keep-db", action="store_true", help="leave the database behind")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="use the database and static files a --keep-db run left (no migrate, no seed)",
    )
    parser.add_argument(
        "--upload-only", action="store_true", help="stop after the upload (no download half)"
    )
    return parser.parse_args()


# The file -------------------------------------------------------------------------------------


def write_pdf(path, size):
    """A valid one-page PDF of exactly `size` bytes (>= 2 KB): its bulk is an unreferenced
    stream of random bytes. Returns its SHA-256 (hex)."""
    text = b"BT /F1 24 Tf 72 720 Td (Jazari Skills: benchmark material) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    head = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(head))
        head += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets.append(len(head))  # object 6: the padding stream

    def layout(padding):
        opening = b"6 0 obj\n<< /Length %d >>\nstream\n" % padding
        closing = b"\nendstream\nendobj\n"
        xref_at = len(head) + len(opening) + padding + len(closing)
        xref = b"xref\n0 7\n0000000000 65535 f \n" + b"".join(
            b"%010d 00000 n \n" % offset for offset in offsets
        )
        trailer = b"trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref_at
        return opening, closing + xref + trailer

    padding = size - len(head) - 200
    for _ in range(5):  # the digits of the lengths move the total by a byte or two
        opening, tail = layout(padding)
        total = len(head) + len(opening) + padding + len(tail)
        if total == size:
            break
        padding += size - total
    if padding < 0 or total != size:
        raise ValueError(f"cannot make a PDF of {size} bytes")

    digest = hashlib.sha256()
    with open(path, "wb") as out:
        for piece in (bytes(head), opening):
            out.write(piece)
            digest.update(piece)
        left = padding
        while left:
            block = os.urandom(min(left, 8 * MB))
            out.write(block)
            digest.update(block)
            left -= len(block)
        out.write(tail)
        digest.update(tail)
    return digest.hexdigest()


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


# The web process's memory ---------------------------------------------------------------------


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def rss_mb(pid):
    return status_kb(pid, "VmRSS") / 1024


def hwm_mb(pid):
    return status_kb(pid, "VmHWM") / 1024


def reset_hwm(pid):
    """Reset the kernel's peak resident size of `pid` to its current size (Linux >= 4.0).
    False when the kernel refuses: then only the sampler's peak is available."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as out:
            out.write("5")
        return True
    except OSError:
        return False


class Sampler(threading.Thread):
    """VmRSS of `pid` every `interval` seconds, as (monotonic time, MB)."""

    def __init__(self, pid, interval=0.02):
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.samples = []
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            try:
                self.samples.append((time.monotonic(), rss_mb(self.pid)))
            except (OSError, KeyError):
                return
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join(timeout=2)

    def peak(self, start=None, end=None):
        values = [
            mb
            for t, mb in self.samples
            if (start is None or t >= start) and (end is None or t <= end)
        ]
        return round(max(values), 1) if values else None


# Celery's queue -------------------------------------------------------------------------------


def redis_client(url):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def redis_answers(url):
    import redis

    try:
        return redis_client(url).ping()
    except (redis.RedisError, OSError):
        return False


def queued_tasks(url, count):
    """Task names (and arguments) of the `count` newest messages of Celery's queue."""
    names = []
    if count <= 0:
        return names
    for raw in redis_client(url).lrange(CELERY_QUEUE, 0, count - 1):
        try:
            message = json.loads(raw)
            headers = message.get("headers", {})
            names.append(f"{headers.get('task')}{headers.get('argsrepr', '')}")
        except (ValueError, AttributeError):
            names.append("(unreadable message)")
    return list(reversed(names))


def remove_queued(url, before):
    """Drop the messages this run queued (LPUSHed: the newest are at the head)."""
    client = redis_client(url)
    new = client.llen(CELERY_QUEUE) - before
    if new > 0:
        client.ltrim(CELERY_QUEUE, new, -1)


def drop_bench_database(url):
    from django.db import connections

    connections.close_all()
    drop_database(url)


# Django, in subprocesses ----------------------------------------------------------------------


def child_env(database_url, broker_url, moto, static_root, media_root):
    from tests.s3 import ACCESS_KEY, REGION, SECRET_KEY

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=moto.endpoint_url,
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_S3_REGION_NAME=REGION,
        BENCH_STATIC_ROOT=str(static_root),
        BENCH_MEDIA_ROOT=str(media_root),
        BENCH_CACHE_PREFIX="jazari-bench-material",
        PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)  # local-memory cache: nothing to clean in a shared Redis
    return env


ORM_PRELUDE = """
import json
from materials.models import JazariDocument, Material
from courses.models import CoursePage
def out(value):
    print("BENCH-JSON " + json.dumps(value, default=str))
"""


def orm(code, env):
    """Run `code` in `manage.py shell` against the bench database; returns what it `out`s."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", ORM_PRELUDE + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON ") :])
    raise RuntimeError(f"manage.py shell failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")


FIND_DOCUMENT = """
doc = JazariDocument.objects.filter(title={title!r}).order_by("-id").first()
out(None if doc is None else {{
    "id": doc.id, "file": doc.file.name, "file_size": doc.file_size,
    "file_hash": doc.file_hash, "sha256": doc.sha256, "page_count": doc.page_count,
    "checked_at": doc.checked_at,
}})
"""

ATTACH = """
course = CoursePage.objects.live().order_by("id").first()
doc = JazariDocument.objects.get(id={document_id})
material = Material.objects.create(
    course=course, document=doc, visibility="everyone", title={title!r}
)
out({{"id": material.id, "course": course.title, "course_url": course.url}})
"""


# The run --------------------------------------------------------------------------------------


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def login(session, base_url):
    page = session.get(base_url + "/admin/login/", timeout=30)
    check(page.status_code == 200, f"GET /admin/login/ answered {page.status_code}")
    form = next((f for f in forms_of(page.text) if "password" in dict(f["fields"])), None)
    check(form is not None, "no login form on /admin/login/")
    fields = dict(form["fields"])
    fields.update(username="admin", password=ADMIN_PASSWORD)
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


def move(
    session, server, env, endpoint_url, path, size, sha256, pid, sampler, label, download_too=True
):
    """Upload `path`, attach it, download it; the worker's memory around each half."""
    phase = {"label": label, "size_bytes": size}
    rss_before = rss_mb(pid)
    hwm_reset = reset_hwm(pid)
    phase["rss_before_upload_mb"] = round(rss_before, 1)
    title = f"bench material {label} {uuid.uuid4().hex[:8]}"
    t0 = time.monotonic()
    seconds, send_seconds, sent_at, location = upload(session, server.base_url, path, title)
    t1 = time.monotonic()
    phase["upload_seconds"] = round(seconds, 2)
    phase["upload_mb_per_s"] = round(size / MB / seconds, 1)
    phase["upload_body_sent_seconds"] = round(send_seconds, 2)
    phase["upload_after_body_seconds"] = round(seconds - send_seconds, 2)
    phase["upload_redirect"] = location
    phase["peak_upload_mb"] = round(hwm_mb(pid) if hwm_reset else sampler.peak(t0, t1), 1)
    phase["sampled_peak_receiving_body_mb"] = sampler.peak(t0, sent_at)
    phase["sampled_peak_after_body_mb"] = sampler.peak(sent_at, t1)
    phase["rss_after_upload_mb"] = round(rss_mb(pid), 1)

    document = orm(FIND_DOCUMENT.format(title=title), env)
    check(document is not None, f"no document titled {title!r} after the upload")
    check(
        document["file_size"] == size,
        f"the document's file_size is {document['file_size']}, the file has {size} bytes",
    )
    phase["document"] = document
    if not download_too:
        phase["peak_download_mb"] = None
        phase["peak_from"] = "VmHWM (reset before each half)" if hwm_reset else "20 ms samples"
        return phase
    material = orm(ATTACH.format(document_id=document["id"], title=title), env)
    phase["material"] = material

    rss_before = rss_mb(pid)
    hwm_reset = reset_hwm(pid) and hwm_reset
    phase["rss_before_download_mb"] = round(rss_before, 1)
    t2 = time.monotonic()
    status, location, view_ms, seconds = download(
        session, server.base_url, material["id"], endpoint_url, size, sha256
    )
    t3 = time.monotonic()
    phase["download_view_status"] = status
    phase["download_view_ms"] = round(view_ms, 1)
    phase["download_location"] = location.split("?")[0] + "?…"
    phase["download_seconds"] = round(seconds, 2)
    phase["download_mb_per_s"] = round(size / MB / seconds, 1)
    phase["peak_download_mb"] = round(hwm_mb(pid) if hwm_reset else sampler.peak(t2, t3), 1)
    phase["rss_after_download_mb"] = round(rss_mb(pid), 1)
    phase["peak_from"] = "VmHWM (reset before each half)" if hwm_reset else "20 ms samples"
    return phase


def main():
    options = parse_args()
    stop_on_sigterm()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_MATERIAL_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("BENCH_MATERIAL_REDIS_URL", DEFAULT_REDIS_URL)
    version = server_version(database_url)
    if options.broker == "redis" and not redis_answers(redis_url):
        sys.exit(
            f"bench: no Redis answers at {redis_url}; start it, set BENCH_MATERIAL_REDIS_URL, "
            "or run with --broker inline (tasks then run in the measured worker)"
        )
    broker_url = redis_url if options.broker == "redis" else ""
    size = options.size_mb * MB

    # tests/s3.py (MotoServer) imports the test suite's modules, which need Django set up.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    os.environ.setdefault("DATABASE_URL", database_url)
    import django

    django.setup()
    import requests

    from tests.s3 import MotoServer

    work = Path(tempfile.mkdtemp(prefix="jazari-bench-material-"))
    static_root = Path(tempfile.gettempdir()) / "jazari-bench-material-static"
    moto = server = sampler = None
    database_created = False
    queued_before = None
    failure = None
    results = {
        "benchmark": "1 GB course material through the web process: memory of the worker",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": version,
            "kernel": platform.release(),
        },
        "settings": {
            "django_settings": SETTINGS,
            "gunicorn": "1 sync worker, --timeout 600",
            "storage": "S3 (moto_server on loopback), jazari/storage.py transfer settings",
            "celery_broker": (
                f"{redis_url} (tasks queued, no worker: not run in the web process)"
                if broker_url
                else "none: tasks run inline in the web process"
            ),
            "file": f"{options.size_mb} MiB PDF (one page + a stream of random bytes)",
        },
        "bar_mb": BAR_MB,
    }
    print(f"PostgreSQL {version}; Celery broker: {results['settings']['celery_broker']}")
    try:
        moto = MotoServer().start()
        moto.client().create_bucket(Bucket=BUCKET)
        print(f"moto S3 server at {moto.endpoint_url}, bucket {BUCKET}")
        env = child_env(database_url, broker_url, moto, static_root, work / "media")
        # Seeding runs its tasks inline: no demo email is queued on the bench's broker.
        seed_env = {**env, "CELERY_BROKER_URL": ""}

        started = time.perf_counter()
        if options.reuse_db:
            options.keep_db = True
            database_created = True
        else:
            recreate_database(database_url)
            database_created = True
            shutil.rmtree(static_root, ignore_errors=True)
            manage(["migrate", "--noinput"], seed_env, RESULTS_DIR / "material-migrate.log")
            manage(["collectstatic", "--noinput"], env, RESULTS_DIR / "material-collectstatic.log")
        # seed_demo is idempotent; it also sets the admin's password of this run.
        seed = ["seed_demo", "--courses", "5", "--sessions-per-course", "1", "--learners", "2"]
        seed += ["--admin-password", ADMIN_PASSWORD, "--learner-password", ADMIN_PASSWORD]
        manage(seed, seed_env, RESULTS_DIR / "material-seed.log")
        print(f"setup: migrate, collectstatic, seed_demo {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        big = work / "jazari-bench-material.pdf"
        sha256 = write_pdf(big, size)
        print(
            f"wrote {size:,} bytes ({options.size_mb} MiB PDF) in "
            f"{time.perf_counter() - started:.1f} s: {big}"
        )
        small = None
        if options.warmup_mb:
            small = work / "jazari-bench-warmup.pdf"
            small_sha256 = write_pdf(small, options.warmup_mb * MB)

        if broker_url:
            queued_before = redis_client(broker_url).llen(CELERY_QUEUE)
        server = Gunicorn(
            env,
            RESULTS_DIR / "material-gunicorn.log",
            workers=1,
            extra_args=["--timeout", "600", "--graceful-timeout", "5"],
        )
        server.__enter__()
        import psutil

        workers = psutil.Process(server.process.pid).children()
        check(len(workers) == 1, f"expected one gunicorn worker, found {len(workers)}")
        pid = workers[0].pid
        results["worker_rss_at_start_mb"] = round(rss_mb(pid), 1)
        sampler = Sampler(pid)
        sampler.start()

        session = requests.Session()
        login(session, server.base_url)
        for url in ("/admin/", "/admin/documents/", "/admin/documents/add/"):
            session.get(server.base_url + url, timeout=60)
        results["rss_after_admin_warmup_mb"] = round(rss_mb(pid), 1)

        if small is not None:
            warm = move(
                session,
                server,
                env,
                moto.endpoint_url,
                small,
                options.warmup_mb * MB,
                small_sha256,
                pid,
                sampler,
                f"warm-up {options.warmup_mb} MiB",
                download_too=not options.upload_only,
            )
            results["warmup"] = warm
            print(
                f"warm-up {options.warmup_mb} MiB upload and download: peak "
                f"{warm['peak_upload_mb']:.1f} / {warm['peak_download_mb']} MB from "
                f"{warm['rss_before_upload_mb']:.1f} MB"
            )

        baseline = rss_mb(pid)
        results["baseline_rss_mb"] = round(baseline, 1)
        print(f"uploading {options.size_mb} MiB through /admin/documents/add/ …")
        phase = move(
            session,
            server,
            env,
            moto.endpoint_url,
            big,
            size,
            sha256,
            pid,
            sampler,
            f"{options.size_mb} MiB",
            download_too=not options.upload_only,
        )
        results["material"] = phase
        peak = max(phase["peak_upload_mb"], phase["peak_download_mb"] or 0)
        growth = peak - baseline
        results["peak_growth_mb"] = round(growth, 1)
        results["growth_upload_mb"] = round(phase["peak_upload_mb"] - baseline, 1)
        if phase["peak_download_mb"] is not None:
            results["growth_download_mb"] = round(phase["peak_download_mb"] - baseline, 1)
        if "warmup" in results:
            cold = results["rss_after_admin_warmup_mb"]
            results["peak_growth_from_before_warmup_upload_mb"] = round(peak - cold, 1)
        results["met"] = growth < BAR_MB
        if broker_url:
            new = redis_client(broker_url).llen(CELERY_QUEUE) - queued_before
            results["celery_tasks_queued"] = queued_tasks(broker_url, new)
    except Failure as exc:
        failure = str(exc)
        results["failure"] = failure
    finally:
        # Each step on its own: one that fails must not leave the others' processes behind.
        steps = []
        if sampler is not None:
            steps.append(sampler.stop)
        if server is not None:
            steps.append(server.stop)
        if broker_url and queued_before is not None:
            steps.append(lambda: remove_queued(broker_url, queued_before))
        if moto is not None:
            steps.append(moto.stop)
        if database_created and not options.keep_db:
            steps.append(lambda: drop_bench_database(database_url))
            steps.append(lambda: shutil.rmtree(static_root, ignore_errors=True))
        steps.append(lambda: shutil.rmtree(work, ignore_errors=True))
        for step in steps:
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - cleaning up: report and go on
                print(f"bench: cleaning up: {exc!r}")
        if sampler is not None:
            results["rss_samples"] = len(sampler.samples)

    print_report(results)
    with open(RESULTS_DIR / "material.json", "w") as out:
        json.dump(results, out, indent=2, default=str)
        out.write("\n")
    print(f"\nwritten to {(RESULTS_DIR / 'material.json').relative_to(ROOT)}")
    return 1 if failure or not results.get("met") else 0


def print_report(results):
    print()
    if "failure" in results:
        print(f"FAILED: {results['failure']}")
    phase = results.get("material")
    if not phase:
        return
    mb = phase["size_bytes"] / MB
    lines = [
        ("file", f"{phase['size_bytes']:,} bytes ({mb:.0f} MiB), PDF, SHA-256 checked"),
        (
            "upload",
            f"{phase['upload_seconds']:.1f} s, {phase['upload_mb_per_s']:.1f} MB/s "
            f"(body sent in {phase['upload_body_sent_seconds']:.1f} s, then "
            f"{phase['upload_after_body_seconds']:.1f} s until the answer: checks, hashing, "
            "S3 upload)",
        ),
    ]
    if phase.get("download_view_status"):
        lines.append(
            (
                "download",
                f"view {phase['download_view_ms']:.0f} ms ({phase['download_view_status']} to "
                f"{phase['download_location']}), S3 {phase['download_seconds']:.1f} s, "
                f"{phase['download_mb_per_s']:.1f} MB/s",
            )
        )
    lines += [
        ("worker RSS at start", f"{results['worker_rss_at_start_mb']:.1f} MB"),
        ("after admin warm-up", f"{results['rss_after_admin_warmup_mb']:.1f} MB"),
    ]
    warm = results.get("warmup")
    if warm:
        lines.append(
            (
                f"{warm['label']} upload",
                f"peak {warm['peak_upload_mb']:.1f} MB (+"
                f"{warm['peak_upload_mb'] - warm['rss_before_upload_mb']:.1f}: first upload's "
                "imports, S3 client, transfer threads), download peak "
                f"{warm['peak_download_mb']} MB",
            )
        )
    lines += [
        ("baseline RSS", f"{results['baseline_rss_mb']:.1f} MB"),
        (
            "peak RSS, upload",
            f"{phase['peak_upload_mb']:.1f} MB (+{results['growth_upload_mb']:.1f}); sampled: "
            f"{phase['sampled_peak_receiving_body_mb']} MB receiving the body, "
            f"{phase['sampled_peak_after_body_mb']} MB after it",
        ),
        (
            "peak RSS, download",
            f"{phase['peak_download_mb']} MB (+{results.get('growth_download_mb')} on the "
            f"baseline; +{phase['peak_download_mb'] - phase['rss_before_download_mb']:.1f} on "
            f"the {phase['rss_before_download_mb']} MB the upload left)"
            if phase["peak_download_mb"] is not None
            else "not measured (--upload-only)",
        ),
        ("peak from", phase["peak_from"]),
        ("growth", f"{results['peak_growth_mb']:.1f} MB"),
    ]
    if "peak_growth_from_before_warmup_upload_mb" in results:
        lines.append(
            (
                "growth incl. first upload",
                f"{results['peak_growth_from_before_warmup_upload_mb']:.1f} MB (from the RSS "
                "before the warm-up upload)",
            )
        )
    document = phase["document"]
    lines.append(
        (
            "document",
            f"id {document['id']}, {document['file']}, metadata task ran: "
            f"{'yes' if document['checked_at'] else 'no'}",
        )
    )
    lines.append(("Celery broker", results["settings"]["celery_broker"]))
    if "celery_tasks_queued" in results:
        lines.append(
            (
                "tasks queued",
                ", ".join(results["celery_tasks_queued"]) or "none",
            )
        )
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"{label.ljust(width)}  {value}")
    verdict = "PASS" if results["met"] else "FAIL"
    print(
        f"\nbar: growth of the worker's peak memory < {results['bar_mb']} MB while moving "
        f"{mb:.0f} MiB: {verdict} ({results['peak_growth_mb']:.1f} MB)"
    )


if __name__ == "__main__":
    sys.exit(main())
