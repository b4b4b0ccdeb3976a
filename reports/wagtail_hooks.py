"""Admin wiring for the programme: the Programme area under its menu item, and its exports.

The Programme area's views are in `reports/admin_views.py`: it opens with the Enrolments
area's permission (`enrolments.permissions.VIEW_LEARNERS`) and shows the figures of what the
staff member may see. The exports' URLs are under `/admin/programme/exports/`; their views and
who may use them are in `reports/export_views.py`. Wagtail wraps these URLs in its admin
access check.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from reports import export_views
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


@hooks.register("register_admin_urls")
def register_export_urls():
    urls = [
        path("", export_views.ExportIndexView.as_view(), name="index"),
        path("start/", export_views.StartExportView.as_view(), name="start"),
        path("<int:job_id>/", export_views.ExportJobView.as_view(), name="job"),
        path("<int:job_id>/download/", export_views.DownloadExportView.as_view(), name="download"),
    ]
    return [path("programme/exports/", include((urls, export_views.NAMESPACE)))]
