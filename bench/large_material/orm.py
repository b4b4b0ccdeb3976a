"""The bench database through the ORM, in a `manage.py shell` subprocess with the web server's
environment: find the uploaded document, attach it to a course as material."""

import json
import subprocess
import sys

from bench.common import ROOT

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
