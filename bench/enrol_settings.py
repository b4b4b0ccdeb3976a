"""Settings for `bench/enrol.py`: production behaviour (DEBUG off, persistent database
connections) on PostgreSQL, serving the JSON API through gunicorn.

bench/enrol.py sets `DATABASE_URL` and `CELERY_BROKER_URL`: Redis when one answers (the
emails are queued there and no worker runs), else empty, and Celery then runs the sending
task inline in the request, as in `make run`. Either way no email leaves the machine or
reaches the console: the mail backend is Django's dummy one. Seeded cover images go to
`BENCH_MEDIA_ROOT` (under the system's temporary directory by default), not to `media/`.
"""

import tempfile
from pathlib import Path

from jazari.settings.base import *  # noqa: F403
from jazari.settings.base import INSTALLED_APPS, USING_POSTGRES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-only-insecure-key")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

if USING_POSTGRES and "django.contrib.postgres" not in INSTALLED_APPS:
    INSTALLED_APPS.append("django.contrib.postgres")

# The API renders no template and serves no static file: no collected manifest is needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(
    env("BENCH_MEDIA_ROOT", default=str(Path(tempfile.gettempdir()) / "jazari-bench-enrol-media"))
)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
