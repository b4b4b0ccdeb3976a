"""The enrolment benchmark's data: a database migrated and seeded with verified demo learners,
the measured session, one for warming the workers up, and a REST token per learner."""

import shutil
import sys
import time
from datetime import timedelta

from bench import common
from bench.common import RESULTS_DIR, database_exists, manage, recreate_database

SETTINGS = "bench.enrol_settings"


def child_env(database_url, broker_url):
    return common.child_env(SETTINGS, DATABASE_URL=database_url, CELERY_BROKER_URL=broker_url)


def prepare_database(options, database_url, media):
    """A new database, migrated and seeded; with --reuse-db, the one a --keep-db run left."""
    if options.reuse_db:
        options.keep_db = True
        if not database_exists(database_url):
            sys.exit("bench: --reuse-db, but no database: run once with --keep-db first")
        # Not seeded again: seed_demo would delete the sessions an earlier run added to a
        # demo course (beyond --sessions-per-course), which their enrolments forbid.
        print("setup: the database of an earlier run, as it was")
        return
    shutil.rmtree(media, ignore_errors=True)
    recreate_database(database_url)
    # Seeding runs its Celery tasks inline (no broker): its demo emails are never queued.
    seed_env = child_env(database_url, "")
    started = time.perf_counter()
    manage(["migrate", "--noinput"], seed_env, RESULTS_DIR / "enrol-migrate.log")
    seed_seconds = common.seed_demo(
        seed_env,
        RESULTS_DIR / "enrol-seed.log",
        courses=5,
        sessions_per_course=1,
        learners=options.learners,
        password="bench",
    )
    print(
        f"setup: migrate + seed_demo ({options.learners} learners) "
        f"{time.perf_counter() - started:.1f} s (seed {seed_seconds:.1f} s)"
    )


def new_session(capacity, sort_order, starts_at, online_url, **fields):
    """An online session of the first live demo course, for this run."""
    from courses.models import CoursePage, Session, SessionMode

    return Session.objects.create(
        course=CoursePage.objects.live().order_by("pk").first(),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=7),
        mode=SessionMode.ONLINE,
        online_url=online_url,
        capacity=capacity,
        sort_order=sort_order,
        **fields,
    )


def prepare(options):
    """The measured session, a warm-up session, and the learners' tokens."""
    from django.db import connection
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from demo.users import demo_learners

    starts_at = timezone.now() + timedelta(days=30)
    url = "https://meet.jazari.example/bench-enrol"
    measured = new_session(options.capacity, 1000, starts_at, url, waitlist_enabled=True)
    warm = new_session(max(options.warmup, 1), 1001, starts_at, url, waitlist_enabled=True)
    learners = demo_learners(options.learners)
    if len(learners) < options.clients:
        sys.exit(f"bench: only {len(learners)} demo learners, {options.clients} needed")
    users = [learners[number] for number in sorted(learners)[: options.clients]]
    Token.objects.filter(user__in=users).delete()
    Token.objects.bulk_create([Token(key=Token.generate_key(), user=user) for user in users])
    keys = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    connection.close()
    return measured.pk, warm.pk, [keys[user.pk] for user in users]
