"""A real S3 endpoint for tests: `moto_server` over HTTP on a loopback port of its own.

`MotoServer` runs moto's standalone server in a child process (real HTTP, real boto3
requests, signatures and presigned URLs); `stop()` and `start()` keep the port, so a test
can take the storage away and bring it back. The `s3` fixture points Django's default
storage at a fresh bucket on the session's server for one test.
"""

import subprocess
import sys
import time
import uuid

import boto3
import pytest

from jazari.storage import s3_storage
from tests.redis_server import _die_with_parent, free_port

ACCESS_KEY = "jazari-test"
SECRET_KEY = "jazari-test-secret"
REGION = "us-east-1"


class MotoServer:
    def __init__(self):
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.client().list_buckets()
                return self
            except Exception:
                if self.process.poll() is not None:
                    raise RuntimeError("moto_server exited at start") from None
                time.sleep(0.2)
        raise RuntimeError(f"moto_server did not answer on {self.endpoint_url}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def storage_settings(self, bucket, **options):
        """A `STORAGES` entry on `bucket`; `options` as `s3_storage`'s (timeouts, retries)."""
        return s3_storage(
            bucket=bucket,
            endpoint_url=self.endpoint_url,
            region=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            **options,
        )


@pytest.fixture(scope="session")
def moto_server():
    server = MotoServer().start()
    yield server
    server.stop()


class S3Bucket:
    """The bucket a test's default storage writes to, read back with a plain boto3 client."""

    def __init__(self, server, name):
        self.server = server
        self.name = name
        self.client = server.client()

    def keys(self):
        listing = self.client.list_objects_v2(Bucket=self.name)
        return [item["Key"] for item in listing.get("Contents", [])]

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def acl_grants(self, key):
        return self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]


@pytest.fixture
def s3(moto_server, settings):
    """Django's default storage on a new, empty bucket of the session's moto server."""
    name = f"jazari-{uuid.uuid4().hex[:12]}"
    moto_server.client().create_bucket(Bucket=name)
    # Through pytest-django's `settings`, so the change is undone after the test in the
    # right order with any other setting the test changes.
    settings.STORAGES = {**settings.STORAGES, "default": moto_server.storage_settings(name)}
    return S3Bucket(moto_server, name)
