"""Signal receivers: a new export job is queued for its task once its row commits; a deleted
job's file goes with it."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from jazari.queuing import queue_on_commit
from reports.models import ExportJob
from reports.tasks import run_export

logger = logging.getLogger("jazari.reports")


@receiver(post_save, sender=ExportJob)
def queue_new_job(sender, instance, created, raw=False, **kwargs):
    """A broker outage leaves the job queued; `reports.tasks.requeue_export_jobs` catches up."""
    if created and not raw:
        queue_on_commit(run_export, instance.pk)


@receiver(post_delete, sender=ExportJob)
def delete_file(sender, instance, **kwargs):
    """However the job goes (expired, its requester's account deleted), its file goes too,
    once the deletion commits."""
    if not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name

    def delete():
        try:
            storage.delete(name)
        except Exception:
            logger.warning("Export file %s not deleted", name, exc_info=True)

    transaction.on_commit(delete)
