"""Signal receivers: inspect a document after its file changes; a collection per institute."""

from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from institutes.models import InstitutePage
from jazari.i18n import is_original
from jazari.queuing import queue_on_commit
from materials.collections import institute_collection
from materials.models import JazariDocument
from materials.tasks import inspect_document


@receiver(post_init, sender=JazariDocument)
def remember_file(sender, instance, **kwargs):
    instance._stored_file_name = instance.file.name if instance.file else ""


@receiver(post_save, sender=JazariDocument)
def inspect_new_file(sender, instance, created, raw=False, **kwargs):
    """Queue `inspect_document` once the save commits, when the file is new or replaced."""
    if raw or not instance.file:
        return
    if not created and instance.file.name == getattr(instance, "_stored_file_name", None):
        return
    instance._stored_file_name = instance.file.name
    # A broker outage must not undo the upload: the beat sweep queues it later.
    queue_on_commit(inspect_document, instance.pk)


@receiver(post_save, sender=InstitutePage)
def institute_collection_follows(sender, instance, raw=False, **kwargs):
    """Every institute has its documents' collection, named after it (after its original: a
    translation shares its original's collection)."""
    if raw or not is_original(instance):
        return
    institute_collection(instance)
