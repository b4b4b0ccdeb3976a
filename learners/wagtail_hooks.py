"""Admin wiring for learners: audit log actions (the enrolment admin views come next)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

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
    "jazari.session.cancelled": (_("Session cancelled"), _("Session cancelled")),
    "jazari.session.capacity": (_("Capacity changed"), _("Session capacity changed")),
}


@hooks.register("register_log_actions")
def register_enrolment_actions(actions):
    for action, (label, message) in AUDIT_ACTIONS.items():
        actions.register_action(action, label, message)
