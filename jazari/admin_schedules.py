"""The admin's "Scheduled tasks" (Settings menu): Celery beat's periodic tasks, for operators.

Beat keeps its schedule in the database (django-celery-beat, see `jazari.beat`): the project's
tasks are written there when beat starts, and administrators edit their interval or crontab,
disable them, or add others here; a running beat picks up a change within seconds. Each task
shows its schedule, whether it is enabled, when it last ran and how many times.

Administrators only, whatever permissions a group holds (`AdministratorsOnly`): a schedule
decides when learners are emailed and accounts are purged. Intervals and crontabs, which tasks
share, are added and changed from the tasks' listing; they are never deleted here (a task
using one would be deleted with it).
"""

import json

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from jazari.celery import app

NAMESPACE = "scheduled_tasks"


class AdministratorsOnly(ModelPermissionPolicy):
    """Every action for active administrators (but those `refused`), none for anyone else."""

    def __init__(self, model, refused=()):
        super().__init__(model)
        self.refused = frozenset(refused)

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser) and action not in self.refused

    def users_with_any_permission(self, actions):
        if not set(actions) - self.refused:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


def task_choices():
    """The Celery tasks beat may run: the project's, by name (Celery's own left out)."""
    app.loader.import_default_modules()
    names = sorted(name for name in app.tasks if not name.startswith("celery."))
    return [(name, name) for name in names]


class PeriodicTaskForm(WagtailAdminModelForm):
    """A task, its schedule (an interval or a crontab, one of them) and its arguments."""

    task = forms.ChoiceField(label=_("Task"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = task_choices()
        current = self.instance.task
        if current and current not in dict(choices):  # a task this code no longer has
            choices.append((current, current))
        self.fields["task"].choices = [("", "---------"), *choices]
        self.fields["interval"].help_text = _("Run every so often; or choose a crontab.")
        self.fields["crontab"].help_text = _("Run at set times; or choose an interval.")
        self.fields["args"].help_text = _("A JSON list, for example [] or [30].")
        self.fields["kwargs"].help_text = _('A JSON object, for example {} or {"limit": 500}.')

    def clean_args(self):
        return self._json("args", list, _("Write a JSON list, for example [] or [30]."))

    def clean_kwargs(self):
        return self._json(
            "kwargs", dict, _('Write a JSON object, for example {} or {"limit": 500}.')
        )

    def _json(self, name, kind, message):
        """The field's text if it is JSON of `kind` (empty is none), else `message`."""
        text = (self.cleaned_data.get(name) or "").strip() or ("[]" if kind is list else "{}")
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, kind):
            raise forms.ValidationError(message)
        return text

    def clean(self):
        data = super().clean()
        if bool(data.get("interval")) == bool(data.get("crontab")):
            raise forms.ValidationError(_("Choose an interval or a crontab: one of them."))
        return data


class PeriodicTaskIndexView(generic.IndexView):
    """The tasks, with their schedules read in the same query."""

    page_title = _("Scheduled tasks")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("interval", "crontab")

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            HeaderButton(
                _("Intervals"), url=reverse(f"{IntervalViewSet.name}:index"), icon_name="time"
            ),
            HeaderButton(
                _("Crontabs"), url=reverse(f"{CrontabViewSet.name}:index"), icon_name="date"
            ),
        ]


class NoGroupPermissions:
    """The group editor offers nothing for these models: only administrators use them."""

    def get_permissions_to_register(self):
        return Permission.objects.none()


class PeriodicTaskViewSet(NoGroupPermissions, ModelViewSet):
    """`/admin/scheduled_tasks/`: Celery beat's tasks, their schedules, enabled or not."""

    model = PeriodicTask
    name = NAMESPACE
    icon = "time"
    menu_label = _("Scheduled tasks")
    add_to_settings_menu = True
    menu_order = 900
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = PeriodicTaskIndexView
    search_fields = ["name", "task", "description"]
    list_filter = ["enabled", "task"]
    ordering = ["name"]
    list_display = [
        "name",
        Column("task", label=_("Task")),
        Column("scheduler", label=_("Schedule")),
        BooleanColumn("enabled", label=_("Enabled")),
        DateColumn("last_run_at", label=_("Last run")),
        Column("total_run_count", label=_("Runs")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("task"),
            FieldPanel("enabled"),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("interval"), FieldPanel("crontab")])],
                heading=_("Schedule"),
            ),
            FieldRowPanel([FieldPanel("args"), FieldPanel("kwargs")]),
            FieldPanel("one_off"),
            FieldPanel("description"),
        ],
        base_form_class=PeriodicTaskForm,
    )


class IntervalViewSet(NoGroupPermissions, ModelViewSet):
    """Intervals tasks run at ("every 15 minutes"), shared by the tasks that use them."""

    model = IntervalSchedule
    name = f"{NAMESPACE}_intervals"
    url_prefix = f"{NAMESPACE}/intervals"
    icon = "time"
    add_to_reference_index = False
    copy_view_enabled = False
    form_fields = ["every", "period"]
    list_display = ["__str__", "every", "period"]


class CrontabViewSet(NoGroupPermissions, ModelViewSet):
    """Crontabs ("at 03:00 every day"), shared by the tasks that use them."""

    model = CrontabSchedule
    name = f"{NAMESPACE}_crontabs"
    url_prefix = f"{NAMESPACE}/crontabs"
    icon = "date"
    add_to_reference_index = False
    copy_view_enabled = False
    form_fields = ["minute", "hour", "day_of_week", "day_of_month", "month_of_year", "timezone"]
    list_display = ["__str__", "timezone"]


# The policies, registered before anything asks Wagtail for one (jazari/wagtail_hooks.py).
POLICIES = {
    PeriodicTask: AdministratorsOnly(PeriodicTask),
    IntervalSchedule: AdministratorsOnly(IntervalSchedule, refused={"delete"}),
    CrontabSchedule: AdministratorsOnly(CrontabSchedule, refused={"delete"}),
}
VIEWSETS = (PeriodicTaskViewSet, IntervalViewSet, CrontabViewSet)
