"""The admin's Programme area: the figures of what the staff member may see.

Opened by `VIEW_LEARNERS`, the permission of the Enrolments area, and scoped like it
(`reports.figures.staff_scope`): an institute's editors see their institute's figures,
administrators the whole network's.
"""

from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from enrolments.permissions import VIEW_LEARNERS
from jazari.staff import is_programme_manager
from reports import figures as f
from reports.charts import Point, bar_chart, trend_chart
from reports.demand import DEMAND_DAYS, unanswered_searches
from reports.forms import FiguresForm


def may_see_programme(user) -> bool:
    return user.has_perm(VIEW_LEARNERS)


class ProgrammeView(WagtailAdminTemplateMixin, TemplateView):
    """`/admin/programme/`: headline figures, breakdowns, territorial inclusion, charts."""

    template_name = "reports/admin/programme.html"
    page_title = _("Programme")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_programme(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        form = FiguresForm(request.GET or None)
        if request.GET and not form.is_valid():
            context = self.get_context_data(form=form)
            return self.render_to_response(context, status=400)
        if not request.GET:
            form = FiguresForm({"by": "region", "measure": "trained"})
            form.is_valid()
        context = self.get_context_data(
            form=form,
            # For the exports (reports/exports.py): the same filters, as a query string.
            filter_query=request.GET.urlencode(),
            **programme(request.user, form),
            **search_demand(request.user),
        )
        return self.render_to_response(context)


def search_demand(user) -> dict:
    """Searches that found nothing, for programme managers and administrators: a search
    belongs to no institute, so an institute's editors don't see the network's."""
    if not (user.is_superuser or is_programme_manager(user)):
        return {}
    return {"unanswered_searches": unanswered_searches(), "demand_days": DEMAND_DAYS}


def programme(user, form: FiguresForm, *, now=None) -> dict:
    """What the Programme page shows, for `user` and the filters of a valid `form`."""
    now = now or timezone.now()
    scope, period, by = f.staff_scope(user), form.period(), form.dimensions()
    rtl = get_language_bidi()
    breakdown = f.figures(scope, period, by[:1], now=now)
    cross = f.cross_table(f.figures(scope, period, by, now=now), by) if len(by) == 2 else None
    reach = f.territorial(scope, period, now=now)
    months = list(f.trained_by(scope, period, "month").values())
    return {
        "total": f.totals(scope, period, now=now),
        "measures": f.MEASURES,
        "dimension": f.DIMENSIONS[by[0]],
        "breakdown": breakdown,
        "second": f.DIMENSIONS[by[1]] if cross else None,
        "cross": cross,
        "measure": form.cleaned_data["measure"],
        "measure_label": f.MEASURES[form.cleaned_data["measure"]],
        "reach": reach,
        "months": months,
        "region_chart": bar_chart(
            [Point(row.label, row.trained_here) for row in reach],
            title=_("People trained by region"),
            desc=_("Learners who completed a session held in each region."),
            rtl=rtl,
        ),
        "month_chart": trend_chart(
            [Point(month["label"], month["enrolments"]) for month in months],
            title=_("Enrolments by month"),
            desc=_("Enrolments in the sessions starting each month."),
            rtl=rtl,
        ),
    }
