"""Admin wiring for enrolments: the audit log's actions, and course pages that can't be deleted
while learners are enrolled in their sessions.

The admin's Enrolments area (listing, details, bulk actions) is in `learners`, which shows
learners' personal data.
"""

from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page

from courses.models import CoursePage

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


def courses_with_enrolments(pages):
    """Course pages among `pages` or below them whose sessions have enrolments (any status)."""

    under = Q()
    for page in pages:
        under |= Q(path__startswith=page.path)
    return CoursePage.objects.filter(under, sessions__enrolments__isnull=False).distinct()


def refuse_deleting_enrolled_courses(request, pages, next_url):
    """Deleting them would fail on the enrolments' protected sessions: say so instead of a 500."""
    titles = list(courses_with_enrolments(pages).values_list("title", flat=True)[:5])
    if not titles:
        return None
    messages.error(
        request,
        _(
            "Learners are enrolled in sessions of %(courses)s: cancel the sessions instead of "
            "deleting the page."
        )
        % {"courses": ", ".join(titles)},
    )
    return redirect(next_url)


@hooks.register("before_delete_page")
def keep_enrolled_course_page(request, page):
    return refuse_deleting_enrolled_courses(
        request, [page], reverse("wagtailadmin_pages:edit", args=[page.pk])
    )


@hooks.register("before_bulk_action")
def keep_enrolled_course_pages(request, action_type, objects, action):
    if action_type == "delete" and objects and isinstance(objects[0], Page):
        return refuse_deleting_enrolled_courses(request, objects, action.next_url)
    return None
