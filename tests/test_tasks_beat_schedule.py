"""Celery beat's schedule lives in the database: the real scheduler writes the project's tasks
there when it starts, a running beat follows an administrator's edit in the admin, and the edit
outlives a restart of beat.

The scheduler commits and closes connections as beat does, hence real transactions here.
"""

from datetime import timedelta

import pytest
from celery.utils.imports import symbol_by_name
from django.conf import settings
from django.contrib.auth import get_user_model
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from jazari.celery import app
from tests.accounts import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EDIT = "/admin/scheduled_tasks/edit/{pk}/"


def start_beat():
    """The scheduler beat runs (`CELERY_BEAT_SCHEDULER`), as beat starts it."""
    scheduler_class = symbol_by_name(settings.CELERY_BEAT_SCHEDULER)
    assert issubclass(scheduler_class, DatabaseScheduler)
    return scheduler_class(app=app, lazy=False)


def run_every(scheduler, name):
    """How often the running scheduler runs task `name`; None if it doesn't."""
    entry = scheduler.schedule.get(name)
    return entry.schedule.run_every if entry is not None else None


def edit_in_the_admin(client, task, **changes):
    data = {
        "name": task.name,
        "task": task.task,
        "enabled": "on" if task.enabled else None,
        "interval": str(task.interval_id or ""),
        "crontab": str(task.crontab_id or ""),
        "args": task.args,
        "kwargs": task.kwargs,
        "description": task.description,
        **changes,
    }
    response = client.post(
        EDIT.format(pk=task.pk), {key: value for key, value in data.items() if value is not None}
    )
    assert response.status_code == 302, response.content[:2000]


def test_beat_writes_the_projects_schedule_into_the_database():
    """Every entry of CELERY_BEAT_SCHEDULE becomes an enabled row with its task and interval,
    and the running schedule is read from those rows."""
    assert not PeriodicTask.objects.exists()
    scheduler = start_beat()
    rows = {task.name: task for task in PeriodicTask.objects.select_related("interval")}
    assert set(settings.CELERY_BEAT_SCHEDULE) <= set(rows)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        row = rows[name]
        assert (row.task, row.enabled) == (entry["task"], True), name
        assert timedelta(**{row.interval.period: row.interval.every}) == timedelta(
            seconds=entry["schedule"]
        ), name
        assert run_every(scheduler, name) == timedelta(seconds=entry["schedule"]), name
    assert run_every(scheduler, "send-reminders") == timedelta(minutes=15)


def test_an_edit_in_the_admin_changes_the_schedule_and_outlives_a_restart(client):
    """Reminders every 5 minutes and the purge disabled, in the admin: the running beat follows,
    and a restarted beat keeps them (it writes only the rows that are missing)."""
    scheduler = start_beat()
    admin = get_user_model().objects.create_superuser("admin", "admin@jazari.ma", "pw")
    log_in(client, admin)
    every_5 = IntervalSchedule.objects.create(every=5, period="minutes")
    edit_in_the_admin(
        client, PeriodicTask.objects.get(name="send-reminders"), interval=str(every_5.pk)
    )
    edit_in_the_admin(client, PeriodicTask.objects.get(name="purge-accounts"), enabled=None)

    assert run_every(scheduler, "send-reminders") == timedelta(minutes=5)
    assert run_every(scheduler, "purge-accounts") is None  # disabled: not scheduled

    restarted = start_beat()
    assert run_every(restarted, "send-reminders") == timedelta(minutes=5)
    assert run_every(restarted, "purge-accounts") is None
    assert PeriodicTask.objects.get(name="send-reminders").interval == every_5


def test_a_deleted_task_comes_back_with_the_projects_schedule_at_the_next_start(client):
    """Deleting a row is how to go back to the project's schedule."""
    start_beat()
    task = PeriodicTask.objects.get(name="send-reminders")
    task.interval = IntervalSchedule.objects.create(every=2, period="hours")
    task.save()
    task.delete()
    restarted = start_beat()
    assert run_every(restarted, "send-reminders") == timedelta(minutes=15)
    assert PeriodicTask.objects.filter(name="send-reminders").count() == 1
