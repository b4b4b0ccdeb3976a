"""`manage.py purge_accounts`: what Celery beat runs daily (`learners.purge`), by hand."""

from django.core.management.base import BaseCommand

from learners.purge import purge_accounts


class Command(BaseCommand):
    help = (
        "Delete accounts never confirmed (ACCOUNT_PURGE_UNVERIFIED_DAYS), warn then delete "
        "accounts unused for ACCOUNT_PURGE_INACTIVE_DAYS. Staff accounts are never touched; "
        "the history of deleted accounts is kept anonymised. Safe to run twice."
    )

    def handle(self, *args, **options):
        report = purge_accounts()
        self.stdout.write(
            f"{len(report.unverified_deleted)} unverified account(s) deleted, "
            f"{len(report.inactive_deleted)} inactive account(s) deleted, "
            f"{len(report.warned)} warned."
        )
