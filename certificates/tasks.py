"""Celery tasks for certificates: ids in, objects re-fetched, safe to run twice.

- `issue_certificate_task` issues the certificate of a completed enrolment and renders its
  PDF; `certificates.receivers` queues it once an enrolment's completion commits.
- `render_certificate_pdf` renders the PDF of a certificate issued or re-issued elsewhere.
- `issue_missing_certificates` (beat, every five minutes) catches up on what a broker outage
  left undone: completed enrolments that never had a certificate, valid certificates without
  a PDF.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from enrolments.models import Enrolment, EnrolmentStatus
from jazari.queuing import queue

logger = logging.getLogger("jazari.certificates")

# Left to the task queued on commit for this long before the catch-up queues it again.
CATCH_UP_GRACE = timedelta(minutes=5)


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def issue_certificate_task(self, enrolment_id):
    """Issue the completed enrolment's certificate and its PDF; the code, or None if none is due.

    Running it again returns the same certificate (see `services.issue_certificate`).
    """
    try:
        certificate = services.issue_certificate(enrolment_id, render_pdf=False)
    except services.CertificateError as error:  # not completed (any more), or gone
        logger.info("No certificate for enrolment %s: %s", enrolment_id, error.code)
        return None
    _render(self, certificate.pk)
    return certificate.code


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def render_certificate_pdf(self, certificate_id):
    """Render and store the PDF of a certificate that has none yet."""
    if not Certificate.objects.filter(pk=certificate_id).exists():
        return None
    _render(self, certificate_id)
    return certificate_id


def _render(task, certificate_id):
    try:
        services.attach_pdf(certificate_id)
    except Exception as exc:  # storage unreachable, say: the certificate stands, retry the PDF
        if task.request.is_eager:  # inline (`make run`, tests): downloads render it on demand
            logger.exception("PDF of certificate %s not rendered", certificate_id)
            return
        raise task.retry(exc=exc) from exc


@shared_task
def issue_missing_certificates(limit=200):
    """Queue what the broker missed; returns how many tasks were queued.

    A completed enrolment whose certificates were all revoked is not given a new one: only
    enrolments that never had a certificate are.
    """
    before = timezone.now() - CATCH_UP_GRACE
    enrolments = list(
        Enrolment.objects.filter(
            status=EnrolmentStatus.COMPLETED, updated_at__lte=before, certificates__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    without_pdf = list(
        Certificate.objects.valid()
        .filter(pdf="", issued_at__lte=before)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    queued = sum(1 for pk in enrolments if queue(issue_certificate_task, pk, force=True))
    return queued + sum(1 for pk in without_pdf if queue(render_certificate_pdf, pk, force=True))
