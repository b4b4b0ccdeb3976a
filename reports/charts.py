"""Charts of the figures drawn as SVG on the server: no JavaScript, readable at a glance.

Each chart is an `<svg role="img">` named by its `<title>` and `<desc>` (the desc says what
the bars show and the largest of them); the numbers themselves are always in a table beside
it, for screen readers and for reading exact values. In a right-to-left language the bars
start from the right and time runs from right to left, as the Arabic page reads.

Colours and sizes are SVG attributes, not `style` attributes, which the site's Content
Security Policy refuses.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
ROW = 26
BAR = 18
LABEL = 210  # room for a region's name
VALUE = 64  # room for the number after a bar
INK, BAR_FILL, LINE = "#14202b", "#0e5d71", "#cbbfa8"
_ids = count(1)


@dataclass(frozen=True)
class Point:
    label: str
    value: int | float | None  # None: not published (too few learners)


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return number_format(value, 1, use_l10n=True)
    return number_format(value, use_l10n=True, force_grouping=True)


def _largest(points: Sequence[Point]) -> Point | None:
    shown = [p for p in points if p.value is not None]
    return max(shown, key=lambda p: p.value) if shown else None


def _describe(desc: str, points: Sequence[Point]) -> str:
    top = _largest(points)
    if top is None:
        return desc + " " + _("No figure to show.")
    return (
        desc
        + " "
        + _("Largest: %(label)s, %(value)s.")
        % {
            "label": top.label,
            "value": _number(top.value),
        }
    )


def _frame(width, height, title, desc, body, css_class):
    """The chart in a `<figure>` whose caption shows its title to everyone (the SVG's own
    `<title>` is read by screen readers and shown only as a tooltip)."""
    uid = f"chart-{next(_ids)}"
    return format_html(
        '<figure class="chart"><figcaption class="chart__caption">{}</figcaption>'
        '<svg xmlns="http://www.w3.org/2000/svg" class="{}" role="img" viewBox="0 0 {} {}"'
        ' width="100%" direction="ltr" font-family="system-ui, sans-serif" font-size="13"'
        ' aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg></figure>',
        title,
        css_class,
        width,
        height,
        uid,
        uid,
        uid,
        title,
        uid,
        desc,
        body,
    )


def bar_chart(points: Sequence[Point], *, title: str, desc: str, rtl: bool = False) -> SafeString:
    """Horizontal bars, one per point, longest for the largest value; from the right in RTL."""
    height = max(ROW * len(points), ROW) + 8
    top = _largest(points)
    largest = top.value if top and top.value else 1
    plot = WIDTH - LABEL - VALUE
    rows = []
    for index, point in enumerate(points):
        y = 4 + index * ROW
        middle = y + ROW / 2 + 4
        length = 0 if point.value is None else round(plot * point.value / largest, 1)
        if rtl:
            bar_x, label_x, label_anchor = WIDTH - LABEL - length, WIDTH - LABEL + 8, "start"
            value_x, value_anchor = WIDTH - LABEL - length - 6, "end"
        else:
            bar_x, label_x, label_anchor = LABEL, LABEL - 8, "end"
            value_x, value_anchor = LABEL + length + 6, "start"
        rows.append(
            format_html(
                '<g class="bar"><text x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}" text-anchor="{}" fill="{}">{}</text></g>',
                label_x,
                middle,
                label_anchor,
                INK,
                point.label,
                bar_x,
                y + (ROW - BAR) / 2,
                length,
                BAR,
                BAR_FILL,
                point.label,
                _number(point.value),
                value_x,
                middle,
                value_anchor,
                INK,
                _number(point.value),
            )
        )
    axis_x = WIDTH - LABEL if rtl else LABEL
    axis = format_html(
        '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="{}"/>', axis_x, axis_x, height, LINE
    )
    body = axis + mark_safe("".join(rows))
    return _frame(WIDTH, height, title, _describe(desc, points), body, "chart chart--bars")


def trend_chart(points: Sequence[Point], *, title: str, desc: str, rtl: bool = False) -> SafeString:
    """A line through the points in time order, left to right (right to left in RTL)."""
    height, top_pad, bottom, side = 220, 24, 40, 40
    top = _largest(points)
    largest = top.value if top and top.value else 1
    step = (WIDTH - 2 * side) / max(len(points) - 1, 1)
    plot_height = height - top_pad - bottom
    coordinates = []
    marks = []
    for index, point in enumerate(points):
        position = side + index * step
        x = round(WIDTH - position if rtl else position, 1)
        label = format_html(
            '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{}</text>',
            x,
            height - bottom + 18,
            INK,
            point.label,
        )
        if point.value is None:
            marks.append(label)
            continue
        y = round(top_pad + plot_height * (1 - point.value / largest), 1)
        coordinates.append(f"{x},{y}")
        marks.append(
            format_html(
                '<g class="point"><circle cx="{}" cy="{}" r="4" fill="{}">'
                "<title>{}: {}</title></circle>"
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>{}</g>',
                x,
                y,
                BAR_FILL,
                point.label,
                _number(point.value),
                x,
                y - 8,
                INK,
                _number(point.value),
                label,
            )
        )
    baseline = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
        side / 2,
        height - bottom,
        WIDTH - side / 2,
        height - bottom,
        LINE,
    )
    line = (
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
            " ".join(coordinates),
            BAR_FILL,
        )
        if len(coordinates) > 1
        else ""
    )
    body = baseline + line + format_html_join("", "{}", ((mark,) for mark in marks))
    return _frame(WIDTH, height, title, _describe(desc, points), body, "chart chart--trend")
