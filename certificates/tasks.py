"""Celery tasks for certificates: ids in, objects re-fetched, safe to run twice.

- `issue_certificate_task` issues an enrolment's certificate of a kind (completion unless told)
  and renders its PDF; `certificates.receivers` queues it once an enrolment's completion
  commits.
- `issue_attendance_certificates` (beat, every fifteen minutes) issues the certificates of
  attendance of the sessions that ended in the last thirty days, to the learners present at
  one meeting at least who have none yet; it is its own catch-up.
- `render_certificate_pdf` renders the PDF of a certificate issued or re-issued elsewhere.
- `issue_missing_certificates` (beat, every five minutes) catches up on what a broker outage
  left undone: completed enrolments that never had a certificate of completion, valid
  certificates without a PDF.

A certificate that was revoked is never issued again by these tasks: re-issuing is an editor's
decision, in the admin.
"""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from certificates import services
from certificates.models import Certificate, CertificateKind
from enrolments.models import Attendance, Enrolment, EnrolmentStatus
from enrolments.states import ATTENDED
from jazari.queuing import queue

logger = logging.getLogger("jazari.certificates")

# Left to the task queued on commit for this long before the catch-up queues it again.
CATCH_UP_GRACE = timedelta(minutes=5)
# How far back the attendance certificates look: sessions ended since.
ATTENDANCE_WINDOW = timedelta(days=30)


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def issue_certificate_task(self, enrolment_id, kind=CertificateKind.COMPLETION.value):
    """Issue the enrolment's certificate of `kind` and its PDF; the code, or None if none is due.

    Running it again returns the same certificate (see `services.issue_certificate`).
    """
    try:
        certificate = services.issue_certificate(enrolment_id, kind=kind, render_pdf=False)
    except services.CertificateError as error:  # not due (any more), or gone
        logger.info("No %s certificate for enrolment %s: %s", kind, enrolment_id, error.code)
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


def never_certified(kind):
    """Enrolments without a certificate of `kind`, valid or revoked (for `Exists`)."""
    return ~Exists(Certificate.objects.filter(enrolment=OuterRef("pk"), kind=kind))


def attendance_due(now, limit):
    """Ids of enrolments owed a certificate of attendance at `now`: present at one meeting at
    least of a session that ended in the last thirty days, never given one."""
    present = Attendance.objects.filter(enrolment=OuterRef("pk"), present=True)
    return list(
        Enrolment.objects.filter(
            status__in=ATTENDED,
            session__ends_at__lte=now,
            session__ends_at__gt=now - ATTENDANCE_WINDOW,
        )
        .filter(Exists(present), never_certified(CertificateKind.ATTENDANCE))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


@shared_task(name="certificates.issue_attendance_certificates")
def issue_attendance_certificates(now=None, limit=500):
    """Issue the certificates of attendance now due (`attendance_due`); how many were issued.

    Each in a transaction of its own, its PDF rendered by a task after commit; running it
    again issues nothing more. Beyond `limit`, the next run carries on.
    """
    if isinstance(now, str):  # from beat or the command line, serialised
        now = parse_datetime(now)
    now = now if isinstance(now, datetime) else timezone.now()
    issued = 0
    for enrolment_id in attendance_due(now, limit):
        try:
            services.issue_certificate(enrolment_id, kind=CertificateKind.ATTENDANCE, now=now)
        except services.CertificateError as error:  # changed since the query
            logger.info("No attendance certificate for enrolment %s: %s", enrolment_id, error.code)
            continue
        issued += 1
    return issued


@shared_task
def issue_missing_certificates(limit=200):
    """Queue what the broker missed; returns how many tasks were queued.

    A completed enrolment whose certificates of completion were all revoked is not given a new
    one: only enrolments that never had one are. Certificates of attendance are
    `issue_attendance_certificates`'s, which catches up by itself.
    """
    before = timezone.now() - CATCH_UP_GRACE
    enrolments = list(
        Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED, updated_at__lte=before)
        .filter(never_certified(CertificateKind.COMPLETION))
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
