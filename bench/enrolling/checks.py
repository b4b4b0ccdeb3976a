"""What must hold after the enrolment benchmark, whatever the rate: no overbooking, seats filled
before anyone waits, the waiting list in arrival order, one enrolment per learner, idempotent
repeats. The exit status is 1 when one of these fails, not when the rate misses the bar."""

# Reported, not a failure: a first call refused or timed out shows the machine's limit, not a
# wrong enrolment.
NOT_A_FAILURE = "every first call answered 201"


def check_database(session_id, capacity):
    """What the database says about the session: seats, the line, duplicates, caches."""
    from django.db.models import Count

    from courses.models import Session
    from enrolments.models import Enrolment, EnrolmentStatus

    enrolments = Enrolment.objects.filter(session_id=session_id)
    held = enrolments.holding_seats().count()
    confirmed = list(
        enrolments.filter(status=EnrolmentStatus.CONFIRMED).values_list("pk", "queued_at")
    )
    line = list(enrolments.waitlisted())
    ids = [enrolment.pk for enrolment in line]
    arrivals = [enrolment.queued_at for enrolment in line]
    positions = [enrolment.waitlist_position() for enrolment in line]
    duplicates = (
        enrolments.active().values("learner_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    session = Session.objects.get(pk=session_id)
    last_confirmed = max((queued_at for _pk, queued_at in confirmed), default=None)
    return {
        "rows": enrolments.count(),
        "seats_held": held,
        "confirmed": len(confirmed),
        "waitlisted": len(line),
        "overbooked": held > capacity,
        "seats_filled_before_queueing": held == capacity or not line,
        "waitlist_ids_in_arrival_order": ids == sorted(ids),
        "waitlist_arrivals_strictly_increasing": all(
            a < b for a, b in zip(arrivals, arrivals[1:], strict=False)
        ),
        "waitlist_positions_1_to_n": positions == list(range(1, len(line) + 1)),
        "confirmed_arrived_before_waitlisted": not line
        or last_confirmed is None
        or last_confirmed < arrivals[0],
        "duplicate_active_enrolments": duplicates,
        "display_counts_match": (session.confirmed_count, session.waitlist_count)
        == (held, len(line)),
    }


def positions_returned(first):
    """Whether the waiting list positions of round 1's replies are 1..n."""
    positions = sorted(
        body["waitlist_position"]
        for status, body, _t in first
        if status == 201 and body and body.get("status") == "waitlisted"
    )
    return positions == list(range(1, len(positions) + 1))


def correctness(db, round_1, round_2, first, again):
    """Each check by name: True when it held."""
    return {
        "no overbooking (seats held <= capacity)": not db["overbooked"],
        "seats filled before anyone was waitlisted": db["seats_filled_before_queueing"],
        "confirmed all arrived before the waitlisted": db["confirmed_arrived_before_waitlisted"],
        "waiting list: queued_at order = id order": db["waitlist_ids_in_arrival_order"],
        "waiting list: queued_at strictly increasing": db["waitlist_arrivals_strictly_increasing"],
        "waiting list: positions 1..n (database)": db["waitlist_positions_1_to_n"],
        "waiting list: positions 1..n (API replies)": db["positions_returned_1_to_n"],
        "one active enrolment per learner": db["duplicate_active_enrolments"] == 0,
        "display counts match the enrolments": db["display_counts_match"],
        "repeats answer 200 with the same enrolment": round_2["all_200"]
        and round_2["same_enrolment_as_round_1"] == len(again),
        "every first call answered 201": round_1["created"] == len(first),
    }


def failed(checks):
    return not all(ok for name, ok in checks.items() if name != NOT_A_FAILURE)
