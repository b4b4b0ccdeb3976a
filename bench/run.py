"""`make bench`: catalogue requests per second, latency and SQL queries through gunicorn.

For each scenario (1,000 courses with about 1,000, 5,000, 10,000 and 100,000 sessions) the
script rebuilds a PostgreSQL database from scratch, seeds it with `manage.py seed_demo`,
counts the SQL queries of every measured URL in-process, then serves the site with gunicorn
and drives it with wrk (or a Python load generator when wrk is missing), on loopback only.
The catalogue is measured from its rendering cache and, with a unique `nocache` parameter on
every request, computed. The same run measures a trivial view (the floor) and, at 5,000
sessions, a plain Wagtail listing in the manner of bakerydemo's breads index (the quality
bar's reference). It prints a table and the ratios of the quality bar, and writes them to
bench/results/catalogue.json.

    .venv/bin/python bench/run.py                     # everything, 8 to 10 minutes
    .venv/bin/python bench/run.py --quick             # 200 courses, short runs: a smoke test
    .venv/bin/python bench/run.py --scenarios 5k,100k

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/jazari_bench;
the database and a `<name>_template` beside it are dropped and recreated), REDIS_URL
(optional: the Redis cache, as in production), BENCH_MEDIA_ROOT and BENCH_STATIC_ROOT
(default: under the system's temporary directory; both are emptied).
Its steps are in bench/catalogue/. See bench/README.md for how to read the figures.
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.catalogue.data import (  # noqa: E402
    QUICK_SCENARIOS,
    SCENARIOS,
    child_env,
    prepare_scenario,
    prepare_template,
    with_database,
)
from bench.catalogue.in_process import (  # noqa: E402
    forget_cache_prefix,
    measure_rows,
    use_cache_prefix,
)
from bench.catalogue.load import GENERATORS, cpu_busy, measure_under_load  # noqa: E402
from bench.catalogue.report import print_table, summarise, write_report  # noqa: E402
from bench.catalogue.results import ScenarioResult  # noqa: E402
from bench.common import (  # noqa: E402
    RESULTS_DIR,
    Gunicorn,
    close_django_connections,
    database_name,
    drop_database,
    server_version,
    setup_django,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jazari_bench"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 courses, 3 s per URL")
    parser.add_argument(
        "--scenarios",
        default="1k,5k,10k,100k",
        help="comma-separated among 1k,5k,10k,100k (default: all)",
    )
    parser.add_argument("--duration", type=float, help="seconds of load per URL (default 10)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up per URL (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument(
        "--rounds", type=int, help="passes over the URLs sharing --duration (2; 1 with --quick)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--load-generator", choices=["auto", "wrk", "python"], default="auto", dest="generator"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="write EXPLAIN ANALYZE of the catalogue's queries to bench/results/explain-*.txt",
    )
    parser.add_argument("--keep-db", action="store_true", help="leave the last database behind")
    options = parser.parse_args()
    options.duration = options.duration or (3 if options.quick else 10)
    options.warmup = options.warmup or (1 if options.quick else 2)
    options.rounds = max(1, options.rounds or (1 if options.quick else 2))
    catalogue = {s.name: s for s in (QUICK_SCENARIOS if options.quick else SCENARIOS)}
    names = [name.strip() for name in options.scenarios.split(",") if name.strip()]
    unknown = [name for name in names if name not in catalogue]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; choose among {', '.join(catalogue)}")
    options.scenario_list = [catalogue[name] for name in names]
    if options.generator == "auto":
        options.generator = "wrk" if shutil.which("wrk") else "python"
    elif options.generator == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk), use --load-generator python")
    options.load = GENERATORS[options.generator]
    return options


def main():
    options = parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    tmp = Path(tempfile.gettempdir())
    os.environ.setdefault("BENCH_MEDIA_ROOT", str(tmp / "jazari-bench-media"))
    os.environ.setdefault("BENCH_STATIC_ROOT", str(tmp / "jazari-bench-static"))
    RESULTS_DIR.mkdir(exist_ok=True)
    # A `kill` stops the run like Ctrl-C does, so gunicorn is stopped on the way out.
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    version = server_version(database_url)
    template = f"{database_name(database_url)}_template"
    started = time.perf_counter()
    results = []
    try:
        prepare_template(database_url, template)
        setup_django(child_env(database_url))
        for scenario in options.scenario_list:
            results.append(run_scenario(scenario, options, database_url, template))
    except KeyboardInterrupt:
        print("\nbench: interrupted")
        return 130
    finally:
        if "django" in sys.modules:
            close_django_connections()
        drop_database(with_database(database_url, template))
        if not options.keep_db:
            drop_database(database_url)

    ratios, fixed = summarise(results)
    print_table(results, ratios, fixed, options.generator)
    write_report(results, ratios, fixed, options, version, started)
    return 0


def run_scenario(scenario, options, database_url, template):
    """One scenario: its database, the URLs measured in-process, then through gunicorn."""
    result = ScenarioResult(scenario)
    print(f"\n== {scenario.name}: {scenario.courses} courses, {scenario.sessions:,} sessions")

    close_django_connections()
    use_cache_prefix(f"jazari-bench-{os.getpid()}-{scenario.name}")
    facts = prepare_scenario(scenario, database_url, template, result)
    measure_rows(scenario, result, facts["course_url"], explain_queries=options.explain)
    close_django_connections()

    result.idle_cpu_busy.append(cpu_busy())
    log_path = RESULTS_DIR / f"gunicorn-{scenario.name}.log"
    env = child_env(database_url)
    with Gunicorn(env, log_path, workers=options.workers, extra_args=["--timeout", "60"]) as server:
        measure_under_load(server.base_url, result.rows, options)
    result.idle_cpu_busy.append(cpu_busy())
    forget_cache_prefix(os.environ["BENCH_CACHE_PREFIX"])
    return result


if __name__ == "__main__":
    sys.exit(main())
