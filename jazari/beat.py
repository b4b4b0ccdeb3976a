"""Celery beat's schedule, kept in the database (django-celery-beat), where operators edit it.

`DatabaseScheduler` is django-celery-beat's, with one difference: the project's schedules
(`CELERY_BEAT_SCHEDULE` in the settings) are written into the database when beat starts only
where their row is missing. django-celery-beat's own scheduler writes them over their rows at
every start, so an operator's change of an interval or of a task's arguments in the admin
would be undone by the next deploy (celery/django-celery-beat#153); disabling a task survives
either way. To bring one task back to the project's schedule, or to apply a schedule changed in
the settings to an existing database, delete its row in the admin: beat writes it again when
it next starts.

A running beat reads the database again when a row changes (and every five minutes), so an
edit takes effect without restarting it.
"""

from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler as BeatDatabaseScheduler


class DatabaseScheduler(BeatDatabaseScheduler):
    """django-celery-beat's scheduler, writing the project's schedules only where missing."""

    def update_from_dict(self, mapping):
        present = set(
            PeriodicTask.objects.filter(name__in=list(mapping)).values_list("name", flat=True)
        )
        super().update_from_dict(
            {name: entry for name, entry in mapping.items() if name not in present}
        )
