"""Learners' periodic tasks (Celery beat, `CELERY_BEAT_SCHEDULE`)."""

from celery import shared_task

from learners.purge import purge_accounts as purge


@shared_task(name="learners.purge_accounts")
def purge_accounts():
    """Daily: delete unverified accounts, warn then delete long-inactive ones (safe to rerun)."""
    report = purge()
    return {
        "unverified_deleted": len(report.unverified_deleted),
        "inactive_deleted": len(report.inactive_deleted),
        "warned": len(report.warned),
    }
