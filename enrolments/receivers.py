"""After organisers publish a course, its sessions' enrolments follow what they changed; after
they unpublish it, its learners awaiting a session are told."""

import logging

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from courses.models import CoursePage, Session
from enrolments.permissions import VIEW_LEARNERS
from enrolments.services.sessions import sync_session, tell_course_unpublished
from enrolments.tasks import sync_session_task
from institutes.models import InstitutePage
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


def tell_learners_course_unpublished(sender, instance, **kwargs):
    """The course is no longer listed: learners awaiting its sessions get one email each.

    Owed in the unpublishing's transaction, sent once it commits (`enrolments.outbox`).
    """
    tell_course_unpublished(instance)


page_unpublished.connect(tell_learners_course_unpublished, sender=CoursePage)


@receiver(post_save, sender=InstitutePage)
def institute_editors_see_learners(sender, instance, raw=False, **kwargs):
    """An institute's editors group opens the Enrolments and Certificates areas
    (`VIEW_LEARNERS`); what they then see is scoped by `enrolments.permissions`."""
    if raw or not instance.editors_id:
        return
    app_label, codename = VIEW_LEARNERS.split(".")
    instance.editors.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    )
