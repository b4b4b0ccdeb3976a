"""What the fault drills start, each on ports of its own and stopped at the end: moto's S3
server (`tests.s3`), a redis-server as the broker (`tests.redis_server`), the SMTP sink, a
Celery worker, and the environment every child shares (`bench.settings`: production's
behaviour, persistent database connections)."""

import os
import signal
import subprocess
import time
from pathlib import Path

from bench import common
from bench.common import RESULTS_DIR, ROOT, VENV_BIN

SETTINGS = "bench.settings"
BUCKET = "jazari-bench-faults"


def start_s3():
    from tests.s3 import MotoServer

    moto = MotoServer().start()
    moto.client().create_bucket(Bucket=BUCKET)
    return moto


def start_broker(port):
    from tests.redis_server import RedisServer

    return RedisServer(port=port).start()


def child_env(database_url, broker_url, moto, email_url, static_root, media_root):
    from tests.s3 import ACCESS_KEY, REGION, SECRET_KEY

    env = common.child_env(
        SETTINGS,
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        EMAIL_URL=email_url,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=moto.endpoint_url,
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_S3_REGION_NAME=REGION,
        BENCH_STATIC_ROOT=str(static_root),
        BENCH_MEDIA_ROOT=str(media_root),
        BENCH_CACHE_PREFIX="jazari-bench-faults",
    )
    env.pop("REDIS_URL", None)  # local-memory cache: nothing left in a shared Redis
    return env


class CeleryWorker:
    """`celery -A jazari worker`, one prefork child, in a process group of its own."""

    def __init__(self, env, name):
        self.env = env
        self.name = name
        self.log_path = RESULTS_DIR / f"faults-worker-{name}.log"
        self.process = None

    def start(self, timeout=30):
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "celery"), "-A", "jazari", "worker",
                "--loglevel", "info", "--concurrency", "1", "--pool", "prefork",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--hostname", f"faults-{self.name}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited: see {self.log_path}")
            if "ready." in Path(self.log_path).read_text(errors="replace") and self.children():
                return self
            time.sleep(0.2)
        raise RuntimeError(f"celery worker not ready in {timeout} s: see {self.log_path}")

    def children(self):
        """The pids of the worker's pool processes (the ones that run tasks)."""
        if self.process is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return sorted(pids)

    def kill_all(self):
        """SIGKILL the worker and its children at once: nothing gets to ack or reject."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._close()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._close()

    def _close(self):
        self.process = None
        log = getattr(self, "_log", None)
        if log is not None:
            log.close()
            self._log = None
