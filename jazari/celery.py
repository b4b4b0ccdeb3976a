"""The Celery application. Tasks run inline when no broker is configured (`make run`)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jazari.settings.dev")

app = Celery("jazari")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
