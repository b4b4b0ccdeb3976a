"""`/healthz` (liveness, touches nothing) and `/readyz` (database, broker, storage; 503 naming
what is down)."""

import os
import socket
import time

import pytest
from django.core.files.storage import default_storage

from jazari import health
from tests.conftest import IN_CI

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
def test_readyz_names_the_database_when_it_fails(client, monkeypatch):
    """A database failure answers 503 with "database" in `down` and the reason in `checks`."""

    def broken():
        raise ConnectionError("could not connect to server")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["down"] == ["database"]
    assert body["checks"]["database"].startswith("unavailable: ConnectionError")
    assert body["checks"]["storage"] == "ok"


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
    assert "not writable" in response.json()["checks"]["storage"]


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
    assert body["checks"]["storage"].startswith("unavailable: ")


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
    assert body["checks"]["broker"].startswith("unavailable: ")
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
