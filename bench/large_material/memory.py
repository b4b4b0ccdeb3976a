"""The gunicorn worker's memory, from /proc: resident size now, the kernel's high-water mark
(which can be reset), and a thread sampling the resident size every 20 ms."""

import threading
import time

from bench.large_material import check


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def rss_mb(pid):
    return status_kb(pid, "VmRSS") / 1024


def hwm_mb(pid):
    return status_kb(pid, "VmHWM") / 1024


def reset_hwm(pid):
    """Reset the kernel's peak resident size of `pid` to its current size (Linux >= 4.0).
    False when the kernel refuses: then only the sampler's peak is available."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as out:
            out.write("5")
        return True
    except OSError:
        return False


class Sampler(threading.Thread):
    """VmRSS of `pid` every `interval` seconds, as (monotonic time, MB)."""

    def __init__(self, pid, interval=0.02):
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.samples = []
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            try:
                self.samples.append((time.monotonic(), rss_mb(self.pid)))
            except (OSError, KeyError):
                return
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join(timeout=2)

    def peak(self, start=None, end=None):
        values = [
            mb
            for t, mb in self.samples
            if (start is None or t >= start) and (end is None or t <= end)
        ]
        return round(max(values), 1) if values else None


def only_worker(server):
    """The pid of `server`'s one worker, the process whose memory is measured."""
    import psutil

    workers = psutil.Process(server.process.pid).children()
    check(len(workers) == 1, f"expected one gunicorn worker, found {len(workers)}")
    return workers[0].pid
