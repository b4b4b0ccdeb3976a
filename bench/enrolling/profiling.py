"""py-spy on every gunicorn worker during the first round (`--profile`): where the workers spend
their time, by the file of each sample's innermost frame and by the project's functions."""

import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

from bench.common import RESULTS_DIR, VENV_BIN


def start_profilers(server, seconds):
    """py-spy on every worker for `seconds`; [(pid, process, output path)]."""
    py_spy = shutil.which("py-spy") or str(VENV_BIN / "py-spy")
    if not Path(py_spy).exists():
        print("   --profile: py-spy is not installed (uv pip install py-spy); not profiling")
        return []
    profilers = []
    for pid in server.worker_pids():
        out = RESULTS_DIR / f"enrol-profile-{pid}.txt"
        command = [
            py_spy,
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(max(1, round(seconds))),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        profilers.append((pid, process, out))
    time.sleep(0.5)  # py-spy attaches
    return profilers


PROJECT_PACKAGES = ("learners/", "api/", "courses/", "home/", "jazari/")
# Where a sample's innermost frame is, by file: what the workers spend their time on.
LEAF_CATEGORIES = (
    (
        "waiting for PostgreSQL (queries, the session lock)",
        ("psycopg/connection.py", "psycopg/waiting"),
    ),
    ("psycopg, other", ("psycopg/",)),
    ("Django ORM: building SQL, making objects", ("django/db/",)),
    ("Celery, kombu, redis: queuing the email", ("celery/", "kombu/", "redis/")),
    ("Django REST framework", ("rest_framework/",)),
    ("Wagtail (audit log)", ("wagtail/",)),
    ("Django, other", ("django/",)),
    ("gunicorn", ("gunicorn/",)),
)


def summarise_profiles(profilers, top=20):
    """From py-spy's collapsed stacks ("frame;frame;… count", a frame being
    "function (file:line)"): the share of samples whose innermost frame is in each category,
    and the project's own functions that most samples were under."""
    leaves, inclusive, total = Counter(), Counter(), 0
    for _pid, process, out in profilers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        if not out.exists():
            continue
        for line in out.read_text().splitlines():
            stack, _sep, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            count = int(count)
            total += count
            frames = stack.split(";")
            leaf = frames[-1].rpartition("(")[2]
            category = next(
                (name for name, paths in LEAF_CATEGORIES if any(p in leaf for p in paths)),
                "other",
            )
            leaves[category] += count
            for frame in set(frames):
                function, _sep, where = frame.rpartition(" (")
                if where.startswith(PROJECT_PACKAGES):
                    inclusive[f"{function} ({where.split(':')[0]})"] += count
    return {
        "samples": total,
        "innermost_frame": leaves.most_common(),
        "project_functions": inclusive.most_common(top),
    }
