"""Morocco's time: sessions are entered and shown in Africa/Casablanca, and stored in UTC.

The one definition of the time zone (`settings.TIME_ZONE` names the same one), used by pages,
emails, the admin, the API and the demo data alike.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

CASABLANCA = ZoneInfo("Africa/Casablanca")


def in_casablanca(value: datetime) -> datetime:
    """An aware datetime in Africa/Casablanca; a naive one is taken as Casablanca's time."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, CASABLANCA)
    return value.astimezone(CASABLANCA)


def format_casablanca(value: datetime | None, fmt: str | None = None) -> str:
    """`value` in Africa/Casablanca formatted with `strftime` (the admin's datetime format by
    default); '' for None."""
    if value is None:
        return ""
    fmt = fmt or getattr(settings, "WAGTAIL_DATETIME_FORMAT", "%Y-%m-%d %H:%M")
    return timezone.localtime(value, CASABLANCA).strftime(fmt)


def naive_casablanca(value: datetime | None) -> datetime | None:
    """The wall-clock time in Casablanca, without a time zone (for XLSX cells, which have none)."""
    if value is None:
        return None
    return timezone.make_naive(value, CASABLANCA)
