"""The Wagtail admin's home for those who see learners: what needs doing, what is coming.

Five panels (Wagtail `Component`s, added by the `construct_homepage_panels` hook in
`wagtail_hooks.py` for users who may see enrolments): sessions that ended and still need their
attendance recorded (enrolments still `confirmed` after the end), sessions that ended with
learners the course's rule proposes for completion (to confirm on the session's page), the next
sessions with their fill rate and waiting list, the latest enrolments and the latest
cancellations. Each shows what
the user may see (`visible_sessions`, `visible_enrolments`): an institute's editor their
institute's, a programme manager or an administrator the whole network's. Each panel costs a
fixed number of queries whatever the number of rows. Courses waiting for approval are in
Wagtail's own workflow panel, kept beside these.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from courses.permissions import visible_sessions
from enrolments.models import EnrolmentStatus
from enrolments.permissions import visible_enrolments
from enrolments.services.completion import with_completion_proposals
from enrolments.states import HOLDS_SEAT
from jazari.time import format_casablanca
from learners.admin.links import url_for
from learners.admin.listing import with_listing_fields

# Rows per panel.
ROWS = 8


def session_row(session):
    """What a panel shows of a session: course, start, where, and the link to its overview."""
    venue = session.institute or session.course.institute
    return {
        "session": session,
        "title": session.course.title,
        "starts_at": format_casablanca(session.starts_at),
        "ends_at": format_casablanca(session.ends_at),
        "venue": venue.title if venue else "",
        "url": url_for("session", session.pk),
    }


class LearnersPanel(Component):
    """A panel of the admin home over what the user may see; `user` is the request's."""

    name = ""
    heading = ""
    order = 100

    def __init__(self, user):
        self.user = user

    def rows(self, now):
        raise NotImplementedError(f"{type(self).__name__} must define rows()")

    def get_context_data(self, parent_context=None):
        return {
            "panel": self,
            "panel_id": self.name.replace("_", "-"),
            "rows": self.rows(timezone.now()),
        }


class AttendanceDuePanel(LearnersPanel):
    """Sessions that have ended with enrolments still `confirmed`: attendance to record."""

    name = "attendance_due"
    heading = _("Attendance to record")
    template_name = "learners/admin/dashboard/attendance_due.html"
    order = 100

    def rows(self, now):
        sessions = (
            visible_sessions(self.user)
            .scheduled()
            .filter(ends_at__lte=now)
            .annotate(
                unrecorded=Count(
                    "enrolments", filter=Q(enrolments__status=EnrolmentStatus.CONFIRMED)
                )
            )
            .filter(unrecorded__gt=0)
            .select_related("course__institute", "institute")
            .order_by("-ends_at", "pk")[:ROWS]
        )
        index = reverse("enrolments:index")
        return [
            {
                **session_row(session),
                "unrecorded": session.unrecorded,
                "listing_url": f"{index}?session={session.pk}&status={EnrolmentStatus.CONFIRMED}",
            }
            for session in sessions
        ]


class CompletionsDuePanel(LearnersPanel):
    """Sessions that have ended with learners the course's rule proposes for completion."""

    name = "completions_due"
    heading = _("Completions to confirm")
    template_name = "learners/admin/dashboard/completions_due.html"
    order = 105

    def rows(self, now):
        sessions = (
            with_completion_proposals(visible_sessions(self.user), now)
            .filter(proposals__gt=0)
            .select_related("course__institute", "institute")
            .order_by("-ends_at", "pk")[:ROWS]
        )
        return [
            {
                **session_row(session),
                "proposals": session.proposals,
                "url": f"{url_for('session', session.pk)}#completion",
            }
            for session in sessions
        ]


class NextSessionsPanel(LearnersPanel):
    """The next sessions: seats taken of the capacity (fill rate) and the waiting list."""

    name = "next_sessions"
    heading = _("Next sessions")
    template_name = "learners/admin/dashboard/next_sessions.html"
    order = 110

    def rows(self, now):
        sessions = (
            visible_sessions(self.user)
            .upcoming(now)
            .annotate(
                held=Count("enrolments", filter=Q(enrolments__status__in=HOLDS_SEAT)),
                waiting=Count(
                    "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)
                ),
            )
            .select_related("course__institute", "institute")
            .order_by("starts_at", "pk")[:ROWS]
        )
        return [
            {
                **session_row(session),
                "held": session.held,
                "capacity": session.capacity,
                "fill_rate": round(100 * session.held / session.capacity)
                if session.capacity
                else None,
                "waiting": session.waiting,
            }
            for session in sessions
        ]


class RecentEnrolmentsPanel(LearnersPanel):
    """The latest enrolments (confirmed or on the waiting list when made), newest first."""

    name = "recent_enrolments"
    heading = _("Recent enrolments")
    template_name = "learners/admin/dashboard/recent_enrolments.html"
    order = 120
    date_field = "queued_at"
    date_label = _("Enrolled at")

    def enrolments(self):
        return visible_enrolments(self.user)

    def rows(self, now):
        enrolments = with_listing_fields(self.enrolments()).order_by(f"-{self.date_field}", "-pk")[
            :ROWS
        ]
        return [
            {
                "enrolment": enrolment,
                "learner": enrolment.learner_name,
                "course": enrolment.course_title,
                "session_start": format_casablanca(enrolment.session_starts_at),
                "status": enrolment.get_status_display(),
                "at": format_casablanca(getattr(enrolment, self.date_field)),
                "url": url_for("inspect", enrolment.pk),
            }
            for enrolment in enrolments
        ]


class RecentCancellationsPanel(RecentEnrolmentsPanel):
    """The latest cancellations, by the learner or the organisers, newest first."""

    name = "recent_cancellations"
    heading = _("Recent cancellations")
    order = 130
    date_field = "cancelled_at"
    date_label = _("Cancelled at")

    def enrolments(self):
        return visible_enrolments(self.user).filter(
            status=EnrolmentStatus.CANCELLED, cancelled_at__isnull=False
        )


PANELS = [
    AttendanceDuePanel,
    CompletionsDuePanel,
    NextSessionsPanel,
    RecentEnrolmentsPanel,
    RecentCancellationsPanel,
]
