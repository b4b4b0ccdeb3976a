"""The catalogue under load through gunicorn: wrk, or a Python load generator when wrk is
missing, in rounds over all the URLs; and how busy the machine was without that load."""

import http.client
import json
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from bench.catalogue.pages import with_nocache
from bench.common import ROOT, percentile

BENCH_DIR = ROOT / "bench"


@dataclass
class Load:
    """What the load generator saw for one URL."""

    requests: int
    seconds: float
    rps: float
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int  # connection errors, timeouts and responses with a status of 400 or more


def cpu_busy(seconds=1.0):
    """Percentage of the machine's CPU in use over `seconds` (None off Linux), taken while the
    benchmark itself is idle: how much a neighbour may be skewing the figures."""

    def sample():
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values), idle

    try:
        total_1, idle_1 = sample()
        time.sleep(seconds)
        total_2, idle_2 = sample()
    except OSError:
        return None
    total = total_2 - total_1
    return round(100 * (total - (idle_2 - idle_1)) / total, 1) if total else None


def status_of(url):
    """Status of one GET, redirects not followed (a 3xx would be measured as a success)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_wrk(url, seconds, connections, miss=False):
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--script",
        str(BENCH_DIR / "wrk_report.lua"),
        url,
    ]
    if miss:
        command += ["--", "miss", str(time.time_ns())]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    elapsed = data["duration_us"] / 1e6
    errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
    return Load(
        requests=data["requests"],
        seconds=round(elapsed, 2),
        rps=round(data["requests"] / elapsed, 1),
        mean_ms=round(data["mean_us"] / 1000, 1),
        p50_ms=round(data["p50_us"] / 1000, 1),
        p95_ms=round(data["p95_us"] / 1000, 1),
        p99_ms=round(data["p99_us"] / 1000, 1),
        errors=errors,
    )


def run_python(url, seconds, connections, miss=False):
    """wrk's job with http.client in threads: fewer requests per second than wrk can drive,
    but the same for every URL in a run, so the ratios still hold."""
    from itertools import count
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    run, numbers = time.time_ns(), count()  # next() on a count is atomic under the GIL
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        mine, failed, conn = [], 0, None
        while time.perf_counter() < deadline:
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                started = time.perf_counter()
                conn.request(
                    "GET", with_nocache(target, f"{run}-{next(numbers)}") if miss else target
                )
                response = conn.getresponse()
                response.read()
                mine.append(time.perf_counter() - started)
                if response.status >= 400:
                    failed += 1
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                failed += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile_ms(p):
        return round(percentile(latencies, p) * 1000, 1) if latencies else 0.0

    return Load(
        requests=len(latencies),
        seconds=round(elapsed, 2),
        rps=round(len(latencies) / elapsed, 1),
        mean_ms=round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
        p50_ms=percentile_ms(50),
        p95_ms=percentile_ms(95),
        p99_ms=percentile_ms(99),
        errors=errors[0],
    )


GENERATORS = {"wrk": run_wrk, "python": run_python}


def measure_under_load(base_url, rows, options):
    """Each row's URL through the server at `base_url`: checked for a 200 and warmed up, then
    loaded in rounds; `row.load` gets the combined figures."""
    for row in rows:
        status = status_of(base_url + row.url)
        if status != 200:
            print(f"   warning: {row.url} answers {status} through gunicorn")
        options.load(base_url + row.url, options.warmup, options.connections, row.miss)
    # Rounds over all the URLs rather than one long run each: a neighbour's burst of CPU
    # then weighs on every URL alike instead of on one.
    loads = {id(row): [] for row in rows}
    for _round in range(options.rounds):
        for row in rows:
            seconds = options.duration / options.rounds
            loads[id(row)].append(
                options.load(base_url + row.url, seconds, options.connections, row.miss)
            )
    for row in rows:
        row.load = combine(loads[id(row)])
        print(
            f"   {row.label:<24} {row.load.rps:>8.1f} req/s  p50 {row.load.p50_ms:>7.1f} ms"
            f"  p95 {row.load.p95_ms:>7.1f} ms  {row.queries} queries"
        )


def combine(loads):
    """One Load from several rounds; percentiles are averaged weighted by requests, which is
    close to, not exactly, the percentile of all the requests together."""
    requests = sum(load.requests for load in loads)
    seconds = sum(load.seconds for load in loads)

    def weighted(name):
        if not requests:
            return 0.0
        return round(sum(getattr(load, name) * load.requests for load in loads) / requests, 1)

    return Load(
        requests=requests,
        seconds=round(seconds, 2),
        rps=round(requests / seconds, 1) if seconds else 0.0,
        mean_ms=weighted("mean_ms"),
        p50_ms=weighted("p50_ms"),
        p95_ms=weighted("p95_ms"),
        p99_ms=weighted("p99_ms"),
        errors=sum(load.errors for load in loads),
    )
