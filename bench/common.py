"""What the benchmarks under bench/ share: a throwaway PostgreSQL database, `manage.py` in a
subprocess (migrate, seed_demo), Django in the benchmark's own process, gunicorn on a free
loopback port that is always stopped, Celery's queue on Redis, and how figures are written.

bench/run.py, bench/enrol.py and bench/material.py use this module, and so do their steps in
bench/catalogue/, bench/enrolling/ and bench/large_material/. The functions take everything as
arguments (the database URL, the child's environment, a log path) and print nothing.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent


# PostgreSQL -----------------------------------------------------------------------------------


def conninfo(url, dbname=None):
    """libpq connection string for `url`, optionally naming another database."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    if dbname:
        params["dbname"] = dbname
    return make_conninfo(**params)


def database_name(url):
    """The name of the database `url` points at."""
    from psycopg.conninfo import conninfo_to_dict

    return conninfo_to_dict(url)["dbname"]


def server_version(url):
    """PostgreSQL's version; exits with a clear message when the server does not answer."""
    import psycopg

    try:
        with psycopg.connect(conninfo(url, "postgres"), connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error as exc:
        sys.exit(
            f"bench: cannot reach PostgreSQL at {url} ({exc}).\n"
            "Start it, or point BENCH_DATABASE_URL at a server where this user may create "
            "databases."
        )


def _admin_sql(url, statement):
    """Run `statement` (CREATE or DROP DATABASE) from the server's `postgres` database."""
    import psycopg

    with psycopg.connect(conninfo(url, "postgres"), autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def recreate_database(url, template=None):
    """Drop the database of `url` (closing its connections) and create it empty, or as a copy
    of the database `template`: bench/run.py migrates a template once and copies it for each
    scenario, which takes a second where migrating again would take far longer."""
    from psycopg import sql

    drop_database(url)
    name = sql.Identifier(database_name(url))
    if template:
        create = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, sql.Identifier(template))
    else:
        create = sql.SQL("CREATE DATABASE {}").format(name)
    _admin_sql(url, create)


def drop_database(url):
    """Drop the database of `url`, closing its connections; nothing if there is none."""
    from psycopg import sql

    name = sql.Identifier(database_name(url))
    _admin_sql(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def database_exists(url):
    """Whether the database of `url` exists (a --reuse-db run needs the one a --keep-db left)."""
    import psycopg

    with psycopg.connect(conninfo(url, "postgres"), connect_timeout=5) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]
        ).fetchone()
    return found is not None


# Subprocesses ---------------------------------------------------------------------------------


def child_env(settings, **variables):
    """The environment of manage.py and gunicorn: this process's, with the settings module
    `settings`, the project on PYTHONPATH, unbuffered output (a killed child's log is
    complete) and `variables` (DATABASE_URL, CELERY_BROKER_URL...)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        PYTHONUNBUFFERED="1",
        **variables,
    )
    return env


def manage(args, env, log_path, timeout=None):
    """Run `manage.py <args>` with `env`, output to `log_path`; on failure exit with its tail.
    Returns the seconds it took."""
    started = time.perf_counter()
    with open(log_path, "w") as log:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=timeout,
        )
    if done.returncode:
        tail = [line[:300] for line in Path(log_path).read_text().splitlines()[-30:]]
        sys.exit(f"bench: manage.py {' '.join(args[:1])} failed:\n" + "\n".join(tail))
    return time.perf_counter() - started


def seed_demo(env, log_path, *, courses, sessions_per_course, learners, password):
    """`manage.py seed_demo` with `password` for the admin and the learners; the seconds taken."""
    args = ["seed_demo", "--courses", str(courses), "--sessions-per-course"]
    args += [str(sessions_per_course), "--learners", str(learners)]
    args += ["--admin-password", password, "--learner-password", password]
    return manage(args, env, log_path)


def free_port():
    """A port of 127.0.0.1 free now (the OS picks it): runs never collide with each other or
    with a development server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_on_sigterm():
    """SIGTERM ends the run through the `finally` blocks, like Ctrl-C does."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


# Django in this process -----------------------------------------------------------------------


def setup_django(env):
    """Django in the benchmark's own process, on the settings, database and broker that `env`
    (a `child_env`) gives the children: for preparing data and checking it afterwards."""
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL"):
        if name in env:
            os.environ[name] = env[name]
    import django

    django.setup()


def close_django_connections():
    """Close this process's database connections: a database in use can't be copied or dropped
    without closing them by force, and a dropped one leaves them broken."""
    from django.db import connections

    connections.close_all()


# gunicorn -------------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn serving `jazari.wsgi` on a free loopback port, in a process group of its own;
    stopped (with its workers) on exit, on error, on Ctrl-C. `threads` applies to gthread
    workers only; `extra_args` go on its command line (e.g. `["--timeout", "600"]`)."""

    def __init__(self, env, log_path, workers=1, worker_class="sync", threads=None, extra_args=()):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = env
        self.command = [
            str(VENV_BIN / "gunicorn"),
            "jazari.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--log-level",
            "warning",
            *extra_args,
        ]
        if worker_class == "gthread" and threads:
            self.command += ["--threads", str(threads)]
        self.process = None
        self.log = None

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped by us, in order
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as reply:
                        if reply.status == 200:
                            return self
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    time.sleep(0.2)
        except BaseException:  # Ctrl-C or SIGTERM while starting: __exit__ won't run
            self.stop()
            raise
        self.stop()
        tail = Path(self.log_path).read_text().splitlines()[-30:]
        sys.exit("bench: gunicorn did not become healthy:\n" + "\n".join(tail))

    def __exit__(self, *exc):
        self.stop()

    def worker_pids(self):
        """The pids of the master's children: its workers."""
        if self.process is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:  # its parent is the master
                pids.append(int(entry.name))
        return sorted(pids)

    def stop(self):
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()  # the master stops its workers gracefully
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # its own group: only its workers
                process.wait()
        if self.log is not None:
            self.log.close()
            self.log = None


# Celery's queue on Redis ----------------------------------------------------------------------

CELERY_QUEUE = "celery"  # Celery's default queue: a Redis list, LPUSHed by publishers


def redis_client(url):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def redis_answers(url):
    import redis

    try:
        return redis_client(url).ping()
    except (redis.RedisError, OSError):
        return False


def queue_length(url):
    return redis_client(url).llen(CELERY_QUEUE)


def queued_tasks(url, count):
    """Task names (and arguments) of the `count` newest messages of Celery's queue."""
    names = []
    if count <= 0:
        return names
    for raw in redis_client(url).lrange(CELERY_QUEUE, 0, count - 1):
        try:
            message = json.loads(raw)
            headers = message.get("headers", {})
            names.append(f"{headers.get('task')}{headers.get('argsrepr', '')}")
        except (ValueError, AttributeError):
            names.append("(unreadable message)")
    return list(reversed(names))


def remove_queued_since(url, before):
    """Drop the messages queued since the queue held `before` (the newest are at the head): the
    ones this run published, with no worker to take them."""
    client = redis_client(url)
    new = client.llen(CELERY_QUEUE) - before
    if new > 0:
        client.ltrim(CELERY_QUEUE, new, -1)


# Figures --------------------------------------------------------------------------------------


def percentile(ordered, p):
    """The `p`th percentile of `ordered` (sorted, not empty): the value at rank n * p / 100."""
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def write_results(name, results):
    """`results` as JSON in bench/results/`name`; returns its path."""
    path = RESULTS_DIR / name
    text = json.dumps(results, indent=2, ensure_ascii=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    return path
