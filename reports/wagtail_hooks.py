"""Admin wiring for the programme's exports: their URLs under `/admin/programme/exports/`.

The views and who may use them are in `reports/export_views.py`; Wagtail wraps these URLs in
its admin access check.
"""

from django.urls import include, path
from wagtail import hooks

from reports import export_views


@hooks.register("register_admin_urls")
def register_export_urls():
    urls = [
        path("", export_views.ExportIndexView.as_view(), name="index"),
        path("start/", export_views.StartExportView.as_view(), name="start"),
        path("<int:job_id>/", export_views.ExportJobView.as_view(), name="job"),
        path("<int:job_id>/download/", export_views.DownloadExportView.as_view(), name="download"),
    ]
    return [path("programme/exports/", include((urls, export_views.NAMESPACE)))]
