"""Shared fixtures and the rules for tests that need PostgreSQL or a browser.

Tests marked `postgres` skip on SQLite with a reason, except in CI (`CI=true`), where a
skip would hide a missing database and the test fails instead. The same holds for `browser`
tests when Chromium is missing.
"""

import os
import shutil

import pytest
from django.db import connection
from django.utils import translation

from tests import factories

pytest_plugins = ["tests.s3"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


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
def _empty_cache():
    """Each test starts with an empty cache (the catalogue's renderings live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db):
    """The home page with the catalogue, institutes and skills index pages."""
    return factories.site_tree()


@pytest.fixture
def small_network(tree):
    """Three courses in two institutes with upcoming, full, online and past sessions."""
    return factories.small_network(tree)


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
