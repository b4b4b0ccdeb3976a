"""The object-storage configuration, shared by the settings and the tests.

Objects are private (no ACL is sent, URLs are presigned for five minutes), never
overwritten, and move in bounded pieces: uploads go up as multipart uploads of 8 MB parts
with at most four parts in memory, and a file opened for reading spills to a temporary file
past 8 MB. That is what keeps a 1 GB file out of the web process's memory.
"""

from boto3.s3.transfer import TransferConfig
from botocore.config import Config

PART_SIZE = 8 * 1024 * 1024
PRESIGNED_URL_SECONDS = 300


def transfer_config():
    config = TransferConfig(
        multipart_threshold=PART_SIZE,
        multipart_chunksize=PART_SIZE,
        max_concurrency=2,
        io_chunksize=256 * 1024,
    )
    # s3transfer reads each part into memory before sending it; cap how many wait.
    config.max_in_memory_upload_chunks = 4
    return config


def s3_storage(*, bucket, endpoint_url=None, region="us-east-1", access_key=None, secret_key=None):
    """A `STORAGES` entry for S3-compatible object storage."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
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
            # Non-AWS S3 servers reject boto3's default checksums (boto3 >= 1.36).
            "client_config": Config(
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                connect_timeout=3,
                read_timeout=30,
                retries={"max_attempts": 2},
            ),
        },
    }
