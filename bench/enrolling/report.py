"""The enrolment benchmark's report on the terminal: the two rounds, the checks and the bar."""


def print_report(results):
    r1, r2, db = results["round_1"], results["round_2_repeats"], results["database"]
    rows = [
        ("round", "requests", "seconds", "req/s", "201", "200", "errors", "p50 ms", "p95 ms"),
    ]
    for label, r in (("1: enrol", r1), ("2: repeat", r2)):
        rows.append(
            (
                label,
                r["requests"],
                f"{r['seconds']:.2f}",
                f"{r['requests_per_second']:.1f}",
                r["statuses"].get("201", 0),
                r["statuses"].get("200", 0),
                sum(r["errors"].values()),
                r["latency_ms"]["p50"],
                r["latency_ms"]["p95"],
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    print()
    for row in rows:
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True)))
    print(
        f"\ntotal requests:                   {results['total_requests']} "
        f"(warm-up into another session, round 1, round 2)"
    )
    print(f"enrolments per second (round 1):  {r1['enrolments_per_second']:.1f}")
    print(f"confirmed / waitlisted (replies): {r1['confirmed']} / {r1['waitlisted']}")
    print(f"confirmed / waitlisted (database): {db['confirmed']} / {db['waitlisted']}")
    print(f"errors by status, round 1:        {r1['errors'] or 'none'}")
    print(f"errors by status, round 2:        {r2['errors'] or 'none'}")
    if db["emails_queued"] is not None:
        print(
            f"emails queued on Redis:           {db['emails_queued']} "
            "(warm-up, round 1, serial; removed again)"
        )
    serial = results["serial"]
    print(
        f"one at a time, in-process:        {serial['enrol_ms_median']} ms an enrolment, "
        f"{serial['lock_held_ms_median']} ms (p90 {serial['lock_held_ms_p90']}) under the "
        f"session lock, {serial['statements_under_lock']} statements: ceiling "
        f"{serial['ceiling_enrolments_per_second']} enrolments/s"
    )
    print()
    for name, ok in results["checks"].items():
        print(f"  [{'ok' if ok else 'FAIL'}] {name}")
    bar = results["bar"]
    print(
        f"\nbar: >= {bar['enrolments_per_second_min']:.0f} enrolments/s with zero overbooking: "
        f"{'met' if bar['met'] else 'NOT met'}"
    )
    if "profile" in results:
        profile = results["profile"]
        total = max(profile["samples"], 1)
        print(f"\nprofile of the workers, {profile['samples']} samples; innermost frame in:")
        for name, n in profile["innermost_frame"]:
            print(f"  {100 * n / total:5.1f} %  {name}")
        print("share of samples under the project's functions:")
        for name, n in profile["project_functions"]:
            print(f"  {100 * n / total:5.1f} %  {name}")
