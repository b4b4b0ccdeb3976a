"""Signal receivers: a new export job is queued for its task once its row commits."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from jazari.queuing import queue_on_commit
from reports.models import ExportJob
from reports.tasks import run_export


@receiver(post_save, sender=ExportJob)
def queue_new_job(sender, instance, created, raw=False, **kwargs):
    """A broker outage leaves the job queued; `reports.tasks.requeue_export_jobs` catches up."""
    if created and not raw:
        queue_on_commit(run_export, instance.pk)
