"""What a trainer sees of the sessions they teach: the list on the dashboard, each participant list.

Who teaches which session is `courses.permissions.taught_sessions` (an instructor linked to the
user, listed on the course); this module only reads. A trainer sees their participants' names
and statuses, nothing else of them: no email address, no admin.
"""

from datetime import timedelta

from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from courses.permissions import taught_sessions
from enrolments.models import Enrolment
from enrolments.states import ENROLLED, EnrolmentStatus

# Sessions ended longer ago than this leave the dashboard (their page stays reachable).
RECENT = timedelta(days=30)


def dashboard_sessions(user, now):
    """The sessions `user` teaches that are coming, running or ended in the last 30 days."""
    return list(
        taught_sessions(user)
        .filter(ends_at__gte=now - RECENT)
        .select_related("course", "institute", "course__institute")
        .order_by("starts_at", "pk")
    )


def taught_session(user, session_id):
    """One session `user` teaches, or None: anyone else gets nothing (a 404)."""
    return (
        taught_sessions(user)
        .select_related("course", "institute", "course__institute")
        .filter(pk=session_id)
        .first()
    )


def participants(session):
    """The session's learners in one query: seats first (confirmed, attended, completed, then
    no-show) by name, then the waiting list in its order; cancelled enrolments left out."""
    rank = Case(
        When(status__in=ENROLLED, then=Value(0)),
        When(status=EnrolmentStatus.NO_SHOW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        Enrolment.objects.filter(session=session)
        .active()
        .with_waitlist_place()
        .annotate(
            rank=rank,
            participant_name=Coalesce(
                NullIf(F("learner__profile__full_name"), Value("")),
                NullIf(F("learner__first_name"), Value("")),
                Value(_("Name not given")),
                output_field=CharField(),
            ),
        )
        .order_by("rank", F("waitlist_place").asc(nulls_first=True), "participant_name", "pk")
    )
