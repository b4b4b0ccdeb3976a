"""Settings → Scheduled tasks: Celery beat's periodic tasks in the admin, for administrators
only; the listing's columns and the form's rules."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from tests.test_admin_enrolments import login_en
from tests.test_admin_permissions import editors_group, staff

INDEX = "/admin/scheduled_tasks/"


@pytest.fixture
def tasks(db):
    """Two tasks as beat writes them: reminders every 15 minutes, the purge at 03:00."""
    every_15 = IntervalSchedule.objects.create(every=900, period="seconds")
    at_three = CrontabSchedule.objects.create(minute="0", hour="3")
    return {
        "reminders": PeriodicTask.objects.create(
            name="send-reminders", task="enrolments.send_reminders", interval=every_15
        ),
        "purge": PeriodicTask.objects.create(
            name="purge-accounts", task="learners.purge_accounts", crontab=at_three
        ),
    }


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("admin", "admin@jazari.ma", "pw")


def edit_data(periodic, **changes):
    """The edit form's data for `periodic` as it is, with `changes` (None: left out)."""
    data = {
        "name": periodic.name,
        "task": periodic.task,
        "enabled": "on",
        "interval": str(periodic.interval_id or ""),
        "crontab": str(periodic.crontab_id or ""),
        "args": "[]",
        "kwargs": "{}",
        "description": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_administrators_list_the_tasks_with_schedule_state_and_last_run(client, admin, tasks):
    """Name, task, schedule, enabled, last run, runs; the settings menu offers the area."""
    login_en(client, admin)
    response = client.get(INDEX)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in soup.select("table thead th")]
    for heading in ("Name", "Task", "Schedule", "Enabled", "Last run", "Runs"):
        assert heading in headings, headings
    rows = {
        row.select_one("td").get_text(" ", strip=True).split()[0]: row.get_text(" ", strip=True)
        for row in soup.select("table tbody tr")
    }
    assert "every 15 minutes" in rows["send-reminders"] or "900" in rows["send-reminders"]
    assert "enrolments.send_reminders" in rows["send-reminders"]
    assert "0 3" in rows["purge-accounts"]
    home = client.get("/admin/").text
    assert INDEX in home and "Scheduled tasks" in home


def test_editors_and_staff_are_refused_whatever_their_permissions(client, tasks):
    """Even a group granted django-celery-beat's permissions opens nothing here."""
    group = editors_group("Operators who are not administrators")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="django_celery_beat"))
    user = staff("operator", group)
    login_en(client, user)
    pk = tasks["reminders"].pk
    for url in (INDEX, f"{INDEX}edit/{pk}/", f"{INDEX}new/", f"{INDEX}intervals/"):
        response = client.get(url)
        assert response.status_code == 403 or response.status_code == 302, url
    response = client.post(f"{INDEX}edit/{pk}/", edit_data(tasks["reminders"], enabled=None))
    assert response.status_code in (302, 403)
    assert PeriodicTask.objects.get(pk=pk).enabled
    assert INDEX not in client.get("/admin/").text


def test_the_group_editor_offers_no_scheduling_permission(client, admin):
    """Only administrators schedule: groups are not offered these models' permissions."""
    login_en(client, admin)
    response = client.get("/admin/groups/new/")
    assert response.status_code == 200
    assert "periodic task" not in response.text.lower()


def test_an_administrator_disables_a_task_and_changes_its_interval(client, admin, tasks):
    """The edit form saves the interval and the enabled flag."""
    login_en(client, admin)
    hourly = IntervalSchedule.objects.create(every=1, period="hours")
    task = tasks["reminders"]
    response = client.post(
        f"{INDEX}edit/{task.pk}/", edit_data(task, interval=str(hourly.pk), enabled=None)
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.interval, task.enabled) == (hourly, False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"crontab": "both"}, "Choose an interval or a crontab: one of them."),
        ({"interval": ""}, "Choose an interval or a crontab: one of them."),
        ({"task": "enrolments.no_such_task"}, "Select a valid choice."),
        ({"kwargs": "{not json"}, "Write a JSON object"),
        ({"args": '{"a": 1}'}, "Write a JSON list"),
    ],
)
def test_the_form_refuses_what_beat_could_not_run(client, admin, tasks, changes, message):
    """Exactly one schedule, a task the project has, JSON arguments."""
    login_en(client, admin)
    task = tasks["reminders"]
    if changes.get("crontab") == "both":
        changes["crontab"] = str(tasks["purge"].crontab_id)
    response = client.post(f"{INDEX}edit/{task.pk}/", edit_data(task, **changes))
    assert response.status_code == 400 or response.status_code == 200
    assert message in response.text
    task.refresh_from_db()
    assert task.interval.every == 900 and task.crontab is None


def test_the_task_choices_are_the_projects_tasks(client, admin, tasks):
    """The form offers the project's Celery tasks by name, Celery's own left out."""
    login_en(client, admin)
    soup = BeautifulSoup(client.get(f"{INDEX}new/").content, "html.parser")
    names = {option["value"] for option in soup.select("select[name=task] option")}
    assert {"enrolments.send_reminders", "enrolments.dispatch_pending"} <= names
    assert not any(name.startswith("celery.") for name in names)


def test_intervals_are_added_but_never_deleted(client, admin, tasks):
    """Deleting an interval would delete the tasks using it: administrators can't."""
    login_en(client, admin)
    response = client.post(f"{INDEX}intervals/new/", {"every": "5", "period": "minutes"})
    assert response.status_code == 302
    assert IntervalSchedule.objects.filter(every=5, period="minutes").exists()
    interval = tasks["reminders"].interval
    response = client.post(f"{INDEX}intervals/delete/{interval.pk}/")
    assert response.status_code in (302, 403)
    assert IntervalSchedule.objects.filter(pk=interval.pk).exists()
    assert PeriodicTask.objects.filter(pk=tasks["reminders"].pk).exists()
