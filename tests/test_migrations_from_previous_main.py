"""A database seeded by the previous main migrates to this code with every row in its place.

Sessions also gained meetings, enrolments tickets, and attendance recorded per enrolment became
attendance per meeting (`courses.0010`, `enrolments.0002`); certificates became certificates of
completion with their hours in minutes and a revocation status entry (`certificates.0003`).

Courses also moved from under the catalogue into their institute's folder (`courses.0008`).

Enrolments and their outbox moved from `learners` to `enrolments`, learning paths from `skills`
to `paths` (`jazari.model_moves`). The previous main's own code (taken from git) migrates and
seeds a scratch PostgreSQL database; this code then migrates it, and the rows, content types,
permissions and audit entries must all still be there, reachable through the new models.
"""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent
# The last main before the moves.
PREVIOUS_MAIN = "4ee37ad47c89e15910bc33b17969a0f5a7b6659d"

# It uses a scratch database of its own: under pytest-xdist it runs beside the other tests.
pytestmark = [pytest.mark.postgres, pytest.mark.starts_first]

MOVED = {
    ("learners", "enrolment"): ("enrolments", "enrolment"),
    ("learners", "notification"): ("enrolments", "notification"),
    ("skills", "learningpathindexpage"): ("paths", "learningpathindexpage"),
    ("skills", "learningpathpage"): ("paths", "learningpathpage"),
    ("skills", "learningpathcourse"): ("paths", "learningpathcourse"),
    ("skills", "pathfollow"): ("paths", "pathfollow"),
}

SEED = [
    "seed_demo",
    "--courses=8",
    "--learners=6",
    "--admin-password=admin-pass-1",
    "--learner-password=learner-pass-1",
]

# Read back through the new models by this code, after the migration; then this code's seed
# runs over the old one's demo data (one process for both: Django starts once).
NEW_CODE_CHECK = f"""
import io
import json
from django.core.management import call_command
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry, Page
from certificates.models import Certificate
from enrolments.models import Enrolment, Notification
from paths.models import LearningPathPage, PathFollow
from courses.models import CoursePage, InstituteCoursesPage, Session
from enrolments.models import Attendance
from wagtail.contrib.redirects.models import Redirect

folders = dict(InstituteCoursesPage.objects.values_list("path", "institute_id"))
courses = list(CoursePage.objects.all())
enrolment_type = ContentType.objects.get_for_model(Enrolment)
found = {{
    "enrolments": Enrolment.objects.count(),
    "notifications": Notification.objects.filter(enrolment__isnull=False).count(),
    "certificates_with_enrolment": Certificate.objects.filter(
        enrolment__session__isnull=False).count(),
    "certificate_kinds": sorted(set(Certificate.objects.values_list("kind", flat=True))),
    "certificates_without_hours": Certificate.objects.filter(minutes=0).count(),
    "certificate_status_entries": Certificate.objects.filter(status_index__isnull=False)
        .values("status_list", "status_index").distinct().count(),
    "enrolment_log_entries": ModelLogEntry.objects.filter(content_type=enrolment_type).count(),
    "path_pages": [type(page.specific).__name__ for page in
                   Page.objects.type(LearningPathPage).order_by("path")],
    "follows": PathFollow.objects.count(),
    "courses": len(courses),
    "courses_in_their_folder": sum(
        folders.get(c.path[: -c.steplen]) == c.institute_id for c in courses),
    "course_redirects": Redirect.objects.filter(
        redirect_page__in=[c.pk for c in courses], old_path__regex=r"^/courses/[^/]+$").count(),
    "sessions_without_meetings": Session.objects.filter(meetings__isnull=True).count(),
    "tickets": Enrolment.objects.values("ticket").distinct().count(),
    "attended_without_presence": Enrolment.objects.filter(status__in=["attended", "completed"])
        .exclude(attendances__present=True).count(),
    "no_shows_present": Enrolment.objects.filter(
        status="no_show", attendances__present=True).count(),
    "no_shows_recorded_absent": Enrolment.objects.filter(
        status="no_show", attendances__present=False).distinct().count(),
    "no_shows": Enrolment.objects.filter(status="no_show").count(),
}}
reseed = io.StringIO()
call_command(*{SEED!r}, stdout=reseed)
print(json.dumps({{**found, "reseed": reseed.getvalue()}}))
"""


def git_archive(commit, into):
    """The files of `commit`, written into `into`; None when the clone lacks the commit."""
    try:
        tar = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
            capture_output=True,
            check=True,
        ).stdout
    except subprocess.CalledProcessError:
        return None
    with tarfile.open(fileobj=BytesIO(tar)) as archive:
        archive.extractall(into, filter="data")
    return into


@pytest.fixture
def scratch_database():
    """An empty PostgreSQL database on the test server, dropped afterwards; its URL."""
    db = settings.DATABASES["default"]
    name = f"jazari_migration_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"]}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{params['host']}:{params['port']}/{name}"
    yield url, lambda: psycopg.connect(dbname=name, **params)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(cwd, database_url, media, *args):
    """`manage.py` of the code in `cwd` on the scratch database, tasks inline, files in `media`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CELERY_BROKER_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME")
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="jazari.settings.test",
        TEST_MEDIA_ROOT=str(media),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


def snapshot(connect):
    """What the old schema holds: rows per moved table, content type ids, log entries, grants."""
    with connect() as conn:
        rows = {
            f"{app}_{model}": conn.execute(f"SELECT count(*) FROM {app}_{model}").fetchone()[0]
            for app, model in MOVED
        }
        types = {
            (app, model): pk
            for pk, app, model in conn.execute(
                "SELECT id, app_label, model FROM django_content_type"
            ).fetchall()
        }
        log_entries = dict(
            conn.execute(
                "SELECT content_type_id, count(*) FROM wagtailcore_modellogentry GROUP BY 1"
            ).fetchall()
        )
        permissions = conn.execute(
            "SELECT count(*) FROM auth_permission p JOIN django_content_type t "
            "ON t.id = p.content_type_id WHERE t.app_label IN ('learners', 'skills')"
        ).fetchone()[0]
    return rows, types, log_entries, permissions


def test_a_database_seeded_on_the_previous_main_migrates_with_its_rows(tmp_path, scratch_database):
    """Rows, ids, content types, permissions and audit entries survive the move of models."""
    old_code = git_archive(PREVIOUS_MAIN, tmp_path / "previous")
    if old_code is None:
        message = f"this clone lacks the previous main ({PREVIOUS_MAIN[:7]})"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    url, connect = scratch_database
    media = tmp_path / "media"
    manage(old_code, url, media, "migrate", "--noinput", "-v0")
    manage(old_code, url, media, *SEED)
    rows, types, log_entries, old_permissions = snapshot(connect)
    assert rows["learners_enrolment"] > 0 and rows["skills_pathfollow"] > 0
    enrolment_type = types[("learners", "enrolment")]
    assert log_entries.get(enrolment_type, 0) > 0  # the seed's enrolments wrote audit entries

    manage(ROOT, url, media, "migrate", "--noinput", "-v0")

    with connect() as conn:
        for (old_app, model), (new_app, _model) in MOVED.items():
            count = conn.execute(f"SELECT count(*) FROM {new_app}_{model}").fetchone()[0]
            assert count == rows[f"{old_app}_{model}"], model
            ids = conn.execute(
                "SELECT id FROM django_content_type WHERE app_label = %s AND model = %s",
                [new_app, model],
            ).fetchall()
            assert ids == [(types[(old_app, model)],)], model  # the same row, relabelled
        left_behind = conn.execute(
            "SELECT count(*) FROM django_content_type WHERE (app_label, model) IN "
            "(('learners', 'enrolment'), ('learners', 'notification'), "
            "('skills', 'learningpathpage'), ('skills', 'pathfollow'))"
        ).fetchone()[0]
        assert left_behind == 0
        permissions = conn.execute(
            "SELECT count(*) FROM auth_permission p JOIN django_content_type t "
            "ON t.id = p.content_type_id "
            "WHERE t.app_label IN ('learners', 'skills', 'enrolments', 'paths')"
            # Models added since (attendance, organisers' messages) bring their own.
            " AND (t.app_label, t.model) NOT IN "
            "(('enrolments', 'attendance'), ('enrolments', 'sessionmessage'))"
        ).fetchone()[0]
        assert permissions == old_permissions

    found = json.loads(
        manage(ROOT, url, media, "shell", "-c", NEW_CODE_CHECK).strip().splitlines()[-1]
    )
    assert found["enrolments"] == rows["learners_enrolment"]
    assert found["notifications"] == rows["learners_notification"]
    assert found["certificates_with_enrolment"] > 0
    # Certificates from before are certificates of completion, with their hours in minutes and
    # an entry of their own in a revocation status list.
    assert found["certificate_kinds"] == ["completion"]
    assert found["certificates_without_hours"] == 0
    assert found["certificate_status_entries"] == found["certificates_with_enrolment"]
    assert found["enrolment_log_entries"] == log_entries[enrolment_type]
    assert found["path_pages"] and set(found["path_pages"]) == {"LearningPathPage"}
    assert found["follows"] == rows["skills_pathfollow"]
    # Courses moved into their institute's folder, a redirect from each old URL.
    assert found["courses"] == found["courses_in_their_folder"] == found["course_redirects"] > 0

    # Every session has its meetings, every enrolment a ticket of its own, and attendance
    # recorded before meetings existed is attendance at the meetings.
    assert found["sessions_without_meetings"] == 0
    assert found["tickets"] == found["enrolments"]
    assert found["attended_without_presence"] == found["no_shows_present"] == 0
    assert found["no_shows_recorded_absent"] == found["no_shows"] > 0

    # The seed of this code finds its demo data where the old one left it: nothing new.
    assert "Learners: 0 created" in found["reseed"]
