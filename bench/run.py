"""`make bench`: catalogue requests per second, latency and SQL queries through gunicorn.

For each scenario (1,000 courses with about 1,000, 5,000, 10,000 and 100,000 sessions) the
script rebuilds a PostgreSQL database from scratch, seeds it with `manage.py seed_demo`,
counts the SQL queries of every measured URL in-process, then serves the site with gunicorn
and drives it with wrk (or a Python load generator when wrk is missing), on loopback only.
The catalogue is measured from its rendering cache and, with a unique `nocache` parameter on
every request, computed. The same run measures a trivial view (the floor) and, at 5,000
sessions, a plain Wagtail listing in the manner of bakerydemo's breads index (the quality
bar's reference). It prints a table and the ratios of the quality bar, and writes them to
bench/results/catalogue.json.

    .venv/bin/python bench/run.py                     # everything, 8 to 10 minutes
    .venv/bin/python bench/run.py --quick             # 200 courses, short runs: a smoke test
    .venv/bin/python bench/run.py --scenarios 5k,100k

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/jazari_bench;
the database and a `<name>_template` beside it are dropped and recreated), REDIS_URL
(optional: the Redis cache, as in production), BENCH_MEDIA_ROOT and BENCH_STATIC_ROOT
(default: under the system's temporary directory; both are emptied).
See bench/README.md for how to read the figures.
"""

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.common import (  # noqa: E402
    RESULTS_DIR,
    Gunicorn,
    conninfo,
    database_name,
    drop_database,
    recreate_database,
    server_version,
)

BENCH_DIR = ROOT / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jazari_bench"
SETTINGS = "bench.settings"

TRIVIAL = "/bench/trivial/"
PLAIN_LISTING = "/bench/plain-listing/"
CATALOGUE = "/courses/"
CATALOGUE_FILTERED = "/courses/?format=workshop&mode=online&free=1"
# Accents are folded, so this is "données", which every demo course contains (the demo notice
# is in each body): the broadest search, with the most ids to collect and filter by.
CATALOGUE_SEARCH = "/courses/?q=donnees"


# Scenarios ------------------------------------------------------------------------------------


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


# Results --------------------------------------------------------------------------------------


@dataclass
class Load:
    """What the load generator saw for one URL."""

    requests: int
    seconds: float
    rps: float
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int  # connection errors, timeouts and responses with a status of 400 or more


@dataclass
class Row:
    scenario: str
    sessions: int
    label: str
    url: str
    miss: bool = False  # each request with a unique `nocache` parameter: never a cache hit
    status: int = 0  # of the in-process request
    queries: int | None = None
    sql_ms: float | None = None  # time spent in those queries, in-process
    best_ms: float | None = None  # fastest of a few lone requests, in-process
    load: Load | None = None


@dataclass
class ScenarioResult:
    scenario: Scenario
    courses: int = 0
    sessions: int = 0
    upcoming_sessions: int = 0
    seed_seconds: float = 0.0
    top_up_seconds: float = 0.0
    idle_cpu_busy: list = field(default_factory=list)  # % before and after the load
    rows: list = field(default_factory=list)


# Databases ------------------------------------------------------------------------------------


def with_database(url, name):
    """`url` pointing at database `name` instead."""
    head, _sep, tail = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{tail}" if tail else "")


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


# Subprocesses ---------------------------------------------------------------------------------


def child_env(database_url):
    """The environment of manage.py and gunicorn (the cache prefix is set per scenario)."""
    return common.child_env(SETTINGS, DATABASE_URL=database_url)


def manage(args, database_url, log_path):
    """Run `manage.py <args>`; on failure show the end of its output and stop."""
    return common.manage(args, child_env(database_url), log_path)


def cpu_busy(seconds=1.0):
    """Percentage of the machine's CPU in use over `seconds` (None off Linux), taken while the
    benchmark itself is idle: how much a neighbour may be skewing the figures."""

    def sample():
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values), idle

    try:
        total_1, idle_1 = sample()
        time.sleep(seconds)
        total_2, idle_2 = sample()
    except OSError:
        return None
    total = total_2 - total_1
    return round(100 * (total - (idle_2 - idle_1)) / total, 1) if total else None


# Load generators ------------------------------------------------------------------------------


def status_of(url):
    """Status of one GET, redirects not followed (a 3xx would be measured as a success)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_wrk(url, seconds, connections, miss=False):
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--script",
        str(BENCH_DIR / "wrk_report.lua"),
        url,
    ]
    if miss:
        command += ["--", "miss", str(time.time_ns())]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    elapsed = data["duration_us"] / 1e6
    errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
    return Load(
        requests=data["requests"],
        seconds=round(elapsed, 2),
        rps=round(data["requests"] / elapsed, 1),
        mean_ms=round(data["mean_us"] / 1000, 1),
        p50_ms=round(data["p50_us"] / 1000, 1),
        p95_ms=round(data["p95_us"] / 1000, 1),
        p99_ms=round(data["p99_us"] / 1000, 1),
        errors=errors,
    )


def run_python(url, seconds, connections, miss=False):
    """wrk's job with http.client in threads: fewer requests per second than wrk can drive,
    but the same for every URL in a run, so the ratios still hold."""
    from itertools import count
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    run, numbers = time.time_ns(), count()  # next() on a count is atomic under the GIL
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        mine, failed, conn = [], 0, None
        while time.perf_counter() < deadline:
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                started = time.perf_counter()
                conn.request(
                    "GET", with_nocache(target, f"{run}-{next(numbers)}") if miss else target
                )
                response = conn.getresponse()
                response.read()
                mine.append(time.perf_counter() - started)
                if response.status >= 400:
                    failed += 1
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                failed += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000

    return Load(
        requests=len(latencies),
        seconds=round(elapsed, 2),
        rps=round(len(latencies) / elapsed, 1),
        mean_ms=round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
        p50_ms=round(percentile(50), 1) if latencies else 0.0,
        p95_ms=round(percentile(95), 1) if latencies else 0.0,
        p99_ms=round(percentile(99), 1) if latencies else 0.0,
        errors=errors[0],
    )


# In-process measurements ----------------------------------------------------------------------


def setup_django(database_url):
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def use_cache_prefix(prefix):
    """Cache keys of their own for this scenario, in this process and in the ones it starts."""
    from django.core.cache import caches

    os.environ["BENCH_CACHE_PREFIX"] = prefix
    caches["default"].key_prefix = prefix


def forget_cache_prefix(prefix):
    """Delete what the scenario left in Redis; a local-memory cache goes with its process."""
    from django.core.cache import caches

    cache = caches["default"]
    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is None:
        return
    redis = client(write=True)
    for key in redis.scan_iter(match=f"{prefix}:*", count=1000):
        redis.delete(key)


def close_django_connections():
    from django.db import connections

    connections.close_all()


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


def measure_in_process(url, explain_to=None, repeat=5, miss=False):
    """(status, queries, ms in SQL, best ms of `repeat` requests) after a warm-up request.

    The best of a few single requests is the service time with nobody queueing, and the
    figure that moves least when something else is using the machine. With `miss`, every
    request has its own `nocache` parameter."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    run = time.time_ns()
    counter = iter(range(repeat + 2))

    def get():
        return client.get(with_nocache(url, f"{run}-{next(counter)}") if miss else url)

    get()  # fills the caches a running server would have (site, content types…)
    with CaptureQueriesContext(connection) as captured:
        response = get()
    # Read them now: the next request's request_started signal empties the query log.
    queries = list(captured.captured_queries)
    sql_ms = sum(float(query["time"]) for query in queries) * 1000
    if explain_to is not None:
        explain(url, queries, explain_to)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
    return response.status_code, len(queries), round(sql_ms, 1), round(min(times), 1)


def explain(url, queries, out):
    """EXPLAIN ANALYZE of each query, slowest first, for finding what to index."""
    from django.db import connection

    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            total = float(plan.rsplit("Execution Time:", 1)[1].split()[0])
            plans.append((total, sql, plan))
    plans.sort(key=lambda item: -item[0])
    out.write(f"\n{'=' * 100}\n{url}: {len(queries)} queries, slowest first\n")
    for total, sql, plan in plans:
        out.write(f"\n--- {total:.2f} ms\n{sql}\n\n{plan}\n")


# The run --------------------------------------------------------------------------------------


def urls_for(scenario, course_url):
    """(label, URL, miss): with `miss`, every request carries a unique `nocache` parameter."""
    urls = [
        ("trivial view", TRIVIAL, False),
        ("catalogue", CATALOGUE, False),
        ("catalogue, cache miss", CATALOGUE, True),
        ("catalogue, filtered, cache miss", CATALOGUE_FILTERED, True),
        ("catalogue, search, cache miss", CATALOGUE_SEARCH, True),
    ]
    if course_url:
        urls.append(("course page", course_url, False))
    if scenario.plain_listing:
        urls.append(("plain Wagtail listing", PLAIN_LISTING, False))
    return urls


def with_nocache(url, value):
    return f"{url}{'&' if '?' in url else '?'}nocache={value}"


def run_scenario(scenario, options, database_url, template):
    result = ScenarioResult(scenario)
    print(f"\n== {scenario.name}: {scenario.courses} courses, {scenario.sessions:,} sessions")

    close_django_connections()
    recreate_database(database_url, template=template)
    use_cache_prefix(f"jazari-bench-{os.getpid()}-{scenario.name}")
    media = Path(os.environ["BENCH_MEDIA_ROOT"])
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)

    seed_args = [
        "seed_demo",
        "--courses",
        str(scenario.courses),
        "--sessions-per-course",
        str(scenario.sessions_per_course),
        "--learners",
        "5",
        "--admin-password",
        "bench",
        "--learner-password",
        "bench",
    ]
    result.seed_seconds = manage(seed_args, database_url, RESULTS_DIR / f"seed-{scenario.name}.log")
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

    explain_file = None
    if options.explain:
        explain_file = open(RESULTS_DIR / f"explain-{scenario.name}.txt", "w")  # noqa: SIM115
    try:
        for label, url, miss in urls_for(scenario, facts["course_url"]):
            row = Row(scenario.name, result.sessions, label, url, miss=miss)
            explain_this = explain_file if miss else None
            row.status, row.queries, row.sql_ms, row.best_ms = measure_in_process(
                url, explain_this, miss=miss
            )
            if row.status != 200:
                print(f"   warning: {url} answers {row.status} in-process")
            result.rows.append(row)
        cached = find([result], scenario.name, "catalogue", loaded=False)
        missed = find([result], scenario.name, "catalogue, cache miss", loaded=False)
        if cached and missed and cached.queries == missed.queries:
            print(
                "   warning: the nocache parameter changed nothing (same number of queries); "
                "the cache-miss rows measure cached responses"
            )
    finally:
        if explain_file:
            explain_file.close()
    close_django_connections()

    log_path = RESULTS_DIR / f"gunicorn-{scenario.name}.log"
    result.idle_cpu_busy.append(cpu_busy())
    env = child_env(database_url)
    with Gunicorn(env, log_path, workers=options.workers, extra_args=["--timeout", "60"]) as server:
        for row in result.rows:
            status = status_of(server.base_url + row.url)
            if status != 200:
                print(f"   warning: {row.url} answers {status} through gunicorn")
            options.load(server.base_url + row.url, options.warmup, options.connections, row.miss)
        # Rounds over all the URLs rather than one long run each: a neighbour's burst of CPU
        # then weighs on every URL alike instead of on one.
        loads = {id(row): [] for row in result.rows}
        for _round in range(options.rounds):
            for row in result.rows:
                seconds = options.duration / options.rounds
                loads[id(row)].append(
                    options.load(server.base_url + row.url, seconds, options.connections, row.miss)
                )
        for row in result.rows:
            row.load = combine(loads[id(row)])
            print(
                f"   {row.label:<24} {row.load.rps:>8.1f} req/s  p50 {row.load.p50_ms:>7.1f} ms"
                f"  p95 {row.load.p95_ms:>7.1f} ms  {row.queries} queries"
            )
    result.idle_cpu_busy.append(cpu_busy())
    forget_cache_prefix(os.environ["BENCH_CACHE_PREFIX"])
    return result


def combine(loads):
    """One Load from several rounds; percentiles are averaged weighted by requests, which is
    close to, not exactly, the percentile of all the requests together."""
    requests = sum(load.requests for load in loads)
    seconds = sum(load.seconds for load in loads)

    def weighted(name):
        if not requests:
            return 0.0
        return round(sum(getattr(load, name) * load.requests for load in loads) / requests, 1)

    return Load(
        requests=requests,
        seconds=round(seconds, 2),
        rps=round(requests / seconds, 1) if seconds else 0.0,
        mean_ms=weighted("mean_ms"),
        p50_ms=weighted("p50_ms"),
        p95_ms=weighted("p95_ms"),
        p99_ms=weighted("p99_ms"),
        errors=sum(load.errors for load in loads),
    )


def ratio(numerator, denominator):
    return float(f"{numerator / denominator:.3g}") if numerator and denominator else None


def find(results, scenario, label, loaded=True):
    for result in results:
        if result.scenario.name == scenario:
            for row in result.rows:
                if row.label == label and (row.load or not loaded):
                    return row
    return None


def summarise(results):
    """The quality bar's ratios, from whichever scenarios were run."""
    ratios = {}
    listing = find(results, "5k", "plain Wagtail listing")
    for label in ("catalogue", "catalogue, cache miss"):
        catalogue = find(results, "5k", label)
        if listing and catalogue:
            ratios[f"{label} / plain listing req/s at 5k sessions (bar: >= 3)"] = ratio(
                catalogue.load.rps, listing.load.rps
            )
            ratios[f"{label} / plain listing, lone requests (plain ms / ms)"] = ratio(
                listing.best_ms, catalogue.best_ms
            )
    labels = [row.label for row in (results[0].rows if results else [])]
    for label in labels:
        if label == "trivial view":
            continue
        small, large = find(results, "1k", label), find(results, "100k", label)
        if small and large:
            ratios[f"{label}: p50 latency at 100k / at 1k sessions"] = ratio(
                large.load.p50_ms, small.load.p50_ms
            )
            ratios[f"{label}: lone request at 100k / at 1k sessions"] = ratio(
                large.best_ms, small.best_ms
            )
    for result in results:
        trivial = find(results, result.scenario.name, "trivial view")
        for label in ("catalogue", "catalogue, cache miss"):
            catalogue = find(results, result.scenario.name, label)
            if trivial and catalogue:
                ratios[f"{label} / trivial view req/s at {result.scenario.name}"] = ratio(
                    catalogue.load.rps, trivial.load.rps
                )
    query_counts = {}
    for result in results:
        for row in result.rows:
            if row.label != "trivial view":
                query_counts.setdefault(row.label, []).append(row.queries)
    fixed = {
        label: len(set(counts)) == 1 for label, counts in query_counts.items() if len(counts) > 1
    }
    return ratios, fixed


def print_table(results, ratios, fixed, generator):
    header = (
        f"{'scenario':<8} {'sessions':>8}  {'URL':<56} {'req/s':>8} {'mean ms':>8} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'errors':>6} {'queries':>7} {'SQL ms':>7} {'1 req ms':>8}"
    )
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory, per process"
    print(f"\nCatalogue benchmark (load generator: {generator}; cache: {cache})\n")
    print(header)
    print("-" * len(header))
    for result in results:
        for row in result.rows:
            load = row.load
            url = unquote(row.url) + (" +nocache" if row.miss else "")
            url = url if len(url) <= 56 else url[:53] + "..."
            print(
                f"{result.scenario.name:<8} {result.sessions:>8,}  {url:<56} "
                f"{load.rps:>8.1f} {load.mean_ms:>8.1f} {load.p50_ms:>7.1f} {load.p95_ms:>7.1f} "
                f"{load.errors:>6} {row.queries:>7} {row.sql_ms:>7.1f} {row.best_ms:>8.1f}"
            )
        print()
    for result in results:
        before, after = result.idle_cpu_busy
        busy = ""
        if max(before or 0, after or 0) > 20:
            busy = "  (other work on the machine: figures are noisy)"
        print(
            f"{result.scenario.name}: seed_demo {result.seed_seconds:.1f} s, "
            f"SQL top-up and ANALYZE {result.top_up_seconds:.1f} s; "
            f"CPU busy without our load {before} % before, {after} % after{busy}"
        )
    print()
    for label, value in ratios.items():
        verdict = ""
        if "(bar: >= 3)" in label and value is not None:
            verdict = "  met" if value >= 3 else "  NOT met"
        print(f"{label:<72} {value}{verdict}")
    if len(results) > 1:
        for label, same in fixed.items():
            print(f"{'fixed number of queries across scenarios: ' + label:<72} {same}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 courses, 3 s per URL")
    parser.add_argument(
        "--scenarios",
        default="1k,5k,10k,100k",
        help="comma-separated among 1k,5k,10k,100k (default: all)",
    )
    parser.add_argument("--duration", type=float, help="seconds of load per URL (default 10)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up per URL (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument(
        "--rounds", type=int, help="passes over the URLs sharing --duration (2; 1 with --quick)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--load-generator", choices=["auto", "wrk", "python"], default="auto", dest="generator"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="write EXPLAIN ANALYZE of the catalogue's queries to bench/results/explain-*.txt",
    )
    parser.add_argument("--keep-db", action="store_true", help="leave the last database behind")
    options = parser.parse_args()
    options.duration = options.duration or (3 if options.quick else 10)
    options.warmup = options.warmup or (1 if options.quick else 2)
    options.rounds = max(1, options.rounds or (1 if options.quick else 2))
    catalogue = {s.name: s for s in (QUICK_SCENARIOS if options.quick else SCENARIOS)}
    names = [name.strip() for name in options.scenarios.split(",") if name.strip()]
    unknown = [name for name in names if name not in catalogue]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; choose among {', '.join(catalogue)}")
    options.scenario_list = [catalogue[name] for name in names]
    if options.generator == "auto":
        options.generator = "wrk" if shutil.which("wrk") else "python"
    elif options.generator == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk), use --load-generator python")
    options.load = run_wrk if options.generator == "wrk" else run_python
    return options


def main():
    options = parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    tmp = Path(tempfile.gettempdir())
    os.environ.setdefault("BENCH_MEDIA_ROOT", str(tmp / "jazari-bench-media"))
    os.environ.setdefault("BENCH_STATIC_ROOT", str(tmp / "jazari-bench-static"))
    RESULTS_DIR.mkdir(exist_ok=True)
    # A `kill` stops the run like Ctrl-C does, so gunicorn is stopped on the way out.
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    version = server_version(database_url)
    name = database_name(database_url)
    template = f"{name}_template"
    started = time.perf_counter()
    results = []
    try:
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
        setup_django(database_url)
        for scenario in options.scenario_list:
            results.append(run_scenario(scenario, options, database_url, template))
    except KeyboardInterrupt:
        print("\nbench: interrupted")
        return 130
    finally:
        if "django" in sys.modules:
            close_django_connections()
        drop_database(with_database(database_url, template))
        if not options.keep_db:
            drop_database(database_url)

    ratios, fixed = summarise(results)
    print_table(results, ratios, fixed, options.generator)
    report = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgresql": version,
            "cache": "redis" if os.environ.get("REDIS_URL") else "local memory",
        },
        "settings": {
            "load_generator": options.generator,
            "connections": options.connections,
            "gunicorn_workers": options.workers,
            "duration_seconds": options.duration,
            "warmup_seconds": options.warmup,
            "rounds": options.rounds,
            "quick": options.quick,
        },
        "scenarios": [
            {
                **asdict(result.scenario),
                "live_courses": result.courses,
                "sessions_in_db": result.sessions,
                "upcoming_sessions": result.upcoming_sessions,
                "seed_seconds": round(result.seed_seconds, 1),
                "top_up_seconds": round(result.top_up_seconds, 1),
                "cpu_busy_percent_before_after": result.idle_cpu_busy,
                "rows": [asdict(row) for row in result.rows],
            }
            for result in results
        ],
        "ratios": ratios,
        "fixed_query_counts": fixed,
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    # catalogue.json is the full run's; a smoke test or a subset does not overwrite it.
    names = [scenario.name for scenario in options.scenario_list]
    suffix = "" if names == [scenario.name for scenario in SCENARIOS] else "-" + "-".join(names)
    out = RESULTS_DIR / f"catalogue{suffix}{'-quick' if options.quick else ''}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)} in {report['total_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
