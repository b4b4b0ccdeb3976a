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
rate misses the bar, which depends on the machine. Its steps are in bench/enrolling/.
"""

import argparse
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    RESULTS_DIR,
    Gunicorn,
    close_django_connections,
    drop_database,
    queue_length,
    redis_answers,
    remove_queued_since,
    server_version,
    setup_django,
    stop_on_sigterm,
    write_results,
)
from bench.enrolling.checks import (  # noqa: E402
    check_database,
    correctness,
    failed,
    positions_returned,
)
from bench.enrolling.data import SETTINGS, child_env, prepare, prepare_database  # noqa: E402
from bench.enrolling.load import (  # noqa: E402
    run_load,
    summarise_repeats,
    summarise_round,
    warm_up,
)
from bench.enrolling.profiling import start_profilers, summarise_profiles  # noqa: E402
from bench.enrolling.report import print_report  # noqa: E402
from bench.enrolling.serial import serial_cost  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jazari_bench_enrol"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
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


def broker_for(options, redis_url):
    """Redis when it answers (or is asked for), else none: Celery then runs tasks inline."""
    if options.broker == "inline":
        return ""
    if redis_answers(redis_url):
        return redis_url
    if options.broker == "redis":
        sys.exit(f"bench: no Redis answers at {redis_url}")
    return ""


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
    broker_url = broker_for(options, redis_url)
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
    has_failed = django_ready = False
    queued_before = None
    try:
        prepare_database(options, database_url, media)
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
            warm = warm_up(server.port, warm_id, tokens[: options.warmup], options.timeout)
            profilers = []
            if options.profile:
                profilers = start_profilers(server, max(5, options.clients / BAR_PER_SECOND))
            first, first_seconds = run_load(server.port, session_id, tokens, options.timeout)
            again, again_seconds = run_load(server.port, session_id, tokens, options.timeout)
            if profilers:
                results["profile"] = summarise_profiles(profilers)

        serial = serial_cost(options)
        queued = (queue_length(broker_url) - queued_before) if broker_url else 0

        round_1 = summarise_round(first, first_seconds)
        round_2 = summarise_repeats(first, again, again_seconds)
        db = check_database(session_id, options.capacity)
        db["positions_returned_1_to_n"] = positions_returned(first)
        db["emails_queued"] = queued if broker_url else None

        results["total_requests"] = len(warm) + len(first) + len(again)
        results.update(round_1=round_1, round_2_repeats=round_2, database=db, serial=serial)
        results["bar"] = {
            "enrolments_per_second_min": BAR_PER_SECOND,
            "enrolments_per_second": round_1["enrolments_per_second"],
            "met": round_1["enrolments_per_second"] >= BAR_PER_SECOND and not db["overbooked"],
        }
        results["machine"]["load_average_after"] = list(os.getloadavg())
        results["checks"] = correctness(db, round_1, round_2, first, again)
        has_failed = failed(results["checks"])
        print_report(results)
        path = write_results("enrol.json", results)
        print(f"\nwritten to {path.relative_to(ROOT)}")
    finally:
        if broker_url and queued_before is not None:
            # The emails this run queued (warm-up, rounds, serial), also after an interruption.
            remove_queued_since(broker_url, queued_before)
        if django_ready:
            close_django_connections()
        if not options.keep_db:
            drop_database(database_url)
            shutil.rmtree(media, ignore_errors=True)
    return 1 if has_failed else 0


if __name__ == "__main__":
    sys.exit(main())
