"""Hundreds of learners enrolling at once through gunicorn: plain asyncio clients, one HTTP/1.1
connection per request (`Connection: close`), so the benchmark needs no package beyond the
project's; and what each round of replies says."""

import asyncio
import json
import statistics
import time
from collections import Counter

from bench.common import percentile


async def post(port, path, token, timeout):
    """(status, parsed JSON body or None, seconds); status 0 for a connection error/timeout."""
    started = time.perf_counter()
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nAccept: application/json\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            raw = await reader.read()  # to the end: the server closes the connection
        status, body = parse_response(raw)
    except (OSError, TimeoutError, ValueError, IndexError):
        status, body = 0, None
    finally:
        if writer is not None:
            writer.close()
    return status, body, time.perf_counter() - started


def parse_response(raw):
    head, _sep, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {
        name.strip().lower(): value.strip()
        for name, _colon, value in (line.partition(":") for line in lines[1:])
    }
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = dechunk(body)
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, None


def dechunk(data):
    out = bytearray()
    while data:
        size_line, _sep, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return bytes(out)


async def load_round(port, session_id, tokens, timeout):
    """Every token enrols at once; (replies in token order, seconds from first send to last
    reply). Replies still missing when `timeout` passes count as status 0."""
    path = f"/api/v1/sessions/{session_id}/enrol/"
    started = time.perf_counter()
    tasks = [asyncio.create_task(post(port, path, token, timeout)) for token in tokens]
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    elapsed = time.perf_counter() - started
    replies = [task.result() if task in done else (0, None, timeout) for task in tasks]
    return replies, elapsed


def run_load(port, session_id, tokens, timeout):
    return asyncio.run(load_round(port, session_id, tokens, timeout))


def summarise_round(replies, elapsed):
    statuses = Counter(status for status, _body, _seconds in replies)
    latencies = sorted(seconds for status, _body, seconds in replies if status)
    bodies = [body for status, body, _seconds in replies if status in (200, 201) and body]

    def percentile_ms(p):
        return round(percentile(latencies, p) * 1000, 1) if latencies else None

    created = statuses.get(201, 0)
    return {
        "requests": len(replies),
        "seconds": round(elapsed, 3),
        "created": created,
        "enrolments_per_second": round(created / elapsed, 1) if elapsed else 0.0,
        "requests_per_second": round(len(replies) / elapsed, 1) if elapsed else 0.0,
        "statuses": {str(status): n for status, n in sorted(statuses.items())},
        "errors": {
            str(status): n for status, n in sorted(statuses.items()) if status not in (200, 201)
        },
        "confirmed": sum(1 for body in bodies if body.get("status") == "confirmed"),
        "waitlisted": sum(1 for body in bodies if body.get("status") == "waitlisted"),
        "latency_ms": {
            "mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
            "p50": percentile_ms(50),
            "p95": percentile_ms(95),
            "max": round(latencies[-1] * 1000, 1) if latencies else None,
        },
    }


def summarise_repeats(first, again, elapsed):
    """Round 2, in which every learner enrols again: each must get 200 and round 1's enrolment."""
    summary = summarise_round(again, elapsed)
    first_ids = [body.get("id") if body else None for _s, body, _t in first]
    again_ids = [body.get("id") if body else None for _s, body, _t in again]
    summary["same_enrolment_as_round_1"] = sum(
        1 for a, b in zip(first_ids, again_ids, strict=True) if a is not None and a == b
    )
    summary["all_200"] = summary["statuses"] == {"200": len(again)}
    return summary


def warm_up(port, session_id, tokens, timeout):
    """Every worker imports, connects and serves a few enrolments first, into another session."""
    warm, _seconds = run_load(port, session_id, tokens, timeout)
    warm_errors = sum(1 for status, _b, _s in warm if status != 201)
    if warm_errors:
        print(f"   warning: {warm_errors} of {len(warm)} warm-up enrolments failed")
        print(f"   first reply: {warm[0][:2]}")
    return warm
