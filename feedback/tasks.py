"""Celery tasks for feedback.

- `request_feedback` (beat, every hour) owes each learner who attended a session that has
  ended the email asking for feedback, from 09:00 on the day after their last attended meeting
  (`feedback.services.requests_due`). The email goes through the enrolments' outbox, under one
  key per enrolment: owed once, sent once, never lost while the broker is down, and running the
  task again owes nothing new.
"""

from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from enrolments.models import NotificationKind
from enrolments.outbox import notify
from feedback import services


@shared_task(name="feedback.request_feedback")
def request_feedback(now=None):
    """Owe the feedback request to every learner due one at `now`; returns how many."""
    if isinstance(now, str):  # from beat or the command line, serialised
        now = parse_datetime(now)
    now = now if isinstance(now, datetime) else timezone.now()
    due = services.requests_due(now)
    for enrolment in due:
        with transaction.atomic():
            notify(
                NotificationKind.FEEDBACK_REQUEST,
                enrolment,
                key=services.request_key(enrolment.pk),
            )
    return len(due)
