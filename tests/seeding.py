"""Running `seed_demo` in tests, once per module where the tests only read what it made.

Seeding takes seconds, so a module seeds once (`seeded_once`, the body of a module-scoped
fixture; see `tests.shared_data`) inside a transaction that is rolled back when the module is
done. Each test runs in its own savepoint on top of it (pytest-django's `db`), so a test may
change the seeded rows or seed again over them: what it did is undone before the next test.

The demo plans its sessions from today's date in Africa/Casablanca, so two seeds on either
side of midnight there plan different sessions (a rerun would then change things). The
seeding tests run on a clock set to noon of today's date in Casablanca (`demo_clock`), which
goes on ticking from there: a module that seeds and seeds again sees one date.
"""

import contextlib
import io
from datetime import datetime, time

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from jazari.time import CASABLANCA
from tests.shared_data import built_once

SMALL = ["--courses", "12", "--sessions-per-course", "3", "--learners", "3"]
PASSWORDS = ["--admin-password", "x", "--learner-password", "y", "--staff-password", "z"]


def seed(*args):
    """Run `seed_demo` with `args`; what it printed."""
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@contextlib.contextmanager
def demo_clock():
    """`timezone.now()` runs from noon of today's date in Casablanca (at most 12 hours off)."""
    real_now = timezone.now
    started = real_now()
    noon = datetime.combine(started.astimezone(CASABLANCA).date(), time(12), CASABLANCA)
    offset = noon - started
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: real_now() + offset)
        yield


@contextlib.contextmanager
def seeded_once(django_db_blocker, media_root, *args):
    """The output of `seed_demo *args`, run once for a module and rolled back after it.

    Files go to `media_root` (the module's own folder); the clock is `demo_clock` throughout,
    so that the module's tests that seed again plan the same day.
    """
    with demo_clock(), override_settings(MEDIA_ROOT=str(media_root)), built_once(django_db_blocker):
        yield seed(*args)
