"""Certificates follow enrolments: a completed enrolment's certificate is issued by a task."""

from django.db import transaction
from django.dispatch import receiver

from certificates.tasks import queue_certificate
from enrolments.signals import enrolment_completed


@receiver(enrolment_completed, dispatch_uid="certificates-issue-on-completion")
def issue_on_completion(sender, enrolment, **kwargs):
    """Queue the certificate once the completion commits (a task: rendering takes a while)."""
    enrolment_id = enrolment.pk
    transaction.on_commit(lambda: queue_certificate(enrolment_id))
