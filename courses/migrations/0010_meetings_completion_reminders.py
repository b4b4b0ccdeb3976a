"""Meetings, the completion rule per course, reminders per session.

Every existing session gets its meetings, as `courses.meetings` would write them from an empty
schedule: one per day from its first day to its last (one for a one-day session).
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

from courses.schedule import default_meetings


def add_meetings(apps, schema_editor):
    Session = apps.get_model("courses", "Session")
    Meeting = apps.get_model("courses", "Meeting")
    sessions = Session.objects.filter(meetings__isnull=True).only("starts_at", "ends_at")
    batch = []
    for session in sessions.iterator(chunk_size=2000):
        batch.extend(
            Meeting(session_id=session.pk, starts_at=slot.starts_at, ends_at=slot.ends_at)
            for slot in default_meetings(session.starts_at, session.ends_at)
        )
        if len(batch) >= 2000:
            Meeting.objects.bulk_create(batch)
            batch = []
    Meeting.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0009_instructor_user'),
    ]

    operations = [
        migrations.AddField(
            model_name='coursepage',
            name='completion_automatic',
            field=models.BooleanField(default=False, help_text='When a session ends, learners meeting the rule are marked completed at once. Otherwise they are proposed to the editors, who confirm them in one action.', verbose_name='complete automatically'),
        ),
        migrations.AddField(
            model_name='coursepage',
            name='completion_threshold',
            field=models.PositiveSmallIntegerField(default=75, help_text="Share of a session's meetings a learner must attend to complete it (at least one).", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='attendance needed to complete (%)'),
        ),
        migrations.AddField(
            model_name='session',
            name='reminders',
            field=models.CharField(blank=True, default='7d, 1d', help_text='How long before the start learners are reminded, in days (d) or hours (h), for example 7d, 1d. Empty: no reminder.', max_length=60, verbose_name='reminders'),
        ),
        migrations.AddField(
            model_name='session',
            name='schedule',
            field=models.TextField(blank=True, help_text="One line per meeting: the day, the start and the end, for example 10/03/2027 09:00-12:30. Empty: one meeting per day from the first day to the last, at the session's start and end times.", verbose_name='meetings'),
        ),
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_at', models.DateTimeField(verbose_name='starts at')),
                ('ends_at', models.DateTimeField(verbose_name='ends at')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='courses.session', verbose_name='session')),
            ],
            options={
                'verbose_name': 'meeting',
                'verbose_name_plural': 'meetings',
                'ordering': ['starts_at', 'pk'],
                'indexes': [models.Index(fields=['session', 'starts_at'], name='meeting_session_start')],
                'constraints': [models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='meeting_ends_after_start')],
            },
        ),
        migrations.RunPython(add_meetings, migrations.RunPython.noop),
    ]
