"""Admin wiring for enrolments: the audit log's actions, and course pages that can't be deleted
while learners are enrolled in their sessions.

The admin's Enrolments area (listing, details, bulk actions) is in `learners`, which shows
learners' personal data.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from courses.models import CoursePage
from jazari.page_deletion import pages_under, refuse_page_deletion

AUDIT_ACTIONS = {
    "jazari.enrolment.confirmed": (_("Enrolled (confirmed)"), _("Enrolled, seat confirmed")),
    "jazari.enrolment.waitlisted": (
        _("Enrolled (waiting list)"),
        _("Enrolled on the waiting list"),
    ),
    "jazari.enrolment.promoted": (_("Promoted"), _("Promoted from the waiting list")),
    "jazari.enrolment.cancelled": (_("Enrolment cancelled"), _("Enrolment cancelled")),
    "jazari.enrolment.attended": (_("Attended"), _("Marked attended")),
    "jazari.enrolment.no_show": (_("No-show"), _("Marked no-show")),
    "jazari.enrolment.completed": (_("Completed"), _("Marked completed")),
    "jazari.attendance.present": (_("Present"), _("Marked present at a meeting")),
    "jazari.attendance.absent": (_("Absent"), _("Marked absent at a meeting")),
    "jazari.session.cancelled": (_("Session cancelled"), _("Session cancelled")),
    "jazari.session.capacity": (_("Capacity changed"), _("Session capacity changed")),
    "jazari.session.message": (
        _("Message to participants"),
        _("Message written to the session's participants"),
    ),
}


@hooks.register("register_log_actions")
def register_enrolment_actions(actions):
    for action, (label, message) in AUDIT_ACTIONS.items():
        actions.register_action(action, label, message)


def courses_with_enrolments(pages):
    """Course pages among `pages` or below them whose sessions have enrolments (any status)."""
    return CoursePage.objects.filter(
        pages_under(pages), sessions__enrolments__isnull=False
    ).distinct()


@refuse_page_deletion
def enrolled_courses(pages):
    """Deleting them would fail on the enrolments' protected sessions: say so instead."""
    titles = list(courses_with_enrolments(pages).values_list("title", flat=True)[:5])
    if not titles:
        return None
    return _(
        "Learners are enrolled in sessions of %(courses)s: cancel the sessions instead of "
        "deleting the page."
    ) % {"courses": ", ".join(titles)}
