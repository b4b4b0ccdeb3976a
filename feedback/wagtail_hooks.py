"""Admin wiring for feedback: the Feedback area under its menu item.

The views are in `feedback/admin_views.py`, who may read what in `feedback/permissions.py`:
opened by the Enrolments area's permission, scoped to the sessions whose learners one may see.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from feedback.admin_views import NAMESPACE, FeedbackIndexView, FeedbackSessionView
from feedback.permissions import may_read_feedback


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_feedback(request.user)


@hooks.register("register_admin_urls")
def register_feedback_urls():
    urls = [
        path("", FeedbackIndexView.as_view(), name="index"),
        path("sessions/<int:session_id>/", FeedbackSessionView.as_view(), name="session"),
    ]
    return [path("feedback/", include((urls, NAMESPACE)))]


@hooks.register("register_admin_menu_item")
def register_feedback_menu_item():
    return FeedbackMenuItem(
        _("Feedback"), reverse(f"{NAMESPACE}:index"), icon_name="comment", order=265
    )
