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
from kombu import pools

from certificates import services
from certificates.models import Certificate
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services.notifications import POOL_TIMEOUT, PUBLISH_TRANSPORT_OPTIONS

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
    queued = sum(1 for pk in enrolments if _enqueue(issue_certificate_task, pk))
    return queued + sum(1 for pk in without_pdf if _enqueue(render_certificate_pdf, pk))


def queue_certificate(enrolment_id):
    """Queue `issue_certificate_task`; called once an enrolment's completion has committed."""
    return _enqueue(issue_certificate_task, enrolment_id)


def queue_pdf(certificate_id):
    return _enqueue(render_certificate_pdf, certificate_id)


def _enqueue(task, object_id):
    """Queue `task(object_id)`; True when queued (or run inline), False when left to catch up.

    Never raises and never holds up the request that completed the enrolment: one connection
    attempt with short timeouts (as for the learners' email); `issue_missing_certificates`
    does the retrying.
    """
    app = task.app
    try:
        if app.conf.task_always_eager:
            task.apply_async(args=[object_id])
        else:
            connection = app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS)
            with pools.connections[connection].acquire(block=True, timeout=POOL_TIMEOUT) as conn:
                task.apply_async(args=[object_id], connection=conn, retry=False)
    except Exception:
        logger.warning("%s(%s) not queued", task.name, object_id, exc_info=True)
        return False
    return True
