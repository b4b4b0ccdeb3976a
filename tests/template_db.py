"""Under pytest-xdist on PostgreSQL, the workers' test databases are copies of one template.

Migrating a test database costs some 30 s of CPU, once per worker. Instead, the first worker
that needs its database migrates a template (`test_<NAME>_template`, with `manage.py migrate
--run-syncdb`, as Django's test runner migrates) while the others wait on a lock; each worker's
test database is then created from it (Django's `TEST["TEMPLATE"]`), in a second, and the
test runner's own `migrate` finds nothing left to apply. The controller drops the template
when the run ends.
"""

import fcntl
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def applies(config):
    """PostgreSQL, and test databases made afresh (not pytest-django's `--reuse-db`)."""
    keepdb = config.getvalue("reuse_db") and not config.getvalue("create_db")
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql") and not keepdb


def name():
    return f"test_{settings.DATABASES['default']['NAME']}_template"


def ensure(lock_dir):
    """The template's name, migrated once for the run by whichever worker asks first."""
    template = name()
    with open(lock_dir / "template-db.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ready = lock_dir / "template-db.ready"
        if not ready.exists():
            with _server() as server:
                server.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
                server.execute(f'CREATE DATABASE "{template}"')
            _migrate(template)
            ready.write_text(template)
    return template


def drop():
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name()}" WITH (FORCE)')


def _server():
    db = settings.DATABASES["default"]
    params = {"host": db["HOST"] or "localhost", "port": db["PORT"] or 5432, "user": db["USER"]}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


def _migrate(template):
    db = settings.DATABASES["default"]
    auth = quote(db["USER"], safe="") + (
        f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    )
    url = f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{template}"
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--run-syncdb", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"migrating the template database failed:\n{result.stderr[-4000:]}")
