"""The admin's programme exports: ask for one, follow its job, download its file.

- `exports/` lists the user's export jobs and offers the form; `exports/start/` (POST) answers
  an export of at most `REPORT_EXPORT_SYNC_ROWS` rows at once as a download, and makes a job of
  a larger one, then redirects to its page;
- `exports/<id>/` shows the job's progress (rows written of the total), reloading itself every
  few seconds with `<meta http-equiv="refresh">` (no JavaScript) until the file is ready;
- `exports/<id>/download/` hands the file over (`jazari.serving`).

Every view needs the permission that opens the Enrolments area (`VIEW_LEARNERS`; without it,
Wagtail's answer to a permission error);
starting an export and downloading one, when learners' data leaves the site, also need a recent
log-in (`jazari.staff`). A job is seen and downloaded only by the person who asked, or an
administrator: anyone else gets a 404, as for an id that does not exist.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from enrolments.permissions import VIEW_LEARNERS
from jazari.admin_dates import AdminDateField, AdminDateInput
from jazari.serving import file_response
from jazari.spreadsheets import CONTENT_TYPES, download_response, spreadsheet_file
from jazari.staff import require_recent_authentication
from reports import exports
from reports.models import ExportFormat, ExportJob, export_filename

NAMESPACE = "reports_exports"
# Seconds between two reloads of a job's page while it is being written.
REFRESH_SECONDS = 3
# Jobs listed on the exports page.
RECENT_JOBS = 20


def url_for(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Export"))
    file_format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.XLSX
    )
    starts_after = AdminDateField(
        label=_("Sessions starting from"), required=False, widget=AdminDateInput
    )
    starts_before = AdminDateField(
        label=_("Sessions starting until"), required=False, widget=AdminDateInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(e.kind, e.label) for e in exports.EXPORTERS.values()]

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("starts_after"), cleaned.get("starts_before")
        if after and before and after > before:
            raise forms.ValidationError(_("The first date must not be after the second."))
        return cleaned

    def params(self):
        """The exporter's parameters, as strings (they are kept in the job as JSON)."""
        return {
            name: self.cleaned_data[name].isoformat()
            for name in ("starts_after", "starts_before")
            if self.cleaned_data.get(name)
        }


class ExportViewMixin(WagtailAdminTemplateMixin):
    header_icon = "download"
    recent_authentication = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_LEARNERS):
            raise PermissionDenied
        if self.recent_authentication:
            require_recent_authentication(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": url_for("index"), "label": _("Programme exports")},
            {"url": "", "label": self.get_page_title()},
        ]


class ExportIndexView(ExportViewMixin, TemplateView):
    """The form, and the user's latest jobs."""

    page_title = _("Programme exports")
    template_name = "reports/admin/exports.html"
    form = None

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Opened from the Programme page, the export starts with the page's dates.
        dates = {
            name: value
            for name in ("starts_after", "starts_before")
            if (value := self.request.GET.get(name))
        }
        context["form"] = self.form or ExportForm(initial=dates)
        context["start_url"] = url_for("start")
        context["jobs"] = ExportJob.objects.filter(requested_by=self.request.user)[:RECENT_JOBS]
        context["sync_rows"] = exports.sync_rows()
        return context


class StartExportView(ExportIndexView):
    """POST: the file at once when small, else a job and its page."""

    http_method_names = ["post"]
    recent_authentication = True

    def post(self, request):
        form = ExportForm(request.POST)
        if not form.is_valid():
            return self.refuse(form)
        kind, file_format = form.cleaned_data["kind"], form.cleaned_data["file_format"]
        params = form.params()
        try:
            headers, rows, total = exports.prepare(request.user, kind, params)
        except exports.ExportError as error:
            form.add_error(None, error.message)
            return self.refuse(form)
        if exports.is_small(total):
            label = exports.label_of(kind)
            output = spreadsheet_file(file_format, headers, rows, title=label)
            response = download_response(
                output,
                spreadsheet_format=file_format,
                filename=export_filename(kind, file_format),
            )
            response["Cache-Control"] = "no-store"
            return response
        job = exports.start_job(request.user, kind, file_format, params)
        response = HttpResponseRedirect(url_for("job", job.pk))
        response.status_code = 303  # see other: the job's page, by GET
        return response

    def refuse(self, form):
        self.form = form
        return self.render_to_response(self.get_context_data(), status=400)


class ExportJobView(ExportViewMixin, TemplateView):
    """A job's progress; its download link once written."""

    template_name = "reports/admin/export_job.html"
    page_title = _("Export")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.job = get_object_or_404(
            ExportJob.objects.downloadable_by(request.user), pk=kwargs["job_id"]
        )

    def get_page_title(self):
        return _("Export: %(label)s (%(format)s)") % {
            "label": exports.label_of(self.job.kind),
            "format": self.job.get_file_format_display(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        context.update(
            {
                "job": job,
                "refresh_seconds": None if job.is_finished else REFRESH_SECONDS,
                "download_url": url_for("download", job.pk) if job.is_downloadable else None,
                "index_url": url_for("index"),
            }
        )
        return context

    @classmethod
    def as_view(cls, **initkwargs):
        return never_cache(super().as_view(**initkwargs))


class DownloadExportView(ExportJobView):
    recent_authentication = True

    def get(self, request, *args, **kwargs):
        if not self.job.is_downloadable:
            raise Http404(_("This export has no file to download (any more)."))
        return file_response(
            self.job.file,
            filename=self.job.filename,
            content_type=CONTENT_TYPES[self.job.file_format],
        )
