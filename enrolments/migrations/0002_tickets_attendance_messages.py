"""Tickets, attendance per meeting, organisers' messages, and what the outbox's new emails need.

Existing enrolments get a ticket each. Attendance recorded before meetings existed becomes
attendance at every meeting of the session: present for attended and completed enrolments,
absent for no-shows (what `enrolments.services.attendance.mark` records today).
"""

import django.db.models.deletion
import django.utils.timezone
import enrolments.tickets
from django.conf import settings
from django.db import migrations, models

from enrolments.tickets import new_ticket


def give_tickets(apps, schema_editor):
    Enrolment = apps.get_model("enrolments", "Enrolment")
    batch = []
    taken = set()
    for enrolment in Enrolment.objects.filter(ticket__isnull=True).only("pk").iterator(
        chunk_size=2000
    ):
        ticket = new_ticket()
        while ticket in taken:
            ticket = new_ticket()
        taken.add(ticket)
        enrolment.ticket = ticket
        batch.append(enrolment)
        if len(batch) >= 2000:
            Enrolment.objects.bulk_update(batch, ["ticket"])
            batch = []
    Enrolment.objects.bulk_update(batch, ["ticket"])


def attendance_from_statuses(apps, schema_editor):
    Enrolment = apps.get_model("enrolments", "Enrolment")
    Meeting = apps.get_model("courses", "Meeting")
    Attendance = apps.get_model("enrolments", "Attendance")
    enrolments = Enrolment.objects.filter(
        status__in=["attended", "completed", "no_show"]
    ).only("pk", "session_id", "status", "updated_at")
    meetings = {}
    for meeting in Meeting.objects.filter(
        session__in=enrolments.values("session_id")
    ).only("pk", "session_id"):
        meetings.setdefault(meeting.session_id, []).append(meeting.pk)
    batch = []
    for enrolment in enrolments.iterator(chunk_size=2000):
        for meeting_id in meetings.get(enrolment.session_id, []):
            batch.append(
                Attendance(
                    enrolment_id=enrolment.pk,
                    meeting_id=meeting_id,
                    present=enrolment.status != "no_show",
                    recorded_at=enrolment.updated_at,
                    method="admin",
                )
            )
        if len(batch) >= 2000:
            Attendance.objects.bulk_create(batch)
            batch = []
    Attendance.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0010_meetings_completion_reminders'),
        ('enrolments', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='enrolment',
            name='ticket',
            field=models.CharField(editable=False, max_length=11, null=True, verbose_name='ticket'),
        ),
        migrations.RunPython(give_tickets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='enrolment',
            name='ticket',
            field=models.CharField(default=enrolments.tickets.new_ticket, editable=False, max_length=11, unique=True, verbose_name='ticket'),
        ),
        migrations.AddField(
            model_name='notification',
            name='data',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('confirmed', 'Enrolment confirmed'), ('waitlisted', 'On the waiting list'), ('promoted', 'Seat freed: enrolment confirmed'), ('cancelled', 'Enrolment cancelled'), ('session_changed', 'Session changed'), ('session_cancelled', 'Session cancelled'), ('reminder', 'Reminder'), ('course_unpublished', 'Course withdrawn'), ('message', 'Message from the organisers'), ('feedback_request', 'How was it?'), ('certificate_ready', 'Certificate ready')], max_length=30),
        ),
        migrations.CreateModel(
            name='SessionMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('audience', models.CharField(choices=[('confirmed', 'Learners holding a seat'), ('waitlisted', 'Learners on the waiting list'), ('attended', 'Learners who attended'), ('all', 'Everyone enrolled or waiting')], max_length=20, verbose_name='to')),
                ('subject', models.CharField(max_length=150, verbose_name='subject')),
                ('body', models.TextField(max_length=5000, verbose_name='message')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='sent at')),
                ('recipients', models.PositiveIntegerField(default=0, verbose_name='recipients')),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='courses.session', verbose_name='session')),
            ],
            options={
                'verbose_name': 'message to participants',
                'verbose_name_plural': 'messages to participants',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='notification',
            name='message',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='enrolments.sessionmessage'),
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('present', models.BooleanField(verbose_name='present')),
                ('checked_in_at', models.DateTimeField(blank=True, null=True, verbose_name='checked in at')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                ('method', models.CharField(choices=[('check_in', 'Check-in'), ('list', 'Participant list'), ('admin', 'Admin')], max_length=20, verbose_name='recorded by way of')),
                ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='enrolments.enrolment', verbose_name='enrolment')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendances', to='courses.meeting', verbose_name='meeting')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'attendance',
                'verbose_name_plural': 'attendance',
                'ordering': ['meeting__starts_at', 'pk'],
                'indexes': [models.Index(fields=['meeting', 'present'], name='attendance_meeting')],
                'constraints': [models.UniqueConstraint(fields=('enrolment', 'meeting'), name='one_attendance_per_meeting')],
            },
        ),
        migrations.RunPython(attendance_from_statuses, migrations.RunPython.noop),
    ]
