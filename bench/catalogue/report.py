"""The catalogue benchmark's report: the quality bar's ratios, the table on the terminal and
bench/results/catalogue*.json."""

import os
import platform
import time
from dataclasses import asdict
from urllib.parse import unquote

from bench.catalogue.data import SCENARIOS
from bench.catalogue.results import find
from bench.common import ROOT, write_results


def ratio(numerator, denominator):
    return float(f"{numerator / denominator:.3g}") if numerator and denominator else None


def summarise(results):
    """The quality bar's ratios, from whichever scenarios were run."""
    ratios = {}
    listing = find(results, "5k", "plain Wagtail listing")
    for label in ("catalogue", "catalogue, cache miss"):
        catalogue = find(results, "5k", label)
        if listing and catalogue:
            ratios[f"{label} / plain listing req/s at 5k sessions (bar: >= 3)"] = ratio(
                catalogue.load.rps, listing.load.rps
            )
            ratios[f"{label} / plain listing, lone requests (plain ms / ms)"] = ratio(
                listing.best_ms, catalogue.best_ms
            )
    labels = [row.label for row in (results[0].rows if results else [])]
    for label in labels:
        if label == "trivial view":
            continue
        small, large = find(results, "1k", label), find(results, "100k", label)
        if small and large:
            ratios[f"{label}: p50 latency at 100k / at 1k sessions"] = ratio(
                large.load.p50_ms, small.load.p50_ms
            )
            ratios[f"{label}: lone request at 100k / at 1k sessions"] = ratio(
                large.best_ms, small.best_ms
            )
    for result in results:
        trivial = find(results, result.scenario.name, "trivial view")
        for label in ("catalogue", "catalogue, cache miss"):
            catalogue = find(results, result.scenario.name, label)
            if trivial and catalogue:
                ratios[f"{label} / trivial view req/s at {result.scenario.name}"] = ratio(
                    catalogue.load.rps, trivial.load.rps
                )
    query_counts = {}
    for result in results:
        for row in result.rows:
            if row.label != "trivial view":
                query_counts.setdefault(row.label, []).append(row.queries)
    fixed = {
        label: len(set(counts)) == 1 for label, counts in query_counts.items() if len(counts) > 1
    }
    return ratios, fixed


def print_table(results, ratios, fixed, generator):
    header = (
        f"{'scenario':<8} {'sessions':>8}  {'URL':<56} {'req/s':>8} {'mean ms':>8} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'errors':>6} {'queries':>7} {'SQL ms':>7} {'1 req ms':>8}"
    )
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory, per process"
    print(f"\nCatalogue benchmark (load generator: {generator}; cache: {cache})\n")
    print(header)
    print("-" * len(header))
    for result in results:
        for row in result.rows:
            load = row.load
            url = unquote(row.url) + (" +nocache" if row.miss else "")
            url = url if len(url) <= 56 else url[:53] + "..."
            print(
                f"{result.scenario.name:<8} {result.sessions:>8,}  {url:<56} "
                f"{load.rps:>8.1f} {load.mean_ms:>8.1f} {load.p50_ms:>7.1f} {load.p95_ms:>7.1f} "
                f"{load.errors:>6} {row.queries:>7} {row.sql_ms:>7.1f} {row.best_ms:>8.1f}"
            )
        print()
    for result in results:
        before, after = result.idle_cpu_busy
        busy = ""
        if max(before or 0, after or 0) > 20:
            busy = "  (other work on the machine: figures are noisy)"
        print(
            f"{result.scenario.name}: seed_demo {result.seed_seconds:.1f} s, "
            f"SQL top-up and ANALYZE {result.top_up_seconds:.1f} s; "
            f"CPU busy without our load {before} % before, {after} % after{busy}"
        )
    print()
    for label, value in ratios.items():
        verdict = ""
        if "(bar: >= 3)" in label and value is not None:
            verdict = "  met" if value >= 3 else "  NOT met"
        print(f"{label:<72} {value}{verdict}")
    if len(results) > 1:
        for label, same in fixed.items():
            print(f"{'fixed number of queries across scenarios: ' + label:<72} {same}")


def write_report(results, ratios, fixed, options, version, started):
    """bench/results/catalogue.json for a full run; a smoke test or a subset of the scenarios
    writes catalogue-<scenarios>[-quick].json, so it never overwrites a full run's."""
    report = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgresql": version,
            "cache": "redis" if os.environ.get("REDIS_URL") else "local memory",
        },
        "settings": {
            "load_generator": options.generator,
            "connections": options.connections,
            "gunicorn_workers": options.workers,
            "duration_seconds": options.duration,
            "warmup_seconds": options.warmup,
            "rounds": options.rounds,
            "quick": options.quick,
        },
        "scenarios": [
            {
                **asdict(result.scenario),
                "live_courses": result.courses,
                "sessions_in_db": result.sessions,
                "upcoming_sessions": result.upcoming_sessions,
                "seed_seconds": round(result.seed_seconds, 1),
                "top_up_seconds": round(result.top_up_seconds, 1),
                "cpu_busy_percent_before_after": result.idle_cpu_busy,
                "rows": [asdict(row) for row in result.rows],
            }
            for result in results
        ],
        "ratios": ratios,
        "fixed_query_counts": fixed,
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    names = [scenario.name for scenario in options.scenario_list]
    suffix = "" if names == [scenario.name for scenario in SCENARIOS] else "-" + "-".join(names)
    out = write_results(f"catalogue{suffix}{'-quick' if options.quick else ''}.json", report)
    print(f"\nwritten to {out.relative_to(ROOT)} in {report['total_seconds']:.0f} s")
