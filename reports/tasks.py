"""Celery tasks of the programme's exports: ids in, the job re-read, safe to run twice.

- `run_export` writes an export job's file (`reports.exports.run_job`); queued when the job's
  row commits (`reports.receivers`). A storage out of reach is retried a few times, the job
  back in the queue meanwhile; any other error marks the job failed, with a message for the
  person who asked.
- `requeue_export_jobs` (beat, every five minutes) queues again the jobs a broker outage or
  a dead worker left behind.
- `purge_export_jobs` (beat, hourly) deletes expired jobs and their files.
"""

import logging

from celery import shared_task
from django.utils.translation import gettext_noop

from jazari.queuing import queue
from jazari.storage import is_storage_unavailable
from reports import exports

logger = logging.getLogger("jazari.reports")

# Kept untranslated in the job and translated where it is shown, in the reader's language.
FAILED_MESSAGE = gettext_noop(
    "The export could not be written. Start it again, or ask an administrator."
)


@shared_task(
    name="reports.run_export", bind=True, max_retries=3, default_retry_delay=60, acks_late=True
)
def run_export(self, job_id):
    """Write the job's file; "done", or None when there was nothing (left) to do."""
    try:
        return exports.run_job(job_id)
    except Exception as exc:
        if is_storage_unavailable(exc):
            exports.release_job(job_id)  # queued again: retried here, or by the catch-up
            if self.request.is_eager:
                logger.warning("Export job %s left to the catch-up: storage unavailable", job_id)
                return None
            if self.request.retries < self.max_retries:
                raise self.retry(exc=exc) from exc
        logger.exception("Export job %s failed", job_id)
        exports.fail_job(job_id, FAILED_MESSAGE)
        return None


@shared_task(name="reports.requeue_export_jobs")
def requeue_export_jobs(limit=100):
    """Queue again the jobs whose task was lost; how many were queued."""
    ids = list(exports.stranded_jobs().order_by("pk").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if queue(run_export, pk, force=True))


@shared_task(name="reports.purge_export_jobs")
def purge_export_jobs():
    """Delete expired jobs and their files; how many were deleted."""
    return exports.purge_expired()
