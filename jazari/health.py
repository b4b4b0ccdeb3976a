"""Liveness and readiness endpoints for load balancers and orchestrators.

`/healthz` answers as long as the process serves requests and touches nothing else.
`/readyz` checks the database, the Celery broker and the object storage, and answers 503
naming what is down.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker():
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return "inline"
    from jazari.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
    return "ok"


def check_storage():
    connection = getattr(default_storage, "connection", None)
    if connection is not None:  # S3-compatible storage: say which endpoint failed
        client = connection.meta.client
        try:
            client.head_bucket(Bucket=default_storage.bucket_name)
        except Exception as exc:
            where = f"bucket {default_storage.bucket_name} at {client.meta.endpoint_url}"
            raise ConnectionError(f"{where}: {exc.__class__.__name__}: {exc}") from exc
        return "ok"
    location = default_storage.location
    import os

    os.makedirs(location, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise OSError(f"{location} is not writable")
    return "ok"


CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


@never_cache
@require_GET
def readyz(request):
    results, down = {}, []
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure means "not ready"; say which and why
            results[name] = f"unavailable: {exc.__class__.__name__}: {exc}"[:300]
            down.append(name)
    if down:
        return JsonResponse(
            {"status": "unavailable", "down": down, "checks": results},
            status=503,
        )
    return JsonResponse({"status": "ok", "checks": results})
