"""The SVG charts (`reports.charts`), drawn without a database."""

from bs4 import BeautifulSoup
from django.utils import translation

from reports.charts import LABEL, WIDTH, Point, bar_chart, trend_chart


def svg(markup):
    return BeautifulSoup(markup, "html.parser").svg


POINTS = [Point("Fès-Meknès", 10), Point("Oriental", None), Point("<b>Rabat</b>", 40)]


def test_a_bar_chart_is_a_named_image_with_its_numbers():
    chart = svg(bar_chart(POINTS, title="Formés", desc="Par région."))
    assert chart["role"] == "img"
    labelled = chart["aria-labelledby"].split()
    assert chart.find(id=labelled[0]).get_text() == "Formés"
    assert "<b>Rabat</b>, 40" in chart.find(id=labelled[1]).get_text()  # escaped, the largest
    widths = [float(rect["width"]) for rect in chart.select("g.bar rect")]
    assert widths[2] == WIDTH - LABEL - 64 and widths[0] == widths[2] / 4 and widths[1] == 0
    assert "—" in chart.get_text()  # a value not published
    assert chart.find("b") is None and "style" not in str(chart)


def test_bars_start_from_the_right_in_a_right_to_left_language():
    chart = svg(bar_chart(POINTS, title="t", desc="d", rtl=True))
    for rect in chart.select("g.bar rect"):
        assert float(rect["x"]) + float(rect["width"]) == WIDTH - LABEL


def test_a_trend_runs_left_to_right_or_right_to_left():
    months = [Point("janv.", 3), Point("févr.", 5), Point("mars", None), Point("avr.", 8)]
    ltr = [float(c["cx"]) for c in svg(trend_chart(months, title="t", desc="d")).select("circle")]
    rtl = [
        float(c["cx"])
        for c in svg(trend_chart(months, title="t", desc="d", rtl=True)).select("circle")
    ]
    assert ltr == sorted(ltr) and rtl == sorted(rtl, reverse=True) and len(ltr) == 3


def test_nothing_to_draw_still_says_so():
    with translation.override("en"):
        chart = svg(bar_chart([], title="t", desc="d"))
    assert "No figure to show." in chart.desc.get_text()
