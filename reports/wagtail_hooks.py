"""Admin wiring for the programme's figures: the Programme area, under its menu item.

The views are in `reports/admin_views.py`; the area opens with the Enrolments area's permission
(`enrolments.permissions.VIEW_LEARNERS`) and shows the figures of what the staff member may see.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from reports.admin_views import ProgrammeView, may_see_programme


class ProgrammeMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_programme(request.user)


@hooks.register("register_admin_urls")
def register_programme_urls():
    return [path("programme/", ProgrammeView.as_view(), name="reports_programme")]


@hooks.register("register_admin_menu_item")
def register_programme_menu_item():
    return ProgrammeMenuItem(
        _("Programme"), reverse("reports_programme"), icon_name="table", order=270
    )
