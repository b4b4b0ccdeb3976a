"""After an upload: what the file really is, recorded on the document.

`inspect_document` streams the stored object once, in chunks, to count its bytes and compute
its SHA-256; a PDF is spooled to a temporary file on the way so pypdf can count its pages, in a
child process with bounded memory and CPU time (`materials.pdfpages`). The task itself has a
Celery time limit.
It takes an id, re-fetches the document and writes its results only if the file is still the
one it read, so it is safe to run twice or late. `inspect_unchecked_documents` (beat) queues
it again for documents a broker outage left unchecked.
"""

import hashlib
import logging
import tempfile
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from jazari.queuing import queue
from jazari.storage import StorageUnavailable, is_storage_unavailable
from materials.models import JazariDocument
from materials.pdfpages import count_pages

logger = logging.getLogger("jazari.materials")

CHUNK_SIZE = 1024 * 1024
# Past this age a document still unchecked missed its task (broker down at upload time).
UNCHECKED_GRACE = timedelta(minutes=10)
SWEEP_BATCH = 100
INSPECT_SOFT_TIME_LIMIT = 15 * 60


def iter_chunks(file, chunk_size=CHUNK_SIZE):
    """The stored file's bytes in chunks, streamed straight from S3 when it is there.

    django-storages would download the whole object into a temporary file before the first
    read; a ranged streaming GET does not.
    """
    storage = file.storage
    if hasattr(storage, "bucket_name") and hasattr(storage, "connection"):
        key = storage._normalize_name(file.name)
        body = storage.connection.meta.client.get_object(Bucket=storage.bucket_name, Key=key)[
            "Body"
        ]
        try:
            yield from body.iter_chunks(chunk_size)
        finally:
            body.close()
        return
    with storage.open(file.name, "rb") as handle:
        yield from handle.chunks(chunk_size)


def count_pdf_pages(path):
    """Pages of a PDF, or None when pypdf can't read it (encrypted, damaged) within the
    limits: counted in a child process (`materials.pdfpages`)."""
    return count_pages(
        path,
        memory_mb=settings.MATERIAL_PDF_INSPECT_MEMORY_MB,
        cpu_seconds=settings.MATERIAL_PDF_INSPECT_SECONDS,
    )


def measure(document):
    """(size in bytes, SHA-256 hex digest, page count or None) of the document's file."""
    digest, size = hashlib.sha256(), 0
    is_pdf = document.file_extension.lower() == "pdf"
    with tempfile.NamedTemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as spool:
        for chunk in iter_chunks(document.file):
            digest.update(chunk)
            size += len(chunk)
            if is_pdf:
                spool.write(chunk)
        pages = None
        if is_pdf:
            spool.flush()
            pages = count_pdf_pages(spool.name)
    return size, digest.hexdigest(), pages


@shared_task(
    bind=True,
    autoretry_for=(StorageUnavailable,),
    retry_backoff=30,
    max_retries=5,
    acks_late=True,
    # Streaming a 1 GB file from S3 and hashing it takes a minute or two; past these the task
    # is stopped (the document stays unchecked, and the beat sweep tries it again later).
    soft_time_limit=INSPECT_SOFT_TIME_LIMIT,
    time_limit=INSPECT_SOFT_TIME_LIMIT + 60,
)
def inspect_document(self, document_id):
    """Record the size, SHA-256 and (PDF) page count of one document; "checked", "gone"."""
    document = JazariDocument.objects.filter(pk=document_id).first()
    if document is None or not document.file:
        return "gone"
    try:
        size, sha256, pages = measure(document)
    except Exception as exc:
        if is_storage_unavailable(exc):
            raise StorageUnavailable(str(exc)) from exc
        raise
    # Only if the file is still the one measured: a replacement has its own task.
    JazariDocument.objects.filter(pk=document_id, file=document.file.name).update(
        file_size=size, sha256=sha256, page_count=pages, checked_at=timezone.now()
    )
    return "checked"


@shared_task
def inspect_unchecked_documents():
    """Queue `inspect_document` for documents left unchecked; returns how many."""
    ids = list(
        JazariDocument.objects.filter(
            checked_at__isnull=True, created_at__lt=timezone.now() - UNCHECKED_GRACE
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(1 for document_id in ids if queue(inspect_document, document_id, force=True))
