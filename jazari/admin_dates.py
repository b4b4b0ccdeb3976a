"""Date fields of the Wagtail admin: the format they show is said, and accepted with ISO 8601.

Wagtail shows dates as `WAGTAIL_DATE_FORMAT` and `WAGTAIL_DATETIME_FORMAT` (day/month/year
here) in a date-time picker that, when the field loses focus, replaces any value it can't read
in that format by the current date and time: `2027-03-10 09:00` typed into a session became
"now" without a word. And the server read the field with the input formats of the admin's
language, in which `10/03/2027` is the 3rd of October in English and Arabic.

So every date and date-time field of Wagtail's admin forms (`register_form_field_override`,
from `JazariConfig.ready`):

- says its format in the placeholder (`JJ/MM/AAAA hh:mm` in French);
- keeps what the editor typed (the picker's `validateOnBlur` is off): the server decides;
- accepts the displayed format and ISO 8601 (`2027-03-10 09:00`, `2027-03-10T09:00`), whatever
  the admin's language, and refuses anything else with a message naming both.
"""

from datetime import datetime

from django import forms
from django.conf import settings
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext
from wagtail.admin import widgets
from wagtail.admin.forms.models import register_form_field_override

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%d %H:%M"
EXAMPLE = datetime(2027, 3, 10, 9, 0)


def date_format():
    return getattr(settings, "WAGTAIL_DATE_FORMAT", ISO_DATE)


def datetime_format():
    return getattr(settings, "WAGTAIL_DATETIME_FORMAT", ISO_DATETIME)


def _hint(strftime_format):
    """`%d/%m/%Y %H:%M` → `JJ/MM/AAAA hh:mm`, in the active language."""
    tokens = {
        "%d": pgettext("date format: day", "DD"),
        "%m": pgettext("date format: month", "MM"),
        "%Y": pgettext("date format: year", "YYYY"),
        "%H": pgettext("date format: hours", "hh"),
        "%M": pgettext("date format: minutes", "mm"),
        "%S": pgettext("date format: seconds", "ss"),
    }
    for token, label in tokens.items():
        strftime_format = strftime_format.replace(token, label)
    return strftime_format


def _invalid_datetime(displayed):
    return gettext(
        "Enter the date and time as %(format)s, for example %(example)s, or in ISO 8601 (%(iso)s)."
    ) % {
        "format": _hint(displayed),
        "example": EXAMPLE.strftime(displayed),
        "iso": EXAMPLE.strftime(ISO_DATETIME),
    }


def _invalid_date(displayed):
    return gettext(
        "Enter the date as %(format)s, for example %(example)s, or in ISO 8601 (%(iso)s)."
    ) % {
        "format": _hint(displayed),
        "example": EXAMPLE.strftime(displayed),
        "iso": EXAMPLE.strftime(ISO_DATE),
    }


# Translated when shown, in the language of the admin page.
format_hint = lazy(_hint, str)
invalid_datetime = lazy(_invalid_datetime, str)
invalid_date = lazy(_invalid_date, str)


class AdminDateTimeField(forms.DateTimeField):
    """The displayed format (with or without seconds), a date alone, or ISO 8601.

    ISO 8601 is read by `forms.DateTimeField` itself (`parse_datetime`) before the formats.
    """

    def __init__(self, **kwargs):
        displayed = datetime_format()
        kwargs.setdefault("input_formats", [displayed, f"{displayed}:%S", date_format()])
        super().__init__(**kwargs)
        self.error_messages["invalid"] = invalid_datetime(displayed)


class AdminDateField(forms.DateField):
    """The displayed format or ISO 8601 (`2027-03-10`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [date_format(), ISO_DATE])
        super().__init__(**kwargs)
        self.error_messages["invalid"] = invalid_date(date_format())


class AdminDateTimeInput(widgets.AdminDateTimeInput):
    """Wagtail's picker, saying its format, and leaving typed text as it is on blur."""

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs, **kwargs)
        self.attrs.setdefault("placeholder", format_hint(self.format))

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


class AdminDateInput(widgets.AdminDateInput):
    """Wagtail's date picker, saying its format, and leaving typed text as it is on blur."""

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs, **kwargs)
        self.attrs.setdefault("placeholder", format_hint(self.format))

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


def register():
    """Use these fields and widgets for every date and date-time field of Wagtail's forms."""
    register_form_field_override(
        models.DateTimeField,
        override={"widget": AdminDateTimeInput, "form_class": AdminDateTimeField},
    )
    register_form_field_override(
        models.DateField, override={"widget": AdminDateInput, "form_class": AdminDateField}
    )
