"""A private Redis for tests that need a real broker, and the Celery app pointed at it.

`RedisServer` runs `redis-server` on a free port of its own, without persistence
(`--save "" --appendonly no`), and can be stopped and started again on the same port: the
broker-outage test does exactly that. `require_redis_server()` skips a test on a machine
without the binary, and fails it in CI, as `tests.conftest._needs` does for PostgreSQL.
"""

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.signals import task_postrun
from kombu import pools

from jazari.queuing import forget_broker_failures
from tests.conftest import IN_CI, WORKER

REDIS_SERVER = os.environ.get("REDIS_SERVER_PATH", "/usr/bin/redis-server")


def redis_server_binary():
    """The path of `redis-server`, or None when it isn't installed."""
    if os.access(REDIS_SERVER, os.X_OK):
        return REDIS_SERVER
    return shutil.which("redis-server")


def require_redis_server():
    """Skip the test (fail it in CI) when `redis-server` is missing; else its path."""
    binary = redis_server_binary()
    if binary is None:
        reason = f"needs redis-server at {REDIS_SERVER} (apt-get install redis-server)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return binary


def for_this_worker(url):
    """A Redis `url` of this pytest-xdist worker's own: its database number plus the worker's
    number (gw1 → one up), so that two workers never take each other's tasks."""
    if WORKER is None:
        return url
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + int(WORKER.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{database}"))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent():
    """In the child: get SIGTERM if the test process dies, so no server outlives it."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class RedisServer:
    """`redis-server` on 127.0.0.1 and a port of its own; `stop()` and `start()` keep the port."""

    def __init__(self, binary=None, port=None):
        self.binary = binary or require_redis_server()
        self.port = port or free_port()
        self.process = None
        self._dir = tempfile.TemporaryDirectory(prefix="jazari-redis-")

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=10.0):
        if self.process is not None:
            return self
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", self._dir.name,
                "--logfile", os.path.join(self._dir.name, "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not self.ping():
            if self.process.poll() is not None:
                log = self.log()
                self.process = None
                raise RuntimeError(f"redis-server exited on port {self.port}:\n{log}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not answer on port {self.port}")
            time.sleep(0.05)
        return self

    def stop(self, timeout=10.0):
        """Stop the server and wait until its port refuses connections."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)
        self.process = None

    def close(self):
        self.stop()
        self._dir.cleanup()

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def log(self):
        with contextlib.suppress(OSError), open(os.path.join(self._dir.name, "redis.log")) as f:
            return f.read()
        return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.close()


def reset_broker_connections(app):
    """Forget the Celery app's pooled broker connections (they point at the previous URL)."""
    with contextlib.suppress(Exception):
        if app._pool is not None:
            app._pool.force_close_all()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    with contextlib.suppress(Exception):
        pools.reset()


@contextlib.contextmanager
def celery_on_broker(settings, app, url):
    """Tasks go to the broker at `url` instead of running inline, for one test.

    `settings` is pytest-django's fixture. The Celery app reads Django's settings live, but
    values set on `app.conf` itself and the `CELERY_BROKER_URL` environment variable (set in
    CI) take precedence, so all three point at `url` until the end, then are put back.
    """
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # The embedded worker must leave pytest's logging alone.
    settings.CELERY_WORKER_HIJACK_ROOT_LOGGER = False
    overridden = {"broker_url": url, "task_always_eager": False}
    changes = app.conf.changes
    saved = {key: changes[key] for key in overridden if key in changes}
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    changes.update(overridden)
    reset_broker_connections(app)
    forget_broker_failures()  # no back-off left over from another test
    try:
        yield
    finally:
        for key in overridden:
            changes.pop(key, None)
        changes.update(saved)
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        reset_broker_connections(app)
        forget_broker_failures()


class TaskWatcher:
    """What the embedded worker finished: (task name, return value, state), in order.

    Waiting on this rather than polling the database keeps the test's thread off SQLite while
    the worker's thread writes to it (they share one in-memory database).
    """

    def __init__(self):
        self.finished = []
        self._changed = threading.Condition()

    def __enter__(self):
        task_postrun.connect(self._on_postrun, weak=False)
        return self

    def __exit__(self, *exc_info):
        task_postrun.disconnect(self._on_postrun)

    def _on_postrun(self, sender=None, retval=None, state=None, **kwargs):
        with self._changed:
            self.finished.append((sender.name, retval, state))
            self._changed.notify_all()

    def results(self, name):
        with self._changed:
            return [retval for task, retval, _state in self.finished if task == name]

    def wait_for(self, name, count=1, timeout=20.0):
        """Wait until `count` runs of task `name` have finished; their return values."""
        with self._changed:
            done = self._changed.wait_for(
                lambda: sum(1 for task, *_rest in self.finished if task == name) >= count,
                timeout=timeout,
            )
        if not done:
            raise AssertionError(
                f"{name} did not finish {count} time(s) within {timeout} s: {self.finished}"
            )
        return self.results(name)
