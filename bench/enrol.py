"""`make bench`: enrolments per second into ONE session, through gunicorn, on PostgreSQL.

Hundreds of learners, each with a token of their own, call `POST /api/v1/sessions/{id}/enrol/`
at the same moment for the same session; then each calls it again (the call is idempotent:
200 with the same enrolment). The run reports requests, enrolments per second, confirmed,
waitlisted, errors by status, and, from the database, whether the session was overbooked
and whether the waiting list kept arrival order. The bar of the product brief: at least 100
enrolments per second with zero overbooking.

    .venv/bin/python bench/enrol.py                     # 400 clients, 300 seats, about a minute
    .venv/bin/python bench/enrol.py --clients 1000 --capacity 600 --workers 3
    .venv/bin/python bench/enrol.py --profile           # py-spy on the workers (pip install py-spy)

Setup: a throwaway database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/jazari_bench_enrol; dropped and recreated, dropped again
at the end unless --keep-db), `migrate`, `seed_demo --courses 5 --sessions-per-course 1
--learners N` (N >= 1000 verified demo learners), one new session (capacity 300, enrolment
open, a waiting list) plus one for warming the workers up, and a token per learner written
directly (`rest_framework.authtoken`). Celery: when Redis answers at BENCH_REDIS_URL (default
redis://127.0.0.1:6379/9) it is the broker and the emails are queued there with no worker
running (the messages this run queued are removed at the end); otherwise tasks run inline in
the request, sending to Django's dummy mail backend. gunicorn (sync workers by default) listens
on a free port of 127.0.0.1 only, with `bench.enrol_settings` (DEBUG off), and is stopped on
exit, on error, on Ctrl-C and on SIGTERM.

The load generator is plain asyncio (one HTTP/1.1 connection per request, `Connection:
close`), so the benchmark needs no package beyond the project's. Results: a table on the
terminal and bench/results/enrol.json. The exit status is 1 when a check of correctness fails
(overbooking, order, a duplicate enrolment, a repeat that was not idempotent), not when the
rate misses the bar, which depends on the machine.
"""

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.common import (  # noqa: E402
    RESULTS_DIR,
    VENV_BIN,
    Gunicorn,
    conninfo,
    database_name,
    drop_database,
    manage,
    recreate_database,
    server_version,
    stop_on_sigterm,
)

SETTINGS = "bench.enrol_settings"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jazari_bench_enrol"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
CELERY_QUEUE = "celery"  # Celery's default queue: a Redis list, LPUSHed by publishers
BAR_PER_SECOND = 100.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=1000, help="demo learners seeded")
    parser.add_argument(
        "--clients", type=int, default=400, help="concurrent clients, one learner each"
    )
    parser.add_argument("--capacity", type=int, default=300, help="seats of the session")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--warmup", type=int, default=60, help="warm-up enrolments")
    parser.add_argument(
        "--timeout", type=float, default=120, help="bound on each round of load, in seconds"
    )
    parser.add_argument("--broker", choices=["auto", "redis", "inline"], default="auto")
    parser.add_argument("--keep-db", action="store_true", help="leave the database behind")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="use the database a --keep-db run left (no migrate, no seed); keeps it too",
    )
    parser.add_argument(
        "--profile", action="store_true", help="py-spy every worker during the first round"
    )
    options = parser.parse_args()
    if options.clients > options.learners:
        parser.error("--clients must not exceed --learners: each client is a distinct learner")
    if options.clients < 1 or options.capacity < 1 or options.learners < 1:
        parser.error("--clients, --capacity and --learners must be positive")
    return options


# Database -------------------------------------------------------------------------------------


def database_exists(url):
    import psycopg

    with psycopg.connect(conninfo(url, "postgres"), connect_timeout=5) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]
        ).fetchone()
    return found is not None


# Broker ---------------------------------------------------------------------------------------


def redis_answers(url):
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2).ping()
    except (redis.RedisError, OSError):
        return False


def queue_length(url):
    import redis

    return redis.Redis.from_url(url, socket_timeout=5).llen(CELERY_QUEUE)


def remove_queued(url, count):
    """Drop the `count` newest messages of Celery's queue: the ones this run published."""
    import redis

    if count > 0:
        redis.Redis.from_url(url, socket_timeout=5).ltrim(CELERY_QUEUE, count, -1)


# Subprocesses ---------------------------------------------------------------------------------


def child_env(database_url, broker_url):
    return common.child_env(SETTINGS, DATABASE_URL=database_url, CELERY_BROKER_URL=broker_url)


# Django, in this process, for the setup and the checks -----------------------------------------


def setup_django(env):
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL"):
        os.environ[name] = env[name]
    import django

    django.setup()


def prepare(options):
    """The measured session, a warm-up session, and the learners' tokens."""
    from django.db import connection
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from courses.models import CoursePage, Session, SessionMode
    from demo.users import demo_learners

    course = CoursePage.objects.live().order_by("pk").first()
    starts_at = timezone.now() + timedelta(days=30)

    def session(capacity, sort_order):
        return Session.objects.create(
            course=course,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=7),
            mode=SessionMode.ONLINE,
            online_url="https://meet.jazari.example/bench-enrol",
            capacity=capacity,
            waitlist_enabled=True,
            sort_order=sort_order,
        )

    measured = session(options.capacity, 1000)
    warm = session(max(options.warmup, 1), 1001)
    learners = demo_learners(options.learners)
    if len(learners) < options.clients:
        sys.exit(f"bench: only {len(learners)} demo learners, {options.clients} needed")
    users = [learners[number] for number in sorted(learners)[: options.clients]]
    Token.objects.filter(user__in=users).delete()
    Token.objects.bulk_create([Token(key=Token.generate_key(), user=user) for user in users])
    keys = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    connection.close()
    return measured.pk, warm.pk, [keys[user.pk] for user in users]


def serial_cost(options, count=50):
    """Enrolments one at a time in this process, through the service, into a fresh session:
    how long each takes, how long it holds the session's lock (from locking to the end of
    COMMIT, which waits for the WAL to reach the disk), and how many statements it sends
    meanwhile. Concurrent enrolments into one session queue for that lock, so 1000 / (lock
    ms) is the ceiling of enrolments per second, whatever the number of workers."""
    from django.db import connection
    from django.utils import timezone

    import enrolments.services.enrolment as service
    from courses.models import CoursePage, Session, SessionMode
    from demo.users import demo_learners

    course = CoursePage.objects.live().order_by("pk").first()
    starts_at = timezone.now() + timedelta(days=31)
    session = Session.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=7),
        mode=SessionMode.ONLINE,
        online_url="https://meet.jazari.example/bench-serial",
        capacity=count,
        sort_order=1002,
    )
    learners = demo_learners(options.learners)
    users = [learners[number] for number in sorted(learners)[-count:]]
    state = {"locked_at": None, "statements": 0}
    holds, statements, totals = [], [], []
    real_lock, real_commit = service.lock_session, connection._commit

    def lock_session(session_id):
        state["locked_at"], state["statements"] = time.perf_counter(), 0
        return real_lock(session_id)

    def commit():
        result = real_commit()
        if state["locked_at"] is not None:
            holds.append(time.perf_counter() - state["locked_at"])
            statements.append(state["statements"] + 1)  # + the COMMIT
            state["locked_at"] = None
        return result

    def count_statements(execute, sql, params, many, context):
        if state["locked_at"] is not None:
            state["statements"] += 1
        return execute(sql, params, many, context)

    service.lock_session, connection._commit = lock_session, commit
    try:
        with connection.execute_wrapper(count_statements):
            for user in users:
                started = time.perf_counter()
                service.enrol(user, session.pk)
                totals.append(time.perf_counter() - started)
    finally:
        service.lock_session, connection._commit = real_lock, real_commit

    def median_ms(values):
        return round(statistics.median(values) * 1000, 2) if values else None

    lock_ms = median_ms(holds)
    return {
        "enrolments": len(totals),
        "enrol_ms_median": median_ms(totals),
        "lock_held_ms_median": lock_ms,
        "lock_held_ms_p90": round(sorted(holds)[int(len(holds) * 0.9)] * 1000, 2)
        if holds
        else None,
        "statements_under_lock": statistics.median(statements) if statements else None,
        "ceiling_enrolments_per_second": round(1000 / lock_ms, 1) if lock_ms else None,
    }


def check_database(session_id, capacity):
    """What the database says about the session: seats, the line, duplicates, caches."""
    from django.db.models import Count

    from courses.models import Session
    from enrolments.models import Enrolment, EnrolmentStatus

    enrolments = Enrolment.objects.filter(session_id=session_id)
    held = enrolments.holding_seats().count()
    confirmed = list(
        enrolments.filter(status=EnrolmentStatus.CONFIRMED).values_list("pk", "queued_at")
    )
    line = list(enrolments.waitlisted())
    ids = [enrolment.pk for enrolment in line]
    arrivals = [enrolment.queued_at for enrolment in line]
    positions = [enrolment.waitlist_position() for enrolment in line]
    duplicates = (
        enrolments.active().values("learner_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    session = Session.objects.get(pk=session_id)
    last_confirmed = max((queued_at for _pk, queued_at in confirmed), default=None)
    return {
        "rows": enrolments.count(),
        "seats_held": held,
        "confirmed": len(confirmed),
        "waitlisted": len(line),
        "overbooked": held > capacity,
        "seats_filled_before_queueing": held == capacity or not line,
        "waitlist_ids_in_arrival_order": ids == sorted(ids),
        "waitlist_arrivals_strictly_increasing": all(
            a < b for a, b in zip(arrivals, arrivals[1:], strict=False)
        ),
        "waitlist_positions_1_to_n": positions == list(range(1, len(line) + 1)),
        "confirmed_arrived_before_waitlisted": not line
        or last_confirmed is None
        or last_confirmed < arrivals[0],
        "duplicate_active_enrolments": duplicates,
        "display_counts_match": (session.confirmed_count, session.waitlist_count)
        == (held, len(line)),
    }


# Load ------------------------------------------------------------------------------------------


async def post(port, path, token, timeout):
    """(status, parsed JSON body or None, seconds); status 0 for a connection error/timeout."""
    started = time.perf_counter()
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nAccept: application/json\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            raw = await reader.read()  # to the end: the server closes the connection
        status, body = parse_response(raw)
    except (OSError, TimeoutError, ValueError, IndexError):
        status, body = 0, None
    finally:
        if writer is not None:
            writer.close()
    return status, body, time.perf_counter() - started


def parse_response(raw):
    head, _sep, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {
        name.strip().lower(): value.strip()
        for name, _colon, value in (line.partition(":") for line in lines[1:])
    }
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = dechunk(body)
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, None


def dechunk(data):
    out = bytearray()
    while data:
        size_line, _sep, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return bytes(out)


async def load_round(port, session_id, tokens, timeout):
    """Every token enrols at once; (replies in token order, seconds from first send to last
    reply). Replies still missing when `timeout` passes count as status 0."""
    path = f"/api/v1/sessions/{session_id}/enrol/"
    started = time.perf_counter()
    tasks = [asyncio.create_task(post(port, path, token, timeout)) for token in tokens]
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    elapsed = time.perf_counter() - started
    replies = [task.result() if task in done else (0, None, timeout) for task in tasks]
    return replies, elapsed


def run_load(port, session_id, tokens, timeout):
    return asyncio.run(load_round(port, session_id, tokens, timeout))


def summarise(replies, elapsed):
    statuses = Counter(status for status, _body, _seconds in replies)
    latencies = sorted(seconds for status, _body, seconds in replies if status)
    bodies = [body for status, body, _seconds in replies if status in (200, 201) and body]

    def percentile(p):
        if not latencies:
            return None
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000, 1)

    created = statuses.get(201, 0)
    return {
        "requests": len(replies),
        "seconds": round(elapsed, 3),
        "created": created,
        "enrolments_per_second": round(created / elapsed, 1) if elapsed else 0.0,
        "requests_per_second": round(len(replies) / elapsed, 1) if elapsed else 0.0,
        "statuses": {str(status): n for status, n in sorted(statuses.items())},
        "errors": {
            str(status): n for status, n in sorted(statuses.items()) if status not in (200, 201)
        },
        "confirmed": sum(1 for body in bodies if body.get("status") == "confirmed"),
        "waitlisted": sum(1 for body in bodies if body.get("status") == "waitlisted"),
        "latency_ms": {
            "mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
            "p50": percentile(50),
            "p95": percentile(95),
            "max": round(latencies[-1] * 1000, 1) if latencies else None,
        },
    }


# Profiling -------------------------------------------------------------------------------------


def start_profilers(server, seconds):
    """py-spy on every worker for `seconds`; [(pid, process, output path)]."""
    py_spy = shutil.which("py-spy") or str(VENV_BIN / "py-spy")
    if not Path(py_spy).exists():
        print("   --profile: py-spy is not installed (uv pip install py-spy); not profiling")
        return []
    profilers = []
    for pid in server.worker_pids():
        out = RESULTS_DIR / f"enrol-profile-{pid}.txt"
        command = [
            py_spy,
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(max(1, round(seconds))),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        profilers.append((pid, process, out))
    time.sleep(0.5)  # py-spy attaches
    return profilers


PROJECT_PACKAGES = ("learners/", "api/", "courses/", "home/", "jazari/")
# Where a sample's innermost frame is, by file: what the workers spend their time on.
LEAF_CATEGORIES = (
    (
        "waiting for PostgreSQL (queries, the session lock)",
        ("psycopg/connection.py", "psycopg/waiting"),
    ),
    ("psycopg, other", ("psycopg/",)),
    ("Django ORM: building SQL, making objects", ("django/db/",)),
    ("Celery, kombu, redis: queuing the email", ("celery/", "kombu/", "redis/")),
    ("Django REST framework", ("rest_framework/",)),
    ("Wagtail (audit log)", ("wagtail/",)),
    ("Django, other", ("django/",)),
    ("gunicorn", ("gunicorn/",)),
)


def summarise_profiles(profilers, top=20):
    """From py-spy's collapsed stacks ("frame;frame;… count", a frame being
    "function (file:line)"): the share of samples whose innermost frame is in each category,
    and the project's own functions that most samples were under."""
    leaves, inclusive, total = Counter(), Counter(), 0
    for _pid, process, out in profilers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        if not out.exists():
            continue
        for line in out.read_text().splitlines():
            stack, _sep, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            count = int(count)
            total += count
            frames = stack.split(";")
            leaf = frames[-1].rpartition("(")[2]
            category = next(
                (name for name, paths in LEAF_CATEGORIES if any(p in leaf for p in paths)),
                "other",
            )
            leaves[category] += count
            for frame in set(frames):
                function, _sep, where = frame.rpartition(" (")
                if where.startswith(PROJECT_PACKAGES):
                    inclusive[f"{function} ({where.split(':')[0]})"] += count
    return {
        "samples": total,
        "innermost_frame": leaves.most_common(),
        "project_functions": inclusive.most_common(top),
    }


# The run ---------------------------------------------------------------------------------------


def main():
    options = parse_args()
    stop_on_sigterm()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    media = Path(
        os.environ.setdefault(
            "BENCH_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "jazari-bench-enrol-media")
        )
    )

    version = server_version(database_url)
    if options.broker == "inline":
        broker_url = ""
    elif redis_answers(redis_url):
        broker_url = redis_url
    elif options.broker == "redis":
        sys.exit(f"bench: no Redis answers at {redis_url}")
    else:
        broker_url = ""
    broker = (
        f"Redis {redis_url} (emails queued, no worker running)"
        if broker_url
        else "none: tasks inline, dummy mail backend"
    )
    print(f"PostgreSQL {version}; Celery broker: {broker}")
    print(
        f"gunicorn: {options.workers} {options.worker_class} workers"
        + (f" x {options.threads} threads" if options.worker_class == "gthread" else "")
        + f"; {options.clients} concurrent clients, {options.capacity} seats"
    )

    results = {
        "benchmark": "enrolments into one session through the JSON API",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": version,
            "load_average_before": list(os.getloadavg()),
        },
        "settings": {
            "django_settings": SETTINGS,
            "gunicorn_workers": options.workers,
            "worker_class": options.worker_class,
            "threads": options.threads if options.worker_class == "gthread" else 1,
            "clients": options.clients,
            "capacity": options.capacity,
            "learners": options.learners,
            "broker": broker,
        },
    }
    failed = django_ready = False
    queued_before = None
    try:
        if options.reuse_db:
            options.keep_db = True
            if not database_exists(database_url):
                sys.exit("bench: --reuse-db, but no database: run once with --keep-db first")
        else:
            shutil.rmtree(media, ignore_errors=True)
            recreate_database(database_url)
        # Seeding runs its Celery tasks inline (no broker): its demo emails are never queued.
        seed_env = child_env(database_url, "")
        started = time.perf_counter()
        if not options.reuse_db:
            manage(["migrate", "--noinput"], seed_env, RESULTS_DIR / "enrol-migrate.log")
        if options.reuse_db:
            # Not seeded again: seed_demo would delete the sessions an earlier run added to a
            # demo course (beyond --sessions-per-course), which their enrolments forbid.
            print("setup: the database of an earlier run, as it was")
        else:
            seed_args = ["seed_demo", "--courses", "5", "--sessions-per-course", "1"]
            seed_args += ["--learners", str(options.learners)]
            seed_args += ["--admin-password", "bench", "--learner-password", "bench"]
            seed_seconds = manage(seed_args, seed_env, RESULTS_DIR / "enrol-seed.log")
            print(
                f"setup: migrate + seed_demo ({options.learners} learners) "
                f"{time.perf_counter() - started:.1f} s (seed {seed_seconds:.1f} s)"
            )

        env = child_env(database_url, broker_url)
        setup_django(env)
        django_ready = True
        session_id, warm_id, tokens = prepare(options)
        queued_before = queue_length(broker_url) if broker_url else 0

        server = Gunicorn(
            env,
            RESULTS_DIR / "enrol-gunicorn.log",
            workers=options.workers,
            worker_class=options.worker_class,
            threads=options.threads,
            extra_args=["--backlog", "2048", "--timeout", "60", "--graceful-timeout", "5"],
        )
        with server:
            # Warm-up: every worker imports, connects and serves a few enrolments first,
            # into another session.
            warm, _ = run_load(server.port, warm_id, tokens[: options.warmup], options.timeout)
            warm_errors = sum(1 for status, _b, _s in warm if status != 201)
            if warm_errors:
                print(f"   warning: {warm_errors} of {len(warm)} warm-up enrolments failed")
                print(f"   first reply: {warm[0][:2]}")

            profilers = []
            if options.profile:
                profilers = start_profilers(server, max(5, options.clients / BAR_PER_SECOND))
            first, first_seconds = run_load(server.port, session_id, tokens, options.timeout)
            again, again_seconds = run_load(server.port, session_id, tokens, options.timeout)
            if profilers:
                results["profile"] = summarise_profiles(profilers)

        serial = serial_cost(options)
        queued = (queue_length(broker_url) - queued_before) if broker_url else 0

        round_1 = summarise(first, first_seconds)
        round_2 = summarise(again, again_seconds)
        first_ids = [body.get("id") if body else None for _s, body, _t in first]
        again_ids = [body.get("id") if body else None for _s, body, _t in again]
        positions = sorted(
            body["waitlist_position"]
            for status, body, _t in first
            if status == 201 and body and body.get("status") == "waitlisted"
        )
        round_2["same_enrolment_as_round_1"] = sum(
            1 for a, b in zip(first_ids, again_ids, strict=True) if a is not None and a == b
        )
        round_2["all_200"] = round_2["statuses"] == {"200": len(again)}
        db = check_database(session_id, options.capacity)
        db["positions_returned_1_to_n"] = positions == list(range(1, len(positions) + 1))
        db["emails_queued"] = queued if broker_url else None

        results["total_requests"] = len(warm) + len(first) + len(again)
        results.update(round_1=round_1, round_2_repeats=round_2, database=db, serial=serial)
        results["bar"] = {
            "enrolments_per_second_min": BAR_PER_SECOND,
            "enrolments_per_second": round_1["enrolments_per_second"],
            "met": round_1["enrolments_per_second"] >= BAR_PER_SECOND and not db["overbooked"],
        }
        results["machine"]["load_average_after"] = list(os.getloadavg())
        checks = {
            "no overbooking (seats held <= capacity)": not db["overbooked"],
            "seats filled before anyone was waitlisted": db["seats_filled_before_queueing"],
            "confirmed all arrived before the waitlisted": db[
                "confirmed_arrived_before_waitlisted"
            ],
            "waiting list: queued_at order = id order": db["waitlist_ids_in_arrival_order"],
            "waiting list: queued_at strictly increasing": db[
                "waitlist_arrivals_strictly_increasing"
            ],
            "waiting list: positions 1..n (database)": db["waitlist_positions_1_to_n"],
            "waiting list: positions 1..n (API replies)": db["positions_returned_1_to_n"],
            "one active enrolment per learner": db["duplicate_active_enrolments"] == 0,
            "display counts match the enrolments": db["display_counts_match"],
            "repeats answer 200 with the same enrolment": round_2["all_200"]
            and round_2["same_enrolment_as_round_1"] == len(again),
            "every first call answered 201": round_1["created"] == len(first),
        }
        results["checks"] = checks
        failed = not all(
            ok for name, ok in checks.items() if name != "every first call answered 201"
        )
        print_report(results)
        with open(RESULTS_DIR / "enrol.json", "w") as out:
            json.dump(results, out, indent=2, default=str)
            out.write("\n")
        print(f"\nwritten to {(RESULTS_DIR / 'enrol.json').relative_to(ROOT)}")
    finally:
        if broker_url and queued_before is not None:
            # The emails this run queued (warm-up, rounds, serial), also after an interruption.
            remove_queued(broker_url, queue_length(broker_url) - queued_before)
        if django_ready:
            from django.db import connections

            connections.close_all()
        if not options.keep_db:
            drop_database(database_url)
            shutil.rmtree(media, ignore_errors=True)
    return 1 if failed else 0


def print_report(results):
    r1, r2, db = results["round_1"], results["round_2_repeats"], results["database"]
    rows = [
        ("round", "requests", "seconds", "req/s", "201", "200", "errors", "p50 ms", "p95 ms"),
    ]
    for label, r in (("1: enrol", r1), ("2: repeat", r2)):
        rows.append(
            (
                label,
                r["requests"],
                f"{r['seconds']:.2f}",
                f"{r['requests_per_second']:.1f}",
                r["statuses"].get("201", 0),
                r["statuses"].get("200", 0),
                sum(r["errors"].values()),
                r["latency_ms"]["p50"],
                r["latency_ms"]["p95"],
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    print()
    for row in rows:
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True)))
    print(
        f"\ntotal requests:                   {results['total_requests']} "
        f"(warm-up into another session, round 1, round 2)"
    )
    print(f"enrolments per second (round 1):  {r1['enrolments_per_second']:.1f}")
    print(f"confirmed / waitlisted (replies): {r1['confirmed']} / {r1['waitlisted']}")
    print(f"confirmed / waitlisted (database): {db['confirmed']} / {db['waitlisted']}")
    print(f"errors by status, round 1:        {r1['errors'] or 'none'}")
    print(f"errors by status, round 2:        {r2['errors'] or 'none'}")
    if db["emails_queued"] is not None:
        print(
            f"emails queued on Redis:           {db['emails_queued']} "
            "(warm-up, round 1, serial; removed again)"
        )
    serial = results["serial"]
    print(
        f"one at a time, in-process:        {serial['enrol_ms_median']} ms an enrolment, "
        f"{serial['lock_held_ms_median']} ms (p90 {serial['lock_held_ms_p90']}) under the "
        f"session lock, {serial['statements_under_lock']} statements: ceiling "
        f"{serial['ceiling_enrolments_per_second']} enrolments/s"
    )
    print()
    for name, ok in results["checks"].items():
        print(f"  [{'ok' if ok else 'FAIL'}] {name}")
    bar = results["bar"]
    print(
        f"\nbar: >= {bar['enrolments_per_second_min']:.0f} enrolments/s with zero overbooking: "
        f"{'met' if bar['met'] else 'NOT met'}"
    )
    if "profile" in results:
        profile = results["profile"]
        total = max(profile["samples"], 1)
        print(f"\nprofile of the workers, {profile['samples']} samples; innermost frame in:")
        for name, n in profile["innermost_frame"]:
            print(f"  {100 * n / total:5.1f} %  {name}")
        print("share of samples under the project's functions:")
        for name, n in profile["project_functions"]:
            print(f"  {100 * n / total:5.1f} %  {name}")


if __name__ == "__main__":
    sys.exit(main())
