"""After organisers publish a course, its sessions' enrolments follow what they changed."""

import logging

from django.db import transaction
from wagtail.signals import page_published

from courses.models import CoursePage, Session
from enrolments.services.sessions import sync_session
from enrolments.tasks import sync_session_task
from jazari.errors import Busy
from jazari.queuing import queue

logger = logging.getLogger("jazari.enrolments")


def sync_published_sessions(sender, instance, revision=None, **kwargs):
    """More seats promote the waiting list, new dates tell learners, cancelling cancels.

    Done once the publication commits; a session whose lock is busy at that moment (learners
    enrolling) is left to a task that tries again, so publishing never fails for it.
    """
    user = getattr(revision, "user", None)
    session_ids = list(Session.objects.filter(course_id=instance.pk).values_list("pk", flat=True))

    def sync():
        for session_id in session_ids:
            try:
                sync_session(session_id, actor=user)
            except Busy:
                logger.warning("session %s busy after publishing: synced by a task", session_id)
                queue(sync_session_task, session_id, getattr(user, "pk", None))

    transaction.on_commit(sync)


page_published.connect(sync_published_sessions, sender=CoursePage)
