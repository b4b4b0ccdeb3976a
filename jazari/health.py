"""Liveness and readiness endpoints for load balancers and orchestrators.

`/healthz` answers as long as the process serves requests and touches nothing else.
`/readyz` checks the database, the Celery broker and the object storage, each in a thread of
its own and all within `READYZ_TIMEOUT_SECONDS` (2 s), and answers 503 naming what is down:

    {"status": "unavailable", "down": ["storage"],
     "checks": {"database": "ok", "broker": "ok", "storage": "unavailable"}}

The answer never says more (no host, port, bucket or error text: anyone may ask); the
detail goes to the log (`jazari.health`, WARNING). A check that has not answered in time
counts as down; its thread is left to end on its own timeouts (the same budget for the
broker's and the storage's sockets and the database's `statement_timeout`; the database's
`connect_timeout`, 5 s, to connect), and is not started again while it runs: a hung service
never ties up the worker, and costs one thread per check and process however often probes come.
"""

import logging
import os
import threading
import time
from functools import lru_cache

from botocore.config import Config
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("jazari.health")

OK, INLINE, UNAVAILABLE = "ok", "inline", "unavailable"


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


# The checks: each takes its time budget in seconds (READYZ_TIMEOUT_SECONDS when not given),
# returns "ok" (or "inline") or raises.


def check_database(timeout=None):
    """`SELECT 1` on this thread's connection, closed (or given back to the pool) after: run it
    in a thread of its own, never on a request's connection."""
    timeout = timeout or settings.READYZ_TIMEOUT_SECONDS
    connection = connections["default"]  # this thread's: never a request's connection
    try:
        with transaction.atomic(using="default"), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)",
                    [f"{max(1, int(timeout * 1000))}ms"],
                )
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()
    return OK


def check_broker(timeout=None):
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return INLINE
    from jazari.celery import app

    timeout = timeout or settings.READYZ_TIMEOUT_SECONDS
    options = {
        **(app.conf.broker_transport_options or {}),
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
        "max_retries": 0,
    }
    with app.connection_for_write(transport_options=options) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0.2, timeout=timeout)
    return OK


@lru_cache(maxsize=8)
def _probe_client(storage_key, timeout):
    """An S3 client like the storage's, with `timeout` to connect and to read, no retry."""
    storage = default_storage._wrapped
    config = storage.client_config.merge(
        Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 0})
    )
    return storage._create_session().client(
        "s3",
        region_name=storage.region_name,
        use_ssl=storage.use_ssl,
        endpoint_url=storage.endpoint_url,
        config=config,
        verify=storage.verify,
    )


def check_storage(timeout=None):
    if getattr(default_storage, "bucket_name", None):  # S3-compatible storage
        storage = default_storage._wrapped
        key = (storage.endpoint_url, storage.bucket_name, storage.access_key, storage.region_name)
        client = _probe_client(key, timeout or settings.READYZ_TIMEOUT_SECONDS)
        try:
            client.head_bucket(Bucket=storage.bucket_name)
        except Exception as exc:
            raise ConnectionError(f"{_storage_target()}: {exc.__class__.__name__}: {exc}") from exc
        return OK
    location = default_storage.location
    os.makedirs(location, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise OSError(f"{location} is not writable")
    return OK


CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


# What each check talks to, for the log only.


def _database_target():
    db = settings.DATABASES["default"]
    return f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or '-'}/{db.get('NAME')}"


def _broker_target():
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(settings.CELERY_BROKER_URL or "inline")


def _storage_target():
    bucket = getattr(default_storage, "bucket_name", None)
    if bucket:
        return f"bucket {bucket} at {default_storage.endpoint_url or 'AWS'}"
    return str(default_storage.location)


TARGETS = {"database": _database_target, "broker": _broker_target, "storage": _storage_target}


def _run(check, timeout, outcome):
    try:
        outcome["result"] = check(timeout)
    except Exception as exc:  # any failure means "not ready"
        outcome["error"] = exc


# The thread of each check still running after its request gave up on it, in this process.
_still_running = {}
_still_running_lock = threading.Lock()


def run_checks(budget):
    """Every check at once in a thread of its own; `{name: (result, error)}` after `budget` s.

    A check whose thread from an earlier request is still running (its service hangs) is not
    started again: it is down until that thread ends, so a hung service costs one thread per
    check and process, however often the probes come.
    """
    started, running, results = time.monotonic(), {}, {}
    for name, check in CHECKS.items():
        with _still_running_lock:
            earlier = _still_running.get(name)
            if earlier is not None and earlier.is_alive():
                results[name] = (None, TimeoutError("the previous check has not answered yet"))
                continue
            outcome = {}
            thread = threading.Thread(
                target=_run, args=(check, budget, outcome), name=f"readyz-{name}", daemon=True
            )
            thread.start()
            _still_running[name] = thread
        running[name] = (thread, outcome)
    deadline = started + budget
    for name, (thread, outcome) in running.items():
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive() or not outcome:
            results[name] = (None, TimeoutError(f"no answer within {budget:g} s"))
        else:
            results[name] = (outcome.get("result"), outcome.get("error"))
    return {name: results[name] for name in CHECKS}


@never_cache
@require_GET
def readyz(request):
    checks, down = {}, []
    for name, (result, error) in run_checks(settings.READYZ_TIMEOUT_SECONDS).items():
        if error is None:
            checks[name] = result
            continue
        checks[name] = UNAVAILABLE
        down.append(name)
        try:
            target = TARGETS[name]()
        except Exception:  # noqa: BLE001 - the log line must not fail
            target = "?"
        logger.warning(
            "readyz: %s unavailable (%s): %s: %s",
            name,
            target,
            error.__class__.__name__,
            str(error)[:500],
        )
    if down:
        return JsonResponse({"status": UNAVAILABLE, "down": down, "checks": checks}, status=503)
    return JsonResponse({"status": OK, "checks": checks})
