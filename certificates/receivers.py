"""Certificates follow enrolments: a completed enrolment's certificate is issued by a task, and
every certificate issued has its PDF rendered by a task, once the change commits."""

from django.dispatch import receiver

from certificates.signals import certificate_issued
from certificates.tasks import issue_certificate_task, render_certificate_pdf
from enrolments.signals import enrolment_completed
from jazari.queuing import queue_on_commit


@receiver(enrolment_completed, dispatch_uid="certificates-issue-on-completion")
def issue_on_completion(sender, enrolment, **kwargs):
    """Queue the certificate once the completion commits (a task: rendering takes a while)."""
    queue_on_commit(issue_certificate_task, enrolment.pk)


@receiver(certificate_issued, dispatch_uid="certificates-render-pdf")
def render_pdf_later(sender, certificate, **kwargs):
    queue_on_commit(render_certificate_pdf, certificate.pk)
