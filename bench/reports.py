"""`make bench`: the programme's figures over 100,000 enrolments, and what they cost.

    .venv/bin/python bench/reports.py                       # about 3 minutes with the setup
    .venv/bin/python bench/reports.py --enrolments 20000    # a smaller network
    .venv/bin/python bench/reports.py --keep-db             # then --reuse-db: no setup

Setup: a throwaway PostgreSQL database (BENCH_REPORTS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/jazari_bench_reports, dropped at the end unless --keep-db),
`migrate`, `seed_demo --courses 200 --sessions-per-course 20 --learners 20` (the institutes,
skills, courses and 4,000 sessions of the demo, past and to come), then, in this process with
`bulk_create`, 20,000 learners with a profile (region and audience drawn at random),
`--enrolments` enrolments (25 a session by default; 12 % cancelled, some of them from the
waiting list; seats up to each session's capacity, completed, attended or no-show once held,
confirmed before; the rest waitlisted) and a certificate for each completed enrolment; then
`ANALYZE`.

Measured in this process (Django on `jazari.settings.test`, the same database), each the
median of `--runs` runs after one warm-up, with its SQL query count:

- the figures service (`reports.figures`): the headline totals, by region, by skill × month,
  the territorial table, and the open data's scope (published courses, by region);
- the admin's Programme page as an administrator, by region (its default) and by skill ×
  month (`?by=skill&then=month`), through Django's test client: everything the page does,
  rendering included;
- `/figures/` and `GET /api/v1/stats/?by=institute`, anonymous, counted afresh (the open
  data's cache emptied before each request), and `/figures/` from that cache.

The figures themselves are printed too (they are the demo's, not real ones). Results:
the terminal and bench/results/reports.json.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    RESULTS_DIR,
    child_env,
    close_django_connections,
    database_exists,
    drop_database,
    manage,
    recreate_database,
    seed_demo,
    server_version,
    setup_django,
    stop_on_sigterm,
    write_results,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jazari_bench_reports"
LEARNERS = 20_000
BATCH = 5_000


def build(enrolments_wanted, log):
    """The learners, enrolments and certificates on top of the demo; the seconds it took."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from certificates.models import Certificate
    from courses.models import Session
    from enrolments.models import Enrolment
    from institutes.regions import Region
    from learners.models import LearnerAudience, Profile

    started = time.perf_counter()
    rng = random.Random(2026)
    now = timezone.now()
    User = get_user_model()
    with transaction.atomic():
        users = User.objects.bulk_create(
            (
                User(username=f"bench{i}@example.com", email=f"bench{i}@example.com", password="!")
                for i in range(LEARNERS)
            ),
            batch_size=BATCH,
        )
        regions, audiences = [r.value for r in Region], [a.value for a in LearnerAudience]
        Profile.objects.bulk_create(
            (
                Profile(
                    user=user,
                    full_name=f"Bench {i}",
                    region=rng.choice(regions + [""]),
                    audience=rng.choice(audiences + [""]),
                    preferred_language="fr",
                )
                for i, user in enumerate(users)
            ),
            batch_size=BATCH,
        )
        sessions = list(Session.objects.values("pk", "starts_at", "ends_at", "status", "capacity"))
        per_session = max(1, enrolments_wanted // len(sessions))
        held = ["completed"] * 65 + ["attended"] * 15 + ["no_show"] * 20
        rows = []
        for session in sessions:
            past, free = session["ends_at"] <= now, session["capacity"]
            for user in rng.sample(users, per_session):
                if session["status"] == "cancelled" or rng.random() < 0.12:
                    status, seated = "cancelled", rng.random() < 0.7
                elif free > 0:
                    free -= 1
                    status, seated = (rng.choice(held) if past else "confirmed"), True
                else:
                    status, seated = "waitlisted", False
                queued = session["starts_at"] - timedelta(days=rng.randint(1, 60))
                rows.append(
                    Enrolment(
                        session_id=session["pk"],
                        learner=user,
                        status=status,
                        queued_at=queued,
                        confirmed_at=queued if seated else None,
                        cancelled_at=queued + timedelta(hours=1) if status == "cancelled" else None,
                    )
                )
        Enrolment.objects.bulk_create(rows, batch_size=BATCH)
        completed = Enrolment.objects.filter(
            status="completed", certificates__isnull=True
        ).values_list("pk", "session__starts_at")
        Certificate.objects.bulk_create(
            (
                Certificate(
                    enrolment_id=pk,
                    code=f"BENCH-{pk:08d}",
                    language="fr",
                    holder_name="Bench",
                    course_title="Bench",
                    institute_name="Bench",
                    starts_on=starts.date(),
                    ends_on=starts.date(),
                    minutes=420,
                )
                for pk, starts in completed.iterator()
            ),
            batch_size=BATCH,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"built {len(rows):,} enrolments of {LEARNERS:,} learners in {len(sessions):,} sessions")
    return time.perf_counter() - started


def measure(call, runs):
    """(median ms, queries) of `call` over `runs` runs after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    times, queries = [], None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return round(statistics.median(times), 1), queries


def run_measures(runs, log):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from enrolments.models import Enrolment
    from reports import figures as f

    admin = get_user_model().objects.filter(is_superuser=True).first()
    scope = f.staff_scope(admin)
    staff = Client()
    staff.force_login(admin)
    anonymous = Client()

    def get(client, url, *, fresh=False):
        def call():
            if fresh:
                cache.clear()  # the open data's cache: count afresh
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    cases = {
        "figures: totals": lambda: f.totals(scope),
        "figures: by region": lambda: f.figures(scope, by=("region",)),
        "figures: by skill × month": lambda: f.figures(scope, by=("skill", "month")),
        "figures: territorial table": lambda: f.territorial(scope),
        "figures: open data by region": lambda: f.figures(f.public_scope(), by=("region",)),
        "admin page /admin/programme/ (by region)": get(staff, "/admin/programme/"),
        "admin page /admin/programme/?by=skill&then=month": get(
            staff, "/admin/programme/?by=skill&then=month"
        ),
        "public page /figures/, counted": get(anonymous, "/figures/", fresh=True),
        "public page /figures/, from the cache": get(anonymous, "/figures/"),
        "API /api/v1/stats/?by=institute, counted": get(
            anonymous, "/api/v1/stats/?by=institute", fresh=True
        ),
    }
    results = {}
    for label, call in cases.items():
        ms, queries = measure(call, runs)
        results[label] = {"median_ms": ms, "queries": queries}
        log(f"{label:<52} {ms:>9.1f} ms {queries:>4} queries")
    total = f.totals(scope)
    figures = {
        "enrolments (rows)": Enrolment.objects.count(),
        "sessions held": total.sessions,
        "seats offered": total.seats,
        "enrolments": total.enrolments,
        "fill rate": round(total.fill_rate or 0, 3),
        "waiting list, never seated": total.waitlist_unseated,
        "cancellations": total.cancellations,
        "attended": total.attended,
        "no-show rate": round(total.no_show_rate or 0, 3),
        "people trained": total.trained,
        "certificates": total.certificates,
        "learners": total.learners,
        "first-time learners": total.first_time,
    }
    log("")
    for name, value in figures.items():
        log(f"{name:<32} {value:>12,}" if isinstance(value, int) else f"{name:<32} {value:>12}")
    return results, figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enrolments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true")
    args = parser.parse_args()
    stop_on_sigterm()
    url = os.environ.get("BENCH_REPORTS_DATABASE_URL", DEFAULT_URL)
    version = server_version(url)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    env = child_env("jazari.settings.test", DATABASE_URL=url, CELERY_BROKER_URL="")
    env.pop("CELERY_BROKER_URL")

    def log(line):
        print(line, flush=True)

    log(f"bench/reports.py: PostgreSQL {version}, {args.enrolments:,} enrolments wanted")
    setup = {}
    try:
        if not (args.reuse_db and database_exists(url)):
            recreate_database(url)
            setup["migrate_s"] = round(
                manage(["migrate", "--no-input"], env, RESULTS_DIR / "reports-migrate.log"), 1
            )
            setup["seed_demo_s"] = round(
                seed_demo(
                    env,
                    RESULTS_DIR / "reports-seed.log",
                    courses=200,
                    sessions_per_course=20,
                    learners=20,
                    password="bench-reports",
                ),
                1,
            )
            setup_django(env)
            setup["bulk_s"] = round(build(args.enrolments, log), 1)
        else:
            setup_django(env)
        log(f"setup: {setup}")
        results, figures = run_measures(args.runs, log)
        path = write_results(
            "reports.json",
            {"postgres": version, "setup": setup, "measures": results, "figures": figures},
        )
        log(f"\nresults: {path.relative_to(ROOT)}")
    finally:
        close_django_connections()
        if not args.keep_db:
            drop_database(url)


if __name__ == "__main__":
    main()
