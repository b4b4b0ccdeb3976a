"""`/healthz` (liveness, touches nothing) and `/readyz` (database, broker, storage; 503 naming
what is down, within its time budget, even when a service hangs instead of refusing)."""

import contextlib
import logging
import os
import signal
import socket
import threading
import time
import uuid

import pytest
from django.core.files.storage import default_storage
from django.db import connections

from jazari import health
from jazari.storage import CONNECT_TIMEOUT, READ_TIMEOUT, RETRIES, StorageUnavailable, s3_storage
from tests.conftest import IN_CI
from tests.s3 import MotoServer

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"
LOCAL_REDIS = "redis://127.0.0.1:6379/15"


def listening(host, port):
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def celery_broker(settings, monkeypatch):
    """Point the Celery app at a real broker for one test, then put it back.

    Celery reads the CELERY_BROKER_URL environment variable before its configuration (CI
    sets it), so the variable is replaced too.
    """
    from jazari.celery import app

    previous = app.conf.broker_url

    def use(url):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = url
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        app.conf.broker_url = url

    yield use
    if previous:
        app.conf.broker_url = previous
    else:
        app.conf.changes.pop("broker_url", None)


@pytest.fixture(autouse=True)
def _no_probe_left_running():
    """A check's thread still hanging after a test would count as down in the next one."""
    yield
    for thread in list(health._still_running.values()):
        thread.join(10)


@pytest.fixture
def health_log():
    """The records `jazari.health` logs during the test (it does not propagate to the root)."""
    records = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = records.append
    logger = logging.getLogger("jazari.health")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


@contextlib.contextmanager
def silent_server():
    """A TCP server on a free loopback port that accepts connections and never says a word:
    what a hung service looks like from outside. Yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for sock in accepted:
            sock.close()
        listener.close()


@pytest.fixture(scope="module")
def private_moto():
    """A moto S3 server of this module's own: the tests stop it with SIGSTOP."""
    server = MotoServer().start()
    yield server
    with contextlib.suppress(ProcessLookupError):
        os.kill(server.process.pid, signal.SIGCONT)
    server.stop()


def assert_nothing_private(body, *secrets):
    """The public answer names no host, port, bucket or error."""
    for secret in (*secrets, "127.0.0.1", "Error", "Timeout", "timed out"):
        assert str(secret) not in body, f"{secret!r} in the public answer: {body}"


@pytest.fixture
def media_root(settings):
    """Set MEDIA_ROOT and make sure the lazy default storage reads it again."""

    def use(path):
        settings.MEDIA_ROOT = str(path)
        # setting_changed clears FileSystemStorage's cached location; check it did.
        assert default_storage.location == os.path.abspath(path)

    return use


# /healthz


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    """`/healthz` answers 200 `{"status": "ok"}` in JSON without a single SQL query."""
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_post(client):
    """`/healthz` only answers GET: a POST gets 405 with the allowed method."""
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


# /readyz


@pytest.mark.django_db
def test_readyz_is_ready_with_the_embedded_defaults(client):
    """With the test settings the database and storage are ok and the broker is "inline"."""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "inline", "storage": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_fails_and_logs_why(client, monkeypatch, health_log):
    """A database failure answers 503 naming "database"; the reason goes to the log only."""

    def broken(timeout):
        raise ConnectionError("could not connect to server at db.internal:5432")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "down": ["database"],
        "checks": {"database": "unavailable", "broker": "inline", "storage": "ok"},
    }
    assert "db.internal" not in response.content.decode()
    assert "ConnectionError" not in response.content.decode()
    (record,) = health_log
    assert record.levelname == "WARNING"
    assert "database" in record.getMessage()
    assert "could not connect to server at db.internal:5432" in record.getMessage()


@pytest.mark.django_db
@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod 0o500 (no DAC checks)")
def test_readyz_names_storage_when_media_root_is_read_only(client, tmp_path, media_root):
    """A MEDIA_ROOT the process cannot write to answers 503 naming "storage"."""
    read_only = tmp_path / "media"
    read_only.mkdir()
    read_only.chmod(0o500)
    try:
        media_root(read_only)
        response = client.get("/readyz")
    finally:
        read_only.chmod(0o700)
    assert response.status_code == 503
    assert response.json()["down"] == ["storage"]
    assert response.json()["checks"]["storage"] == "unavailable"


@pytest.mark.django_db
def test_readyz_names_storage_when_media_root_cannot_be_created(client, tmp_path, media_root):
    """A MEDIA_ROOT that cannot exist (under a file) answers 503 naming "storage", even as root."""
    a_file = tmp_path / "not-a-directory"
    a_file.write_text("")
    media_root(a_file / "media")
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["storage"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["storage"] == "unavailable"


def test_readyz_refuses_post(client):
    """`/readyz` only answers GET."""
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_readyz_names_an_unreachable_broker_within_seconds(client, celery_broker):
    """A Celery broker nobody listens on answers 503 naming "broker", in a few seconds."""
    celery_broker(UNREACHABLE_BROKER)
    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert body["checks"]["broker"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert elapsed < 10, f"/readyz took {elapsed:.1f}s with the broker down"


@pytest.mark.django_db
def test_readyz_reaches_a_real_redis_broker(client, celery_broker):
    """With the local Redis as broker, `/readyz` reports the broker "ok"."""
    if not listening("127.0.0.1", 6379):
        message = "needs Redis on 127.0.0.1:6379 (apt-get install redis-server)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    celery_broker(LOCAL_REDIS)
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {"database": "ok", "broker": "ok", "storage": "ok"}


def timed_readyz(client):
    started = time.monotonic()
    response = client.get("/readyz")
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_readyz_answers_within_its_budget_when_the_storage_hangs(
    client, settings, private_moto, health_log
):
    """S3 endpoint stopped (SIGSTOP: it accepts, never answers): 503 naming "storage" in about
    2 s, nothing private in the answer, the endpoint and bucket in the log; back once it is."""
    bucket = f"jazari-{uuid.uuid4().hex[:12]}"
    private_moto.client().create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES, "default": private_moto.storage_settings(bucket)}
    assert client.get("/readyz").json()["checks"]["storage"] == "ok"

    os.kill(private_moto.process.pid, signal.SIGSTOP)
    try:
        response, elapsed = timed_readyz(client)
    finally:
        os.kill(private_moto.process.pid, signal.SIGCONT)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "down": ["storage"],
        "checks": {"database": "ok", "broker": "inline", "storage": "unavailable"},
    }
    assert elapsed < 3, f"/readyz took {elapsed:.1f} s with the storage hung"
    assert_nothing_private(response.content.decode(), bucket, private_moto.port)
    (record,) = health_log
    assert record.levelname == "WARNING"
    assert bucket in record.getMessage()
    assert private_moto.endpoint_url in record.getMessage()
    health._still_running["storage"].join(5)  # the hung probe ends on its read timeout
    assert client.get("/readyz").status_code == 200


def test_the_app_s3_client_is_bounded_by_default():
    """The storage's own client (pages, downloads, uploads) has connect and read timeouts and
    one retry, never boto3's defaults (60 s reads, retried)."""
    config = s3_storage(bucket="b")["OPTIONS"]["client_config"]
    assert (config.connect_timeout, config.read_timeout) == (CONNECT_TIMEOUT, READ_TIMEOUT)
    assert config.retries == {"max_attempts": RETRIES, "mode": "legacy"}


@pytest.mark.django_db
def test_the_app_s3_client_gives_up_on_a_hung_storage_after_its_timeouts(settings, private_moto):
    """Reading from a stopped endpoint raises `StorageUnavailable` once the read timeout has run
    out on the first try and the one retry (1 s each here), not after minutes."""
    bucket = f"jazari-{uuid.uuid4().hex[:12]}"
    client = private_moto.client()
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="cover.txt", Body=b"cover")
    storage = private_moto.storage_settings(bucket, connect_timeout=1, read_timeout=1, retries=1)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    assert default_storage.open("cover.txt").read() == b"cover"

    os.kill(private_moto.process.pid, signal.SIGSTOP)
    started = time.monotonic()
    try:
        with pytest.raises(StorageUnavailable):
            default_storage.open("cover.txt").read()
    finally:
        os.kill(private_moto.process.pid, signal.SIGCONT)
    elapsed = time.monotonic() - started
    assert 1.5 < elapsed < 5, f"a read from a hung storage took {elapsed:.1f} s"


@pytest.mark.django_db
def test_readyz_answers_within_its_budget_when_the_broker_hangs(client, celery_broker, health_log):
    """A broker that accepts connections and never answers: 503 naming "broker" in about 2 s."""
    with silent_server() as port:
        celery_broker(f"redis://127.0.0.1:{port}/0")
        response, elapsed = timed_readyz(client)
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert response.json()["checks"]["database"] == "ok"
    assert elapsed < 3, f"/readyz took {elapsed:.1f} s with the broker hung"
    assert_nothing_private(response.content.decode(), port)
    (record,) = health_log
    assert f"127.0.0.1:{port}" in record.getMessage()


@pytest.mark.django_db
@pytest.mark.postgres
def test_readyz_answers_within_its_budget_when_the_database_hangs(client, monkeypatch, health_log):
    """A database host that accepts and never answers: 503 naming "database" in about 2 s.
    The probe connects from a thread of its own, so the request's connection is untouched."""
    with silent_server() as port:
        monkeypatch.setitem(connections.settings["default"], "HOST", "127.0.0.1")
        monkeypatch.setitem(connections.settings["default"], "PORT", str(port))
        response, elapsed = timed_readyz(client)
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]
    assert response.json()["checks"]["storage"] == "ok"
    assert elapsed < 3, f"/readyz took {elapsed:.1f} s with the database hung"
    assert_nothing_private(response.content.decode(), port)
    (record,) = health_log
    assert "database" in record.getMessage() and str(port) in record.getMessage()


@pytest.mark.django_db
def test_a_hung_check_is_not_started_again_while_it_hangs(client, settings, monkeypatch):
    """While a check's thread from an earlier probe still hangs, later probes answer at once
    without starting another; once it ends, the check runs again."""
    settings.READYZ_TIMEOUT_SECONDS = 0.3
    release, calls = threading.Event(), []

    def hanging(timeout):
        calls.append(timeout)
        release.wait(10)
        return "ok"

    monkeypatch.setitem(health.CHECKS, "storage", hanging)
    try:
        first, first_seconds = timed_readyz(client)
        second, second_seconds = timed_readyz(client)
    finally:
        release.set()
    assert (first.status_code, second.status_code) == (503, 503)
    assert second.json()["down"] == ["storage"]
    assert 0.3 <= first_seconds < 1.5
    assert second_seconds < 0.25, "the second probe waited for the hung check"
    assert calls == [0.3]
    health._still_running["storage"].join(5)
    assert client.get("/readyz").status_code == 200
    assert len(calls) == 2
