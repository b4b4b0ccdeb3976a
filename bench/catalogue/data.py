"""The catalogue benchmark's data: the scenarios, a migrated template database, and each
scenario's database copied from it, seeded by `seed_demo` and topped up in SQL.

The template is migrated once and copied for each scenario, which takes a second where
migrating again would take far longer. Static files are collected once, hashed and compressed
as in production.
"""

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from bench import common
from bench.common import RESULTS_DIR, conninfo, recreate_database

SETTINGS = "bench.settings"


@dataclass(frozen=True)
class Scenario:
    """One data set: `seed_demo --courses --sessions-per-course`, then SQL up to `sessions`."""

    name: str
    courses: int
    sessions_per_course: int
    sessions: int
    plain_listing: bool = False


SCENARIOS = [
    Scenario("1k", 1000, 1, 1_000),
    Scenario("5k", 1000, 5, 5_000, plain_listing=True),
    Scenario("10k", 1000, 10, 10_000),
    # 100 sessions a course through seed_demo would take most of the run: 90,000 come from SQL.
    Scenario("100k", 1000, 10, 100_000),
]
QUICK_SCENARIOS = [
    Scenario("1k", 200, 1, 200),
    Scenario("5k", 200, 5, 1_000, plain_listing=True),
    Scenario("10k", 200, 10, 2_000),
    Scenario("100k", 200, 10, 20_000),
]

# Sessions beyond what seed_demo wrote, spread evenly over the live courses and drawn like
# seed_demo's (demo/plan.py): a start day from 120 days ago to 180 days ahead (so 60 %
# upcoming) at 09:00 or 14:00 in Casablanca, in person, online or hybrid 5:2:3, 7 % cancelled,
# plus seats already taken (some sessions full), which the free-seats filter reads.
# Columns the statement does not name get their model default. One statement, so 90,000 rows
# take seconds.
TOP_UP_SQL = """
WITH course_ids AS (
    SELECT array_agg(c.page_ptr_id ORDER BY c.page_ptr_id) AS ids
    FROM courses_coursepage c JOIN wagtailcore_page p ON p.id = c.page_ptr_id
    WHERE p.live
),
institute_ids AS (
    SELECT array_agg(page_ptr_id ORDER BY page_ptr_id) AS ids FROM institutes_institutepage
),
draws AS MATERIALIZED (
    SELECT
        g AS n,
        (
            date_trunc('day', now() AT TIME ZONE 'Africa/Casablanca')
            + make_interval(
                days => floor(random() * 300)::int - 120,
                hours => CASE WHEN random() < 0.7 THEN 9 ELSE 14 END
            )
        ) AT TIME ZONE 'Africa/Casablanca' AS starts_at,
        random() AS mode_draw,
        random() AS status_draw,
        random() AS fill,
        12 + floor(random() * 29)::int AS capacity
    FROM generate_series(1, %(count)s) AS g
),
planned AS (
    SELECT
        d.*,
        CASE
            WHEN d.mode_draw < 0.5 THEN 'in_person'
            WHEN d.mode_draw < 0.7 THEN 'online'
            ELSE 'hybrid'
        END AS mode
    FROM draws d
)
INSERT INTO courses_session (
    sort_order, course_id, starts_at, ends_at, mode, institute_id, language, online_url,
    capacity, waitlist_enabled, enrolment_opens_at, enrolment_closes_at, status,
    confirmed_count, waitlist_count{extra_columns}
)
SELECT
    1000 + r.n,
    c.ids[1 + r.n %% array_length(c.ids, 1)],
    r.starts_at,
    r.starts_at + (3 + r.n %% 6) * interval '1 hour',
    r.mode,
    CASE WHEN r.mode = 'online' THEN NULL ELSE i.ids[1 + r.n %% array_length(i.ids, 1)] END,
    (ARRAY['fr', 'ar', 'en'])[1 + r.n %% 3],
    CASE WHEN r.mode = 'in_person' THEN '' ELSE 'https://meet.example.com/bench-' || r.n END,
    r.capacity,
    true,
    NULL,
    NULL,
    CASE WHEN r.status_draw < 0.07 THEN 'cancelled' ELSE 'scheduled' END,
    LEAST(r.capacity, floor(r.fill * (r.capacity + 10))::int),
    0{extra_values}
FROM planned r, course_ids c, institute_ids i
"""


# Subprocesses ---------------------------------------------------------------------------------


def child_env(database_url):
    """The environment of manage.py and gunicorn (the cache prefix is set per scenario)."""
    return common.child_env(SETTINGS, DATABASE_URL=database_url)


def manage(args, database_url, log_path):
    """Run `manage.py <args>`; on failure show the end of its output and stop."""
    return common.manage(args, child_env(database_url), log_path)


# Databases ------------------------------------------------------------------------------------


def with_database(url, name):
    """`url` pointing at database `name` instead."""
    head, _sep, tail = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{tail}" if tail else "")


def prepare_template(database_url, template):
    """Migrate the template database every scenario is copied from; collect static files."""
    recreate_database(with_database(database_url, template))
    seconds = manage(
        ["migrate", "--noinput"],
        with_database(database_url, template),
        RESULTS_DIR / "migrate.log",
    )
    print(f"migrated the template database {template}: {seconds:.1f} s")
    shutil.rmtree(os.environ["BENCH_STATIC_ROOT"], ignore_errors=True)
    seconds = manage(
        ["collectstatic", "--noinput"], database_url, RESULTS_DIR / "collectstatic.log"
    )
    print(f"collected static files (hashed, compressed, as in production): {seconds:.1f} s")


def prepare_scenario(scenario, database_url, template, result):
    """The scenario's database, copied from the template, seeded and topped up; what it holds
    goes into `result`. Returns the facts of `data_facts`."""
    recreate_database(database_url, template=template)
    media = Path(os.environ["BENCH_MEDIA_ROOT"])
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)

    result.seed_seconds = common.seed_demo(
        child_env(database_url),
        RESULTS_DIR / f"seed-{scenario.name}.log",
        courses=scenario.courses,
        sessions_per_course=scenario.sessions_per_course,
        learners=5,
        password="bench",
    )
    print(f"   seed_demo: {result.seed_seconds:.1f} s")
    started = time.perf_counter()
    added = top_up_sessions(scenario.sessions)
    analyze(database_url)
    result.top_up_seconds = time.perf_counter() - started
    if added:
        print(f"   {added:,} sessions added in SQL: {result.top_up_seconds:.1f} s")

    facts = data_facts()
    result.courses = facts["courses"]
    result.sessions = facts["sessions"]
    result.upcoming_sessions = facts["upcoming_sessions"]
    print(
        f"   data: {result.courses:,} live courses, {result.sessions:,} sessions "
        f"({result.upcoming_sessions:,} upcoming)"
    )
    return facts


def top_up_sessions(target):
    """Insert sessions in one statement until there are `target`; returns rows added."""
    from django.db import connection

    from courses.models import Session

    named = TOP_UP_SQL.split("INSERT INTO courses_session (", 1)[1].split(")", 1)[0]
    named = {column.strip() for column in named.replace("{extra_columns}", "").split(",")}
    others = [
        field
        for field in Session._meta.concrete_fields
        if not field.primary_key and field.column not in named
    ]
    params = {
        f"default_{i}": field.get_db_prep_save(field.get_default(), connection)
        for i, field in enumerate(others)
    }
    sql = TOP_UP_SQL.format(
        extra_columns="".join(f", {connection.ops.quote_name(f.column)}" for f in others),
        extra_values="".join(f", %(default_{i})s" for i in range(len(others))),
    )
    missing = target - Session.objects.count()
    if missing > 0:
        with connection.cursor() as cursor:
            cursor.execute(sql, {**params, "count": missing})
    return max(missing, 0)


def analyze(url):
    """Fresh planner statistics, as autovacuum would give a long-running database."""
    import psycopg

    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def data_facts():
    """Courses, sessions and the URL of a busy course (the one with most upcoming sessions)."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from courses.models import CoursePage, Session

    now = timezone.now()
    busy = (
        CoursePage.objects.live()
        .annotate(n=Count("sessions", filter=Q(sessions__starts_at__gt=now)))
        .order_by("-n", "pk")
        .first()
    )
    return {
        "courses": CoursePage.objects.live().count(),
        "sessions": Session.objects.count(),
        "upcoming_sessions": Session.objects.upcoming(now).count(),
        "course_url": busy.get_url(None) if busy else None,
    }
