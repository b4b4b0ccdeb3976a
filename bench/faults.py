"""Fault drills: what the site does when a service it needs hangs, stops or runs out.

    .venv/bin/python bench/faults.py                     # the four drills, about 3 minutes
    .venv/bin/python bench/faults.py --drills storage,db # some of them
    .venv/bin/python bench/faults.py --keep-db           # then --reuse-db: no migrate, no seed

Every drill runs against servers this run starts on ports of its own, never the machine's
default services' data: a throwaway PostgreSQL database (BENCH_FAULTS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/jazari_bench_faults, recreated, dropped at the end),
moto's S3 server, a redis-server as the Celery broker, an SMTP sink (bench/drills/smtp_sink.py)
as the mail relay, Celery workers, and gunicorn (3 sync workers as in the image, gunicorn's
default `--timeout 30`, `bench.settings`: DEBUG off, persistent connections, S3 storage).

1. storage: the S3 endpoint hangs (moto SIGSTOPped) while pages load and /readyz is probed
   every second: pages keep answering (p50/p95, failures), /readyz answers 503 in bounded time.
2. broker: the broker stops while learners enrol through the API: no request fails; once it is
   back and the catch-up (`enrolments.dispatch_pending`, called directly) has run, every
   learner has exactly one email.
3. worker: a Celery worker is SIGKILLed while it sends an email (the SMTP sink slow to
   greet): the email is sent exactly once by the process that replaces it (`acks_late` and
   `reject_on_worker_lost`); also with the whole worker killed, where the catch-up sends it.
4. db: PostgreSQL connections exhausted (a role with a connection limit, all its connections
   held elsewhere): pages and API answer 503 with Retry-After, and recover without a restart;
   with persistent connections and with psycopg's pool.

Figures are printed and written to bench/results/faults.json; the exit status is 1 when a
drill's check fails. Steps and servers are in bench/drills/.
"""

import argparse
import contextlib
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    RESULTS_DIR,
    Gunicorn,
    close_django_connections,
    conninfo,
    database_exists,
    drop_database,
    free_port,
    manage,
    recreate_database,
    server_version,
    setup_django,
    stop_on_sigterm,
    write_results,
)
from bench.drills.http import Loader, Prober, get, json_body, latency_summary, request  # noqa: E402
from bench.drills.servers import (  # noqa: E402
    SETTINGS,
    CeleryWorker,
    child_env,
    start_broker,
    start_s3,
)
from bench.drills.smtp_sink import SmtpSink  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jazari_bench_faults"
DRILLS = ("storage", "broker", "worker", "db")
GUNICORN_ARGS = ["--timeout", "30", "--graceful-timeout", "5"]
LEARNERS = 150


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--drills", default=",".join(DRILLS), help="comma-separated: " + ", ".join(DRILLS)
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--keep-db", action="store_true", help="leave the database behind")
    parser.add_argument(
        "--reuse-db", action="store_true", help="the database a --keep-db run left; keeps it"
    )
    options = parser.parse_args()
    options.drills = [name.strip() for name in options.drills.split(",") if name.strip()]
    unknown = set(options.drills) - set(DRILLS)
    if unknown:
        parser.error(f"unknown drills: {', '.join(sorted(unknown))}")
    return options


def wait_until(condition, timeout, step=0.1):
    """Poll `condition` until it is true or `timeout` s passed; the seconds it took, or None."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(step)
    return None


# Setup ----------------------------------------------------------------------------------------


def prepare_database(env, database_url):
    """Migrated, seeded (cover images in the S3 bucket), static files collected."""
    recreate_database(database_url)
    # Seeding sends nothing and queues nothing: tasks inline, the dummy mail backend.
    seed_env = {**env, "CELERY_BROKER_URL": "", "EMAIL_URL": "dummymail://"}
    started = time.perf_counter()
    manage(["migrate", "--noinput"], seed_env, RESULTS_DIR / "faults-migrate.log")
    manage(
        ["seed_demo", "--courses", "4", "--sessions-per-course", "1", "--learners", str(LEARNERS)]
        + ["--admin-password", "bench", "--learner-password", "bench"],
        seed_env,
        RESULTS_DIR / "faults-seed.log",
    )
    manage(["collectstatic", "--noinput"], seed_env, RESULTS_DIR / "faults-collectstatic.log")
    print(f"setup: migrate, seed_demo, collectstatic {time.perf_counter() - started:.1f} s")


def new_session(capacity, sort_order):
    from django.utils import timezone

    from courses.models import CoursePage, Session, SessionMode

    starts_at = timezone.now() + timedelta(days=30)
    return Session.objects.create(
        course=CoursePage.objects.live().order_by("pk").first(),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=7),
        mode=SessionMode.ONLINE,
        online_url="https://meet.jazari.example/faults",
        capacity=capacity,
        sort_order=sort_order,
    )


def learners_with_tokens():
    """[(token, email)] of every demo learner."""
    from rest_framework.authtoken.models import Token

    from demo.users import demo_learners

    users = [user for _number, user in sorted(demo_learners(LEARNERS).items())]
    Token.objects.filter(user__in=users).delete()
    Token.objects.bulk_create([Token(key=Token.generate_key(), user=user) for user in users])
    keys = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    return [(keys[user.pk], user.email) for user in users]


def course_path():
    from courses.models import CoursePage

    return CoursePage.objects.live().order_by("pk").first().get_url()


def enrol_all(port, session_id, learners, threads=10):
    """Each learner enrols through the API at once (10 at a time): the statuses, in order."""
    path = f"/api/v1/sessions/{session_id}/enrol/"
    with ThreadPoolExecutor(threads) as pool:
        replies = list(pool.map(lambda learner: request(port, "POST", path, learner[0]), learners))
    return [status for status, _h, _b, _s in replies]


def notifications(session_id):
    from enrolments.models import Notification

    rows = Notification.objects.filter(enrolment__session_id=session_id)
    return rows.count(), rows.filter(sent_at__isnull=False).count()


def run_dispatch_pending():
    """The beat catch-up, called directly: queue again every email still owed."""
    from enrolments.outbox import dispatch_pending

    return dispatch_pending(grace_seconds=0)


# 1. storage hung ------------------------------------------------------------------------------


def drill_storage(server, moto):
    port = server.port
    paths = ["/courses/", course_path(), "/courses/?nocache={n}"]
    for path in paths:
        status = get(port, path.replace("{n}", "warm"))[0]
        if status != 200:
            sys.exit(f"bench: {path} answers {status} before the drill")
    with Loader(port, paths) as before:
        time.sleep(5)
    os.kill(moto.process.pid, signal.SIGSTOP)
    try:
        prober = Prober(port, period=1.0)
        prober.start()
        with Loader(port, paths) as during:
            time.sleep(12)
        prober.stop()
    finally:
        os.kill(moto.process.pid, signal.SIGCONT)
    back = wait_until(lambda: get(port, "/readyz")[0] == 200, timeout=15, step=0.5)
    probes = prober.replies
    seconds = sorted(s for _status, s, _body in probes)
    named = all(
        body and body.get("down") == ["storage"] for status, _s, body in probes if status == 503
    )
    result = {
        "pages_before": latency_summary(before.replies),
        "pages_while_hung": latency_summary(during.replies),
        "readyz_while_hung": {
            "probes": len(probes),
            "statuses": {str(s): n for s, n in sorted(Counter(s for s, _t, _b in probes).items())},
            "max_s": round(seconds[-1], 2) if seconds else None,
            "p50_s": round(seconds[len(seconds) // 2], 2) if seconds else None,
            "names_storage_only": named,
        },
        "readyz_200_again_after_s": round(back, 1) if back is not None else None,
    }
    result["ok"] = (
        not result["pages_while_hung"]["failures"]
        and all(status == 503 for status, _s, _b in probes)
        and named
        and (result["readyz_while_hung"]["max_s"] or 0) < 3
        and back is not None
    )
    return result


# 2. broker stopped ----------------------------------------------------------------------------


def drill_broker(server, broker, sink, learners):
    from jazari.queuing import forget_broker_failures

    session = new_session(capacity=len(learners) + 10, sort_order=2000)
    close_django_connections()
    before, during, after = learners[:20], learners[20:80], learners[80:100]
    statuses = {"before": enrol_all(server.port, session.pk, before)}
    wait_until(lambda: notifications(session.pk)[1] >= len(before), timeout=20)
    broker.stop()
    stopped = time.monotonic()
    statuses["broker_down"] = enrol_all(server.port, session.pk, during)
    down_seconds = time.monotonic() - stopped
    broker.start()
    statuses["broker_back"] = enrol_all(server.port, session.pk, after)
    forget_broker_failures()
    queued = run_dispatch_pending()
    everyone = before + during + after
    took = wait_until(lambda: notifications(session.pk)[1] >= len(everyone), timeout=40, step=0.5)
    time.sleep(2)  # any duplicate would arrive now
    owed, sent = notifications(session.pk)
    received = sink.recipients()
    counts = Counter(received.get(email, 0) for _token, email in everyone)
    failures = {
        phase: {str(s): n for s, n in Counter(codes).items() if s not in (200, 201)}
        for phase, codes in statuses.items()
    }
    result = {
        "enrolments": {phase: len(codes) for phase, codes in statuses.items()},
        "broker_down_for_s": round(down_seconds, 1),
        "failed_requests": failures,
        "requeued_by_dispatch_pending": queued,
        "notifications_owed": owed,
        "notifications_sent": sent,
        "all_sent_within_s_of_catch_up": round(took, 1) if took is not None else None,
        "learners_by_emails_received": {str(k): v for k, v in sorted(counts.items())},
    }
    result["ok"] = (
        not any(failures.values())
        and owed == len(everyone)
        and sent == owed
        and counts == Counter({1: len(everyone)})
    )
    return result


# 3. worker killed mid-task --------------------------------------------------------------------


def worker_connected(sink, connections):
    """Wait until a worker is connected to the sink, sending. The web worker that took the
    enrolment may still be in its back-off after drill 2's outage (`jazari.queuing`), leaving
    the email to the catch-up: run it then, as beat would."""
    if wait_until(lambda: sink.connections > connections, timeout=3) is None:
        run_dispatch_pending()
    if wait_until(lambda: sink.connections > connections, timeout=15) is None:
        sys.exit("bench: no worker connected to the SMTP sink")


def drill_worker(server, worker, env, sink, learners):
    from enrolments.models import Notification

    session = new_session(capacity=10, sort_order=3000)
    close_django_connections()
    first, second = learners[100], learners[101]
    result = {}

    # a) the pool process running the task is killed; the worker replaces it.
    sink.greet_delay = 5.0
    connections = sink.connections
    assert enrol_all(server.port, session.pk, [first]) == [201]
    worker_connected(sink, connections)
    (child,) = worker.children()
    os.kill(child, signal.SIGKILL)
    killed = time.monotonic()
    sink.greet_delay = 0.0
    delivered = wait_until(lambda: sink.recipients().get(first[1], 0) >= 1, timeout=30)
    time.sleep(3)
    row = Notification.objects.get(enrolment__session=session, user__email=first[1])
    result["pool_process_killed"] = {
        "emails_received": sink.recipients().get(first[1], 0),
        "sent_after_kill_s": round(time.monotonic() - killed - 3, 1) if delivered else None,
        "new_pool_process": worker.children() != [child],
        "attempts_recorded": row.attempts,
        "sent_at_set": row.sent_at is not None,
    }

    # b) the whole worker is killed; a new one starts. The broker keeps the unacknowledged
    # message until its visibility timeout; the catch-up queues the email again.
    sink.greet_delay = 5.0
    connections = sink.connections
    assert enrol_all(server.port, session.pk, [second]) == [201]
    worker_connected(sink, connections)
    worker.kill_all()
    sink.greet_delay = 0.0
    replacement = CeleryWorker(env, "replacement").start()
    redelivered = (
        wait_until(lambda: sink.recipients().get(second[1], 0) >= 1, timeout=5) is not None
    )
    queued = run_dispatch_pending()
    delivered = wait_until(lambda: sink.recipients().get(second[1], 0) >= 1, timeout=20)
    time.sleep(3)
    row = Notification.objects.get(enrolment__session=session, user__email=second[1])
    result["whole_worker_killed"] = {
        "redelivered_by_broker_within_5_s": redelivered,
        "requeued_by_dispatch_pending": queued,
        "emails_received": sink.recipients().get(second[1], 0),
        "sent_at_set": row.sent_at is not None,
    }
    close_django_connections()
    result["ok"] = (
        result["pool_process_killed"]["emails_received"] == 1
        and result["pool_process_killed"]["sent_at_set"]
        and result["whole_worker_killed"]["emails_received"] == 1
        and result["whole_worker_killed"]["sent_at_set"]
    )
    return result, replacement


# 4. database connections exhausted ------------------------------------------------------------


@contextlib.contextmanager
def limited_role(database_url, limit):
    """A login role that may hold `limit` connections, with the rights of the site's user."""
    import psycopg
    from psycopg import sql

    name = f"jazari_faults_{os.getpid()}"
    role = sql.Identifier(name)
    admin = conninfo(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN CONNECTION LIMIT {}").format(role, sql.Literal(limit))
        )
        conn.execute(sql.SQL("GRANT ALL ON ALL TABLES IN SCHEMA public TO {}").format(role))
        conn.execute(sql.SQL("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {}").format(role))
    try:
        yield name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [name]
            )
            conn.execute(sql.SQL("DROP OWNED BY {}").format(role))
            conn.execute(sql.SQL("DROP ROLE {}").format(role))


def take_every_connection(database_url, role, limit):
    """Cut the site's connections as `role` and hold all `limit` of them from here."""
    import psycopg

    admin = conninfo(database_url)
    held = []
    deadline = time.monotonic() + 10
    while len(held) < limit and time.monotonic() < deadline:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                [role],
            )
        with contextlib.suppress(psycopg.OperationalError):
            while len(held) < limit:
                held.append(psycopg.connect(conninfo(database_url), user=role))
    if len(held) < limit:
        sys.exit(f"bench: could hold only {len(held)} of {limit} connections of {role}")
    return held


def drill_db_one(env, database_url, role, limit, label, variables):
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(conninfo(database_url))
    host, db_port = params.get("host", "127.0.0.1"), params.get("port", 5432)
    site_url = f"postgres://{role}@{host}:{db_port}/{params['dbname']}"
    server_env = {**env, "DATABASE_URL": site_url, **variables}
    paths = ["/", "/courses/", "/api/v1/skills/"]
    with Gunicorn(
        server_env, RESULTS_DIR / "faults-gunicorn-db.log", workers=2, extra_args=GUNICORN_ARGS
    ) as server:
        port = server.port
        for _ in range(6):  # every worker connects
            for path in paths:
                get(port, path)
        held = take_every_connection(database_url, role, limit)
        try:
            with Loader(port, paths) as exhausted:
                time.sleep(4)
            page = get(port, "/")
            api = get(port, "/api/v1/skills/")
        finally:
            for conn in held:
                conn.close()
        recovered = wait_until(lambda: get(port, "/")[0] == 200, timeout=30, step=0.2)
        with Loader(port, paths) as after:
            time.sleep(3)
    statuses = Counter(status for _p, status, _s in exhausted.replies)
    result = {
        "settings": label,
        "while_exhausted": {
            "requests": len(exhausted.replies),
            "statuses": {str(s): n for s, n in sorted(statuses.items())},
            "p95_ms": latency_summary(exhausted.replies)["p95_ms"],
            "page": [page[0], page[1].get("Retry-After"), page[1].get("Content-Type")],
            "api": [api[0], api[1].get("Retry-After"), (json_body(api[2]) or {}).get("detail")],
        },
        "first_200_after_release_s": round(recovered, 2) if recovered is not None else None,
        "after": latency_summary(after.replies),
    }
    result["ok"] = (
        set(statuses) == {503}
        and page[0] == 503
        and page[1].get("Retry-After")
        and api[0] == 503
        and api[1].get("Retry-After")
        and recovered is not None
        and not result["after"]["failures"]
    )
    return result


def drill_db(env, database_url):
    limit = 2  # = the drill's gunicorn workers, each holding one persistent connection
    configurations = [
        ("persistent connections (DATABASE_CONN_MAX_AGE=60)", {}),
        (
            "psycopg pool (DATABASE_POOL, max 1 per process, timeout 1 s)",
            {"DATABASE_POOL": "true", "DATABASE_POOL_MAX_SIZE": "1", "DATABASE_POOL_TIMEOUT": "1"},
        ),
    ]
    results = []
    with limited_role(database_url, limit) as role:
        for label, variables in configurations:
            results.append(drill_db_one(env, database_url, role, limit, label, variables))
    return {"runs": results, "ok": all(run["ok"] for run in results)}


# Main -----------------------------------------------------------------------------------------


def print_result(name, result):
    print(f"\n== {name}: {'OK' if result.get('ok') else 'FAILED'}")
    for key, value in result.items():
        if key != "ok":
            print(f"   {key}: {value}")


def main():
    options = parse_args()
    stop_on_sigterm()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_FAULTS_DATABASE_URL", DEFAULT_DATABASE_URL)
    tmp = Path(tempfile.gettempdir())
    static_root, media_root = tmp / "jazari-bench-faults-static", tmp / "jazari-bench-faults-media"
    version = server_version(database_url)
    results = {
        "benchmark": "fault drills",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": version,
        },
        "gunicorn": f"{options.workers} sync workers, {' '.join(GUNICORN_ARGS)}",
    }
    print(f"PostgreSQL {version}; drills: {', '.join(options.drills)}")
    moto = broker = worker = None
    ok = True
    broker_port = free_port()
    # Django in this process first (tests.s3 and tests.redis_server import the models).
    setup_django(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{broker_port}/0",
        }
    )
    try:
        moto = start_s3()
        broker = start_broker(broker_port)
        with SmtpSink() as sink:
            env = child_env(database_url, broker.url, moto, sink.url, static_root, media_root)
            print(f"moto {moto.endpoint_url}, redis {broker.url}, SMTP sink {sink.url}")
            if options.reuse_db and database_exists(database_url):
                options.keep_db = True
                manage(["collectstatic", "--noinput"], env, RESULTS_DIR / "faults-static.log")
            else:
                prepare_database(env, database_url)
            learners = learners_with_tokens()
            close_django_connections()
            worker = CeleryWorker(env, "first").start()
            with Gunicorn(
                env,
                RESULTS_DIR / "faults-gunicorn.log",
                workers=options.workers,
                extra_args=GUNICORN_ARGS,
            ) as server:
                if "storage" in options.drills:
                    results["storage"] = drill_storage(server, moto)
                    print_result("1. S3 endpoint hung", results["storage"])
                if "broker" in options.drills:
                    results["broker"] = drill_broker(server, broker, sink, learners)
                    print_result("2. broker stopped during enrolments", results["broker"])
                if "worker" in options.drills:
                    results["worker"], worker = drill_worker(server, worker, env, sink, learners)
                    print_result("3. Celery worker killed mid-task", results["worker"])
            if "db" in options.drills:
                results["db"] = drill_db(env, database_url)
                print_result("4. database connections exhausted", results["db"])
        ok = all(results[name]["ok"] for name in options.drills)
        path = write_results("faults.json", results)
        print(f"\nwritten to {path.relative_to(ROOT)}")
    finally:
        if worker is not None:
            worker.stop()
        if broker is not None:
            broker.close()
        if moto is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(moto.process.pid, signal.SIGCONT)
            moto.stop()
        close_django_connections()
        if not options.keep_db:
            drop_database(database_url)
            shutil.rmtree(media_root, ignore_errors=True)
            shutil.rmtree(static_root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
