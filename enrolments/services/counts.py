from django.db import transaction
from django.db.models import Count, Q

from courses.cache import bump_catalogue_version
from courses.models import Session
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.states import HOLDS_SEAT


def seat_counts(session_id: int) -> tuple[int, int]:
    """(seats held, waiting) counted from the enrolments; call under the session's lock."""
    counts = Enrolment.objects.filter(session_id=session_id).aggregate(
        held=Count("pk", filter=Q(status__in=HOLDS_SEAT)),
        waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITLISTED)),
    )
    return counts["held"], counts["waiting"]


def refresh_display_counts(session_id: int) -> tuple[int, int]:
    """Copy the real counts into the session's display caches; returns them."""
    held, waiting = seat_counts(session_id)
    changed = (
        Session.objects.filter(pk=session_id)
        .exclude(confirmed_count=held, waitlist_count=waiting)
        .update(confirmed_count=held, waitlist_count=waiting)
    )
    if changed:  # seats left show in the catalogue
        transaction.on_commit(bump_catalogue_version)
    return held, waiting


def set_display_counts(session_id: int, held: int, waiting: int) -> None:
    """Store counts the caller has just counted under the lock (one UPDATE)."""
    Session.objects.filter(pk=session_id).update(confirmed_count=held, waitlist_count=waiting)
    transaction.on_commit(bump_catalogue_version)
