"""Shared fixtures and the rules for tests that need PostgreSQL or a browser.

Tests marked `postgres` skip on SQLite with a reason, except in CI (`CI=true`), where a
skip would hide a missing database and the test fails instead. The same holds for `browser`
tests when Chromium is missing.

Under pytest-xdist (`-n 2`, as `make test` runs) each worker has a test database of its own
(pytest-django's `_gw0`, `_gw1` suffixes; on PostgreSQL copied from one migrated template,
`tests.template_db`), a media folder of its own (`_worker_media`), its own moto and Redis
servers on free ports, and its own local-memory cache; the tests are shared out by whole runs
of a module, in pytest-django's order (`tests.parallel`).
"""

import os
import shutil

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import translation

from tests import factories, template_db
from tests.parallel import ModuleRunScheduling
from tests.shared_data import built_once

pytest_plugins = ["tests.s3"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# "gw0", "gw1"… in a pytest-xdist worker; None in a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests marked `starts_first` go first (after pytest-django's ordering, which puts the
    tests without a database last): long and independent of the test database, they then
    run beside the others under pytest-xdist instead of after them."""
    items.sort(key=lambda item: item.get_closest_marker("starts_first") is None)


def pytest_xdist_make_scheduler(config, log):
    """With `-n N`: whole runs of a module to one worker, in the collection's order."""
    if config.getvalue("dist") in ("load", "loadscope"):
        return ModuleRunScheduling(config, log)
    return None


def pytest_sessionfinish(session):
    """The pytest-xdist controller drops the workers' template database (`tests.template_db`)."""
    distributed = WORKER is None and session.config.getvalue("numprocesses")
    if distributed and template_db.applies(session.config):
        template_db.drop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, request, tmp_path_factory
):
    """Under pytest-xdist on PostgreSQL, each worker's test database is a copy of a template
    migrated once (`tests.template_db`)."""
    if WORKER is not None and template_db.applies(request.config):
        # The folder above the workers' own temporary folders is the run's, shared by them.
        template = template_db.ensure(tmp_path_factory.getbasetemp().parent)
        settings.DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = template


@pytest.fixture(scope="session", autouse=True)
def _worker_media():
    """Under pytest-xdist, each worker writes its files under MEDIA_ROOT/<worker>."""
    if WORKER is None:
        yield
        return
    with override_settings(MEDIA_ROOT=os.path.join(settings.MEDIA_ROOT, WORKER)):
        yield


@pytest.fixture(autouse=True)
def _needs(request):
    """Skip (or, in CI, fail) a test whose database or browser is missing."""
    missing = []
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing.append("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if request.node.get_closest_marker("browser") and shutil.which(CHROMIUM) is None:
        missing.append(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    if missing:
        if IN_CI:
            pytest.fail("; ".join(missing))
        pytest.skip("; ".join(missing))


@pytest.fixture(autouse=True)
def _no_shared_transaction(request):
    """A transactional test must not start inside a transaction left open by data built once
    for its module (`tests.shared_data`): its commits would be nothing of the sort."""
    if _transactional(request.node) and connection.in_atomic_block:
        pytest.fail(
            "a transactional test inside the open transaction of its module's shared data: "
            "move it to a module of its own"
        )


def _transactional(item):
    """Whether the test commits for real (pytest-django's transactional tests)."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the catalogue's renderings live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def stray_connections_ended(django_db_setup, django_db_blocker):
    """At the end of the run, end the connections to the test database that a test left open.

    The browser tests' ORM calls, made beside Playwright's event loop, leave one that
    pytest-django doesn't close; PostgreSQL would then wait 5 s and refuse to drop the database.
    """
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def tree(db):
    """The home page with the catalogue, institutes and skills index pages."""
    return factories.site_tree()


@pytest.fixture
def small_network(tree):
    """Three courses in two institutes with upcoming, full, online and past sessions."""
    return factories.small_network(tree)


@pytest.fixture(scope="module")
def small_network_once(django_db_setup, django_db_blocker):
    """`small_network` built once for the module that asks, which then overrides
    `small_network` with `fresh(small_network_once)` (see `tests.shared_data`)."""
    with built_once(django_db_blocker):
        yield factories.small_network(factories.site_tree())


@pytest.fixture(autouse=True)
def _default_language():
    """Start and end every test in the default language.

    LocaleMiddleware activates a request's language in the test's thread and leaves it
    active; page URLs follow the active language, so `/ar/…` requested by one test would
    otherwise prefix the URLs another test builds.
    """
    translation.deactivate()
    yield
    translation.deactivate()
