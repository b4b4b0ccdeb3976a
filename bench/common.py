"""What the benchmarks under bench/ share: a throwaway PostgreSQL database, `manage.py` in a
subprocess, and gunicorn on a free loopback port that is always stopped.

bench/run.py, bench/enrol.py and bench/material.py use this module. The functions take
everything as arguments (the database URL, the child's environment, a log path) and print
nothing.
"""

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

    name = sql.Identifier(database_name(url))
    _admin_sql(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
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
