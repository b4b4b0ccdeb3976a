"""HTTP for the fault drills: timed GETs and POSTs with `http.client` (a fresh connection each,
as separate visitors), page loaders in threads, a `/readyz` prober, and their figures."""

import http.client
import json
import threading
import time
from collections import Counter

from bench.common import percentile


def request(port, method, path, token=None, timeout=30):
    """(status, headers, body bytes, seconds); status 0 for a connection error or a timeout."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Accept": "application/json"} if path.startswith("/api/") else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=b"" if method == "POST" else None, headers=headers)
        reply = conn.getresponse()
        body = reply.read()
        return reply.status, dict(reply.getheaders()), body, time.perf_counter() - started
    except (OSError, http.client.HTTPException):
        return 0, {}, b"", time.perf_counter() - started
    finally:
        conn.close()


def get(port, path, timeout=30):
    return request(port, "GET", path, timeout=timeout)


def json_body(body):
    try:
        return json.loads(body)
    except ValueError:
        return None


class Loader:
    """`clients` threads that GET `paths` in turn until stopped; every reply is recorded as
    (path, status, seconds). `{n}` in a path becomes a new number each time (a cache miss)."""

    def __init__(self, port, paths, clients=2):
        self.port, self.paths, self.clients = port, paths, clients
        self.replies = []
        self._stop = threading.Event()
        self._threads = []
        self._counter = 0
        self._lock = threading.Lock()

    def __enter__(self):
        for _ in range(self.clients):
            thread = threading.Thread(target=self._run, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _run(self):
        turn = 0
        while not self._stop.is_set():
            with self._lock:
                self._counter += 1
                number = self._counter
            path = self.paths[turn % len(self.paths)].replace("{n}", str(number))
            turn += 1
            status, _headers, _body, seconds = get(self.port, path)
            with self._lock:
                self.replies.append((path, status, seconds))


class Prober(threading.Thread):
    """GET /readyz every `period` seconds, as an orchestrator does: (status, seconds, body)."""

    def __init__(self, port, period=1.0):
        super().__init__(daemon=True)
        self.port, self.period = port, period
        self.replies = []
        self._stopping = threading.Event()

    def run(self):
        while not self._stopping.is_set():
            started = time.monotonic()
            status, _headers, body, seconds = get(self.port, "/readyz", timeout=60)
            self.replies.append((status, seconds, json_body(body)))
            self._stopping.wait(max(0.0, self.period - (time.monotonic() - started)))

    def stop(self):
        self._stopping.set()
        self.join()


def latency_summary(replies):
    """Requests, failures (status 0 or >= 400, by status), p50, p95, max in ms."""
    seconds = sorted(s for _path, status, s in replies if status)
    statuses = Counter(status for _path, status, _s in replies)

    def ms(value):
        return round(value * 1000, 1)

    return {
        "requests": len(replies),
        "failures": {str(s): n for s, n in sorted(statuses.items()) if s == 0 or s >= 400},
        "p50_ms": ms(percentile(seconds, 50)) if seconds else None,
        "p95_ms": ms(percentile(seconds, 95)) if seconds else None,
        "max_ms": ms(seconds[-1]) if seconds else None,
    }
