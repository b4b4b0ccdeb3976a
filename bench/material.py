"""`make bench`: a 1 GB course material through the web process, and what that costs it in memory.

The quality bar of the product brief: "Large material (1 GB) moves without the web process
holding it in memory", measured as the growth of the gunicorn worker's peak resident memory
(the kernel's high-water mark, `VmHWM` in /proc/<pid>/status) while a 1 GB file is uploaded
and downloaded: under 50 MB.

    .venv/bin/python bench/material.py                 # 1 GiB, 4 to 5 minutes with the setup
    .venv/bin/python bench/material.py --size-mb 256   # a smaller file
    .venv/bin/python bench/material.py --keep-db       # then --reuse-db: no migrate, no seed

Setup, all on loopback: moto's S3 server in a child process (`tests/s3.py`; it keeps the
objects in its own process, not the web process's), a fresh PostgreSQL database
(BENCH_MATERIAL_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_material),
`migrate`, `seed_demo --courses 5 --sessions-per-course 1 --learners 2`, `collectstatic`
(the admin's hashed static files, as in production), and gunicorn with ONE sync worker
(`--timeout 600`) on `bench.settings` (as bench/run.py: DEBUG off, production behaviour), its
default storage on the moto bucket through `AWS_*` variables (jazari/storage.py: 8 MB
multipart parts, at most two in memory). Celery's broker is Redis at BENCH_MATERIAL_REDIS_URL
(default redis://127.0.0.1:6379/15) with no worker running: the after-upload task (size,
SHA-256, page count) is queued, not run inline in the measured worker; the messages this run
queued are listed and removed at the end. `--broker inline` runs tasks in the web process
instead, as `make run` does.

The file is a real one-page PDF (header, catalogue, page, font, a text content stream, a
cross-reference table) whose bulk is one unreferenced stream object of random bytes, so it
passes the upload's content check (materials/validation.py) honestly. It is generated under
the system's temporary directory and removed at the end.

Steps: log in to the Wagtail admin (its login form, CSRF), warm the worker up (admin pages,
then a 16 MB upload and download: imports and clients that any first upload creates), reset
the worker's high-water mark (`echo 5 > /proc/<pid>/clear_refs`), upload the 1 GB file through
`/admin/documents/add/` as a browser would (multipart POST streamed from disk, with a
Content-Length), read the high-water mark, find the document, attach it to a course as
`Material(visibility="everyone")` through the ORM in a `manage.py shell` subprocess, reset
the mark, GET `/materials/<id>/download/` (must answer 302 to a presigned URL of the S3
endpoint), fetch that URL from S3 to nowhere, checking the byte count and SHA-256, and read
the mark again. A thread also samples the worker's VmRSS every 20 ms, which tells how much of
the peak came while Django was still receiving the body and how much after (hashing, the
content check, the S3 upload). Everything it started is stopped and removed on exit, on
error, on Ctrl-C and on SIGTERM. The exit status is 1 when a check fails or growth passes the
bar. Results: the terminal and bench/results/material.json. Its steps are in
bench/large_material/.
"""

import argparse
import functools
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    RESULTS_DIR,
    close_django_connections,
    drop_database,
    queue_length,
    queued_tasks,
    recreate_database,
    redis_answers,
    remove_queued_since,
    server_version,
    setup_django,
    stop_on_sigterm,
    write_results,
)
from bench.large_material import Failure  # noqa: E402
from bench.large_material.browser import login  # noqa: E402
from bench.large_material.data import ADMIN_PASSWORD, prepare_database  # noqa: E402
from bench.large_material.measure import move  # noqa: E402
from bench.large_material.memory import Sampler, only_worker, rss_mb  # noqa: E402
from bench.large_material.pdf import MB, write_pdf  # noqa: E402
from bench.large_material.report import BAR_MB, add_growth, print_report  # noqa: E402
from bench.large_material.servers import (  # noqa: E402
    SETTINGS,
    child_env,
    start_gunicorn,
    start_s3,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_material"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the file, MiB")
    parser.add_argument(
        "--warmup-mb", type=int, default=16, help="size of the warm-up upload, MiB (0: none)"
    )
    parser.add_argument("--broker", choices=["redis", "inline"], default="redis")
    parser.add_argument("--keep-db", action="store_true", help="leave the database behind")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="use the database and static files a --keep-db run left (no migrate, no seed)",
    )
    parser.add_argument(
        "--upload-only", action="store_true", help="stop after the upload (no download half)"
    )
    return parser.parse_args()


def main():
    options = parse_args()
    stop_on_sigterm()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_MATERIAL_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("BENCH_MATERIAL_REDIS_URL", DEFAULT_REDIS_URL)
    version = server_version(database_url)
    if options.broker == "redis" and not redis_answers(redis_url):
        sys.exit(
            f"bench: no Redis answers at {redis_url}; start it, set BENCH_MATERIAL_REDIS_URL, "
            "or run with --broker inline (tasks then run in the measured worker)"
        )
    broker_url = redis_url if options.broker == "redis" else ""
    size = options.size_mb * MB

    # tests/s3.py (MotoServer) imports the test suite's modules, which need Django set up.
    setup_django({"DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url})
    import requests

    work = Path(tempfile.mkdtemp(prefix="jazari-bench-material-"))
    static_root = Path(tempfile.gettempdir()) / "jazari-bench-material-static"
    moto = server = sampler = None
    database_created = False
    queued_before = None
    failure = None
    results = {
        "benchmark": "1 GB course material through the web process: memory of the worker",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": version,
            "kernel": platform.release(),
        },
        "settings": {
            "django_settings": SETTINGS,
            "gunicorn": "1 sync worker, --timeout 600",
            "storage": "S3 (moto_server on loopback), jazari/storage.py transfer settings",
            "celery_broker": (
                f"{redis_url} (tasks queued, no worker: not run in the web process)"
                if broker_url
                else "none: tasks run inline in the web process"
            ),
            "file": f"{options.size_mb} MiB PDF (one page + a stream of random bytes)",
        },
        "bar_mb": BAR_MB,
    }
    print(f"PostgreSQL {version}; Celery broker: {results['settings']['celery_broker']}")
    try:
        moto = start_s3()
        env = child_env(database_url, broker_url, moto, static_root, work / "media")
        # Seeding runs its tasks inline: no demo email is queued on the bench's broker.
        seed_env = {**env, "CELERY_BROKER_URL": ""}
        started = time.perf_counter()
        if options.reuse_db:
            options.keep_db = True
        else:
            recreate_database(database_url)
        database_created = True
        prepare_database(options, env, seed_env, static_root)
        print(f"setup: migrate, collectstatic, seed_demo {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        big = work / "jazari-bench-material.pdf"
        sha256 = write_pdf(big, size)
        print(
            f"wrote {size:,} bytes ({options.size_mb} MiB PDF) in "
            f"{time.perf_counter() - started:.1f} s: {big}"
        )
        small = None
        if options.warmup_mb:
            small = work / "jazari-bench-warmup.pdf"
            small_sha256 = write_pdf(small, options.warmup_mb * MB)

        if broker_url:
            queued_before = queue_length(broker_url)
        server = start_gunicorn(env)
        pid = only_worker(server)
        results["worker_rss_at_start_mb"] = round(rss_mb(pid), 1)
        sampler = Sampler(pid)
        sampler.start()

        session = requests.Session()
        login(session, server.base_url, ADMIN_PASSWORD)
        for url in ("/admin/", "/admin/documents/", "/admin/documents/add/"):
            session.get(server.base_url + url, timeout=60)
        results["rss_after_admin_warmup_mb"] = round(rss_mb(pid), 1)

        move_file = functools.partial(
            move,
            session,
            server,
            env,
            moto.endpoint_url,
            pid=pid,
            sampler=sampler,
            download_too=not options.upload_only,
        )
        if small is not None:
            label = f"warm-up {options.warmup_mb} MiB"
            warm = move_file(small, options.warmup_mb * MB, small_sha256, label=label)
            results["warmup"] = warm
            print(
                f"warm-up {options.warmup_mb} MiB upload and download: peak "
                f"{warm['peak_upload_mb']:.1f} / {warm['peak_download_mb']} MB from "
                f"{warm['rss_before_upload_mb']:.1f} MB"
            )

        baseline = rss_mb(pid)
        results["baseline_rss_mb"] = round(baseline, 1)
        print(f"uploading {options.size_mb} MiB through /admin/documents/add/ …")
        phase = move_file(big, size, sha256, label=f"{options.size_mb} MiB")
        results["material"] = phase
        add_growth(results, phase, baseline)
        if broker_url:
            new = queue_length(broker_url) - queued_before
            results["celery_tasks_queued"] = queued_tasks(broker_url, new)
    except Failure as exc:
        failure = str(exc)
        results["failure"] = failure
    finally:
        # Each step on its own: one that fails must not leave the others' processes behind.
        steps = []
        if sampler is not None:
            steps.append(sampler.stop)
        if server is not None:
            steps.append(server.stop)
        if broker_url and queued_before is not None:
            steps.append(lambda: remove_queued_since(broker_url, queued_before))
        if moto is not None:
            steps.append(moto.stop)
        if database_created and not options.keep_db:
            steps.append(close_django_connections)
            steps.append(lambda: drop_database(database_url))
            steps.append(lambda: shutil.rmtree(static_root, ignore_errors=True))
        steps.append(lambda: shutil.rmtree(work, ignore_errors=True))
        for step in steps:
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - cleaning up: report and go on
                print(f"bench: cleaning up: {exc!r}")
        if sampler is not None:
            results["rss_samples"] = len(sampler.samples)

    print_report(results)
    path = write_results("material.json", results)
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return 1 if failure or not results.get("met") else 0


if __name__ == "__main__":
    sys.exit(main())
