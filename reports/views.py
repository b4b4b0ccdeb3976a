"""`/figures/`: the network's public figures, the open data of `GET /api/v1/stats/` as a page.

The whole network's published courses (`reports.figures.public_scope`), every count of fewer
than five learners left out, as the API does (`reports.figures.published`).
"""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from reports import figures as f
from reports.charts import Point, bar_chart


def public_figures(request):
    now = timezone.now()
    scope = f.public_scope()
    reach = [f.published_reach(row) for row in f.territorial(scope, now=now)]
    return render(
        request,
        "reports/figures.html",
        {
            "total": f.published(f.totals(scope, now=now)),
            "reach": reach,
            "min_learners": f.MIN_LEARNERS,
            "region_chart": bar_chart(
                [Point(row.label, row.trained_here) for row in reach],
                title=_("People trained by region"),
                desc=_(
                    "Learners who completed a session held in each region; regions with "
                    "fewer than %(n)s are left out."
                )
                % {"n": f.MIN_LEARNERS},
                rtl=get_language_bidi(),
            ),
        },
    )
