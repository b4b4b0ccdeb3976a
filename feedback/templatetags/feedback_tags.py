"""How scores read: an average rating with one decimal ("4,2 / 5"), a share as a percentage."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rating(value):
    """An average rating out of 5, one decimal in the active language; "—" without one."""
    if value is None:
        return "—"
    return f"{number_format(value, 1, use_l10n=True)} / 5"


@register.filter
def percent(value):
    """A percentage without decimals; "—" without one."""
    if value is None:
        return "—"
    return f"{number_format(value, 0, use_l10n=True)} %"
