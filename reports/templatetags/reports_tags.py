"""How a figure reads in a table: grouped thousands, rates as percentages, "—" when unknown."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def measure(cell, name):
    """`cell`'s measure `name` formatted: rates (`…_rate`) as a percentage."""
    value = getattr(cell, name, None) if cell is not None else None
    return figure(value, percent=name.endswith("_rate"))


@register.filter
def figure(value, percent=False):
    if value is None:
        return "—"
    if percent:
        return number_format(value * 100, 1, use_l10n=True) + " %"
    if isinstance(value, float):  # a rate per 100,000 inhabitants
        return number_format(value, 2, use_l10n=True)
    return number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def cell_of(table, keys):
    """The cell of a `CrossTable` at (row key, column key), given as "row|column"."""
    row, column = keys
    return table.cells.get((row, column))


@register.simple_tag
def pair(first, second):
    return (first, second)
