"""The state of a session, computed from its dates, window, status and seats.

A pure function of plain values, so it is tested without a database and used the same way by
pages, the API and (later) the enrolment services.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionState(models.TextChoices):
    UPCOMING = "upcoming", _("Enrolment not yet open")
    ENROLMENT_OPEN = "enrolment_open", _("Enrolment open")
    FULL = "full", _("Full")
    ENROLMENT_CLOSED = "enrolment_closed", _("Enrolment closed")
    ONGOING = "ongoing", _("In progress")
    PAST = "past", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


@dataclass(frozen=True)
class SessionFacts:
    starts_at: datetime
    ends_at: datetime
    cancelled: bool = False
    enrolment_opens_at: datetime | None = None
    enrolment_closes_at: datetime | None = None
    capacity: int = 1
    confirmed: int = 0


def session_state(facts: SessionFacts, now: datetime) -> SessionState:
    """Where a session stands at `now`.

    Precedence: cancelled, then the session's own time (past, ongoing), then the enrolment
    window (not yet open, closed), then seats (full or open). A window with no closing date
    closes when the session starts.
    """
    if facts.cancelled:
        return SessionState.CANCELLED
    if now >= facts.ends_at:
        return SessionState.PAST
    if now >= facts.starts_at:
        return SessionState.ONGOING
    if facts.enrolment_opens_at is not None and now < facts.enrolment_opens_at:
        return SessionState.UPCOMING
    closes_at = facts.enrolment_closes_at or facts.starts_at
    if now >= closes_at:
        return SessionState.ENROLMENT_CLOSED
    if facts.confirmed >= facts.capacity:
        return SessionState.FULL
    return SessionState.ENROLMENT_OPEN


def accepts_enrolment(state: SessionState, waitlist_enabled: bool) -> bool:
    """Whether an enrol request would be taken: a seat is free, or the session is full and has
    a waiting list. (`Session.objects.accepting_enrolment` says the same in SQL.)"""
    return state == SessionState.ENROLMENT_OPEN or (state == SessionState.FULL and waitlist_enabled)
