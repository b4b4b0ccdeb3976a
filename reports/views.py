"""`/figures/`: the network's public figures, the open data of `GET /api/v1/stats/` as a page.

The whole network's published courses, every count of fewer than five learners left out, as
the API gives them (`reports.figures.open_figures`, `open_reach`: counted at most every ten
minutes).
"""

from django.shortcuts import render
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from reports import figures as f
from reports.charts import Point, bar_chart


def public_figures(request):
    reach = f.open_reach()
    return render(
        request,
        "reports/figures.html",
        {
            "total": f.open_figures(())[0],
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
