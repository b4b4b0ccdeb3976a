"""No database connection to be had: every page and API URL answers 503 with `Retry-After`,
never a 500, and the site recovers on its own once a connection is free again.

The site connects as a PostgreSQL role limited to one connection while another client holds
that one ("too many connections for role"), or through Django's connection pool of one
connection that the test holds (`psycopg_pool.PoolTimeout`). The error comes from the session
middleware, before any view; `jazari.middleware.server_error` turns it into the 503.
"""

import contextlib
import uuid

import psycopg
import pytest
from django.db import OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client
from psycopg import sql

from jazari.errors import UNAVAILABLE_RETRY_AFTER_SECONDS, is_busy, is_database_unavailable

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGE, API = "/", "/api/v1/skills/"


def admin_conninfo():
    params = connection.get_connection_params()
    return psycopg.conninfo.make_conninfo(
        **{k: v for k, v in params.items() if k in ("dbname", "user", "password", "host", "port")}
    )


@pytest.fixture
def client():
    """A test client that answers what the site answers instead of raising its exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def limited_role():
    """A role of this test that may hold one connection, with the rights of the site's user."""
    name = f"jazari_limited_{uuid.uuid4().hex[:10]}"
    role = sql.Identifier(name)
    with psycopg.connect(admin_conninfo(), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN CONNECTION LIMIT 1").format(role))
        admin.execute(sql.SQL("GRANT ALL ON ALL TABLES IN SCHEMA public TO {}").format(role))
        admin.execute(sql.SQL("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {}").format(role))
    yield name
    with psycopg.connect(admin_conninfo(), autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [name]
        )
        admin.execute(sql.SQL("DROP OWNED BY {}").format(role))
        admin.execute(sql.SQL("DROP ROLE {}").format(role))


@contextlib.contextmanager
def site_connects_as(user):
    """The site's connections log in as `user` until the block ends."""
    saved = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = user
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = saved


@contextlib.contextmanager
def site_pool(**options):
    """The site's connections come from Django's pool with `options` until the block ends."""
    saved = connection.settings_dict["OPTIONS"].get("pool")
    connection.close()
    connection.settings_dict["OPTIONS"]["pool"] = options
    try:
        yield connection.pool
    finally:
        connection.close()
        connection.close_pool()
        if saved is None:
            connection.settings_dict["OPTIONS"].pop("pool")
        else:
            connection.settings_dict["OPTIONS"]["pool"] = saved


def assert_unavailable(client):
    """The page and the API answer 503 with Retry-After and say so; /healthz still answers."""
    page = client.get(PAGE)
    assert page.status_code == 503, page.content[:500]
    assert page["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER_SECONDS)
    assert page["Content-Type"].startswith("text/html")
    assert "réessayez dans quelques secondes" in page.content.decode()  # French by default
    api = client.get(API)
    assert api.status_code == 503
    assert api["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER_SECONDS)
    assert api.json()["code"] == "unavailable"
    assert api.json()["detail"]
    assert client.get("/healthz").status_code == 200


def assert_available(client):
    assert client.get(PAGE).status_code == 200
    assert client.get(API).status_code == 200


def test_too_many_connections_answers_503_then_recovers(client, tree, limited_role):
    """The role's one connection held elsewhere: 503 + Retry-After for the page and the API,
    not 500; once it is released, the next requests answer 200 without a restart."""
    with site_connects_as(limited_role):
        held = psycopg.connect(admin_conninfo(), user=limited_role)
        try:
            assert_unavailable(client)
        finally:
            held.close()
        assert_available(client)


def test_pool_exhausted_answers_503_then_recovers(client, tree):
    """Django's pool of one connection, held by someone else: the wait ends after the pool's
    timeout with a 503, and once the connection is back the site answers 200 again."""
    with site_pool(min_size=1, max_size=1, timeout=0.5) as pool:
        pool.open()
        held = pool.getconn()
        try:
            assert_unavailable(client)
        finally:
            pool.putconn(held)
        assert_available(client)


def test_a_refused_connection_is_unavailability_a_cancelled_statement_is_not():
    """Refused at connect: "unavailable". A statement cancelled by its timeout: neither
    "unavailable" nor "busy", so it stays a 500 that gets looked at."""
    refused_wrapper = DatabaseWrapper({**connection.settings_dict, "PORT": "1"}, alias="refused")
    with pytest.raises(OperationalError) as refused:
        refused_wrapper.ensure_connection()
    assert is_database_unavailable(refused.value)

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '10ms'")
        with pytest.raises(OperationalError) as cancelled:
            cursor.execute("SELECT pg_sleep(1)")
        cursor.execute("RESET statement_timeout")
    assert not is_database_unavailable(cancelled.value)
    assert not is_busy(cancelled.value)
