"""Admin wiring for learners: the Enrolments area, where editors see who enrolled where, and the
admin home's panels of sessions and enrolments (`learners/admin/dashboard.py`).

The enrolments area is a `ModelViewSet` rather than a `SnippetViewSet`: enrolments are not
content to choose or edit, and a snippet would bring a chooser that lists every enrolment to any
admin user, the generic "delete" bulk action, and add/edit/copy forms that bypass the services.
The viewset keeps only the listing (filters, search, export), the details, the history and
views of its own (a session's overview, promote by hand, record a meeting's attendance,
confirm completions, write to a session's participants); the bulk actions are Wagtail's, on
`/admin/bulk/enrolments/enrolment/…`. The views themselves are in `learners/admin/`.
"""

from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from enrolments.models import Enrolment
from learners.admin.bulk import BULK_ACTIONS
from learners.admin.dashboard import PANELS
from learners.admin.links import NAMESPACE, EnrolmentAdminURLFinder
from learners.admin.listing import SEARCH_FIELDS, EnrolmentFilterSet, EnrolmentIndexView
from learners.admin.messages import SessionMessagesView
from learners.admin.objects import (
    ConfirmCompletionsView,
    EnrolmentDetailView,
    EnrolmentHistoryView,
    MeetingAttendanceView,
    PromoteView,
    SessionOverviewView,
)
from learners.models import Profile
from learners.permissions import enrolment_permission_policy

# Before anything asks Wagtail for Enrolment's policy (it would get a default one otherwise).
register_permission_policy(Enrolment, enrolment_permission_policy)


class EnrolmentViewSet(ModelViewSet):
    """`/admin/enrolments/`: who enrolled where, for editors of the session's institute (and,
    read only, for programme managers)."""

    model = Enrolment
    icon = "group"
    menu_label = _("Enrolments")
    menu_order = 250
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True

    index_view_class = EnrolmentIndexView
    inspect_view_class = EnrolmentDetailView
    history_view_class = EnrolmentHistoryView
    filterset_class = EnrolmentFilterSet
    search_fields = SEARCH_FIELDS
    list_per_page = 50
    list_export = [
        "learner_name",
        "learner_email",
        "course_title",
        "session_starts_at",
        "get_status_display",
        "waitlist_place",
        "queued_at",
    ]
    export_headings = {
        "learner_name": _("Learner"),
        "learner_email": _("Email"),
        "course_title": _("Course"),
        "session_starts_at": _("Session start (Casablanca)"),
        "get_status_display": _("Status"),
        "waitlist_place": _("Position on the waiting list"),
        "queued_at": _("Enrolled at (Casablanca)"),
    }
    export_filename = "enrolments"
    url_finder_class = EnrolmentAdminURLFinder

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, copy, delete or usage views: enrolments change through the services.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            usage_url_name=None,
            session_url_name=self.get_url_name("session"),
            promote_url_name=self.get_url_name("promote"),
            messages_url_name=self.get_url_name("session_messages"),
            **kwargs,
        )

    @property
    def session_view(self):
        return self.construct_view(SessionOverviewView)

    @property
    def promote_view(self):
        return self.construct_view(PromoteView)

    @property
    def meeting_attendance_view(self):
        return self.construct_view(MeetingAttendanceView)

    @property
    def complete_view(self):
        return self.construct_view(ConfirmCompletionsView)

    @property
    def session_messages_view(self):
        return self.construct_view(SessionMessagesView)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/history/", self.history_view, name="history"),
            path("<int:pk>/history/results/", self.history_results_view, name="history_results"),
            path("<int:pk>/promote/", self.promote_view, name="promote"),
            path("sessions/<int:session_id>/", self.session_view, name="session"),
            path(
                "sessions/<int:session_id>/meetings/<int:meeting_id>/attendance/",
                self.meeting_attendance_view,
                name="meeting_attendance",
            ),
            path(
                "sessions/<int:session_id>/complete/",
                self.complete_view,
                name="complete",
            ),
            path(
                "sessions/<int:session_id>/messages/",
                self.session_messages_view,
                name="session_messages",
            ),
        ]

    def get_permissions_to_register(self):
        """The groups editor offers "view learner profile", the permission the area needs."""
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Profile),
            codename=get_permission_codename("view", Profile._meta),
        )


@hooks.register("register_admin_viewset")
def register_enrolment_viewset():
    return EnrolmentViewSet(NAMESPACE)


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("construct_homepage_panels")
def add_learners_panels(request, panels):
    """The admin home's sessions and enrolments panels, for those who may see learners."""
    if enrolment_permission_policy.user_has_permission(request.user, "view"):
        panels.extend(panel(request.user) for panel in PANELS)


@hooks.register("register_log_actions")
def register_account_actions(actions):
    actions.register_action(
        "jazari.account.deleted", _("Account deleted"), _("Account deleted, history anonymised")
    )
