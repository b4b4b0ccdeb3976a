"""The object-storage configuration, shared by the settings and the tests.

Objects are private (no ACL is sent, URLs are presigned for five minutes), never
overwritten, and move in bounded pieces: uploads go up as multipart uploads of 8 MB parts
with at most two parts in memory (s3transfer reads a part whole before sending it; one
more may be read while it waits), and a file opened for reading spills to a temporary file
past 8 MB. That is what keeps a 1 GB file out of the web process's memory.

Every request to the endpoint is bounded: a connection in `connect_timeout` seconds, each
read of the answer in `read_timeout`, one retry (`retries`). An endpoint that hangs (accepts
the connection, then says nothing) ties a web worker for about 2 x (connect + read) seconds at
worst, never for the minutes of boto3's defaults.

When the endpoint can't be reached, `S3Storage` raises `StorageUnavailable`, an `OSError`:
Wagtail then treats a cover image it can't read as a missing file (a placeholder, not a 500),
and `is_storage_unavailable` lets a form or a middleware answer with a clear message.
"""

from urllib.parse import urlsplit

from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError
from storages.backends.s3 import S3Storage as BaseS3Storage

PART_SIZE = 8 * 1024 * 1024
PRESIGNED_URL_SECONDS = 300
# Seconds to connect, seconds to wait for each read of an answer, retries after the first try.
CONNECT_TIMEOUT = 2
READ_TIMEOUT = 5
RETRIES = 1


def transfer_config():
    config = TransferConfig(
        multipart_threshold=PART_SIZE,
        multipart_chunksize=PART_SIZE,
        max_concurrency=2,
        io_chunksize=256 * 1024,
    )
    # s3transfer reads each part into memory before sending it: no more parts in memory
    # than are being sent (bench/material.py: +48 MB peak with 4, +33 MB with 2 for 1 GB).
    config.max_in_memory_upload_chunks = 2
    return config


def s3_storage(
    *,
    bucket,
    endpoint_url=None,
    region="us-east-1",
    access_key=None,
    secret_key=None,
    connect_timeout=CONNECT_TIMEOUT,
    read_timeout=READ_TIMEOUT,
    retries=RETRIES,
):
    """A `STORAGES` entry for S3-compatible object storage."""
    return {
        "BACKEND": "jazari.storage.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "region_name": region,
            "access_key": access_key,
            "secret_key": secret_key,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": PRESIGNED_URL_SECONDS,
            "signature_version": "s3v4",
            "file_overwrite": False,
            "max_memory_size": PART_SIZE,
            "transfer_config": transfer_config(),
            # Non-AWS S3 servers reject boto3's default checksums (boto3 >= 1.36). With a
            # client_config, django-storages ignores `signature_version` above: repeat it here,
            # or presigned URLs fall back to SigV2 (`Expires=`, no X-Amz-Expires).
            "client_config": Config(
                signature_version="s3v4",
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                # botocore's legacy mode: `max_attempts` counts the retries after the first try.
                retries={"max_attempts": retries, "mode": "legacy"},
            ),
        },
    }


class StorageUnavailable(OSError):
    """The object storage did not answer (refused, timed out, cut, or a 5xx from the server)."""


def is_storage_unavailable(exc):
    """Whether `exc`, or an exception it was raised from, means the storage is out of reach."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (StorageUnavailable, BotoConnectionError, HTTPClientError)):
            return True
        if isinstance(exc, ClientError):
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
            if status >= 500:
                return True
        exc = exc.__cause__ or exc.__context__
    return False


class S3Storage(BaseS3Storage):
    """django-storages' S3 backend whose reads fail with `StorageUnavailable` when it is down."""

    def _open(self, name, mode="rb"):
        try:
            return super()._open(name, mode)
        except (BotoConnectionError, HTTPClientError, ClientError) as exc:
            if is_storage_unavailable(exc):
                raise StorageUnavailable(f"object storage unreachable: {exc}") from exc
            raise


def storage_origins(*, bucket, endpoint_url=None, region="us-east-1"):
    """The origins a browser loads presigned objects from (for the Content Security Policy).

    With an endpoint (SeaweedFS, MinIO…) URLs are path-style on it, or virtual-hosted under
    it; on AWS they are virtual-hosted on the bucket's global or regional name.
    """
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    return [f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{region}.amazonaws.com"]
