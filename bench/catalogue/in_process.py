"""Measurements in the benchmark's own process, through Django's test client against the
scenario's database: SQL queries, their time, the fastest lone request, EXPLAIN ANALYZE; and
the cache keys of each scenario."""

import os
import time

from bench.catalogue.pages import urls_for, with_nocache
from bench.catalogue.results import Row, find
from bench.common import RESULTS_DIR


def use_cache_prefix(prefix):
    """Cache keys of their own for this scenario, in this process and in the ones it starts."""
    from django.core.cache import caches

    os.environ["BENCH_CACHE_PREFIX"] = prefix
    caches["default"].key_prefix = prefix


def forget_cache_prefix(prefix):
    """Delete what the scenario left in Redis; a local-memory cache goes with its process."""
    from django.core.cache import caches

    cache = caches["default"]
    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is None:
        return
    redis = client(write=True)
    for key in redis.scan_iter(match=f"{prefix}:*", count=1000):
        redis.delete(key)


def measure_rows(scenario, result, course_url, explain_queries=False):
    """A row of `result` per measured URL, with its in-process figures; with `explain_queries`,
    the plans of the cache-miss requests' queries go to bench/results/explain-<scenario>.txt."""
    explain_file = None
    if explain_queries:
        explain_file = open(RESULTS_DIR / f"explain-{scenario.name}.txt", "w")  # noqa: SIM115
    try:
        for label, url, miss in urls_for(scenario, course_url):
            row = Row(scenario.name, result.sessions, label, url, miss=miss)
            explain_this = explain_file if miss else None
            row.status, row.queries, row.sql_ms, row.best_ms = measure_in_process(
                url, explain_this, miss=miss
            )
            if row.status != 200:
                print(f"   warning: {url} answers {row.status} in-process")
            result.rows.append(row)
        cached = find([result], scenario.name, "catalogue", loaded=False)
        missed = find([result], scenario.name, "catalogue, cache miss", loaded=False)
        if cached and missed and cached.queries == missed.queries:
            print(
                "   warning: the nocache parameter changed nothing (same number of queries); "
                "the cache-miss rows measure cached responses"
            )
    finally:
        if explain_file:
            explain_file.close()


def measure_in_process(url, explain_to=None, repeat=5, miss=False):
    """(status, queries, ms in SQL, best ms of `repeat` requests) after a warm-up request.

    The best of a few single requests is the service time with nobody queueing, and the
    figure that moves least when something else is using the machine. With `miss`, every
    request has its own `nocache` parameter."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    run = time.time_ns()
    counter = iter(range(repeat + 2))

    def get():
        return client.get(with_nocache(url, f"{run}-{next(counter)}") if miss else url)

    get()  # fills the caches a running server would have (site, content types…)
    with CaptureQueriesContext(connection) as captured:
        response = get()
    # Read them now: the next request's request_started signal empties the query log.
    queries = list(captured.captured_queries)
    sql_ms = sum(float(query["time"]) for query in queries) * 1000
    if explain_to is not None:
        explain(url, queries, explain_to)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
    return response.status_code, len(queries), round(sql_ms, 1), round(min(times), 1)


def explain(url, queries, out):
    """EXPLAIN ANALYZE of each query, slowest first, for finding what to index."""
    from django.db import connection

    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            total = float(plan.rsplit("Execution Time:", 1)[1].split()[0])
            plans.append((total, sql, plan))
    plans.sort(key=lambda item: -item[0])
    out.write(f"\n{'=' * 100}\n{url}: {len(queries)} queries, slowest first\n")
    for total, sql, plan in plans:
        out.write(f"\n--- {total:.2f} ms\n{sql}\n\n{plan}\n")
