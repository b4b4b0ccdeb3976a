"""After organisers publish a course, its sessions' enrolments follow what they changed."""

from django.db import transaction
from wagtail.signals import page_published

from courses.models import CoursePage, Session
from enrolments.services.sessions import sync_session


def sync_published_sessions(sender, instance, revision=None, **kwargs):
    """More seats promote the waiting list, new dates tell learners, cancelling cancels."""
    user = getattr(revision, "user", None)
    session_ids = list(Session.objects.filter(course_id=instance.pk).values_list("pk", flat=True))

    def sync():
        for session_id in session_ids:
            sync_session(session_id, actor=user)

    transaction.on_commit(sync)


page_published.connect(sync_published_sessions, sender=CoursePage)
