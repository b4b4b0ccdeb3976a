"""Enrolments one at a time in the benchmark's own process: how long one holds the session's
lock, which bounds the enrolments per second whatever the number of workers."""

import statistics
import time
from datetime import timedelta

from bench.common import percentile
from bench.enrolling.data import new_session


def serial_cost(options, count=50):
    """Enrolments one at a time in this process, through the service, into a fresh session:
    how long each takes, how long it holds the session's lock (from locking to the end of
    COMMIT, which waits for the WAL to reach the disk), and how many statements it sends
    meanwhile. Concurrent enrolments into one session queue for that lock, so 1000 / (lock
    ms) is the ceiling of enrolments per second, whatever the number of workers."""
    from django.db import connection
    from django.utils import timezone

    import enrolments.services.enrolment as service
    from demo.users import demo_learners

    starts_at = timezone.now() + timedelta(days=31)
    session = new_session(count, 1002, starts_at, "https://meet.jazari.example/bench-serial")
    learners = demo_learners(options.learners)
    users = [learners[number] for number in sorted(learners)[-count:]]
    state = {"locked_at": None, "statements": 0}
    holds, statements, totals = [], [], []
    real_lock, real_commit = service.lock_session, connection._commit

    def lock_session(session_id):
        state["locked_at"], state["statements"] = time.perf_counter(), 0
        return real_lock(session_id)

    def commit():
        result = real_commit()
        if state["locked_at"] is not None:
            holds.append(time.perf_counter() - state["locked_at"])
            statements.append(state["statements"] + 1)  # + the COMMIT
            state["locked_at"] = None
        return result

    def count_statements(execute, sql, params, many, context):
        if state["locked_at"] is not None:
            state["statements"] += 1
        return execute(sql, params, many, context)

    service.lock_session, connection._commit = lock_session, commit
    try:
        with connection.execute_wrapper(count_statements):
            for user in users:
                started = time.perf_counter()
                service.enrol(user, session.pk)
                totals.append(time.perf_counter() - started)
    finally:
        service.lock_session, connection._commit = real_lock, real_commit

    def median_ms(values):
        return round(statistics.median(values) * 1000, 2) if values else None

    lock_ms = median_ms(holds)
    return {
        "enrolments": len(totals),
        "enrol_ms_median": median_ms(totals),
        "lock_held_ms_median": lock_ms,
        "lock_held_ms_p90": round(percentile(sorted(holds), 90) * 1000, 2) if holds else None,
        "statements_under_lock": statistics.median(statements) if statements else None,
        "ceiling_enrolments_per_second": round(1000 / lock_ms, 1) if lock_ms else None,
    }
