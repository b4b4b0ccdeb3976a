"""Demand the catalogue doesn't meet: searches that found nothing, counted per query and day.

`count_unanswered_search` is called by the site search when a query finds no course, skill or
institute; `unanswered_searches` is what the Programme area shows to programme managers and
administrators (the whole network's: a search belongs to no institute).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Sum
from django.utils import timezone

from jazari.search import MAX_QUERY_LENGTH, fold
from reports.models import UnansweredSearch

# Queries that may name a person rather than a subject (an email address, a phone or an
# identity number, a web address) are not counted.
PERSONAL = re.compile(r"@|\d{6,}|\d(?:[ .-]?\d){7,}|https?:|www\.")

# How far back the Programme area looks, and how many queries it lists.
DEMAND_DAYS = 90
DEMAND_ROWS = 50


def count_unanswered_search(query: str, day: date | None = None) -> None:
    """Add one to today's count of `query` (folded) having found nothing; nothing for a
    query that looks like contact details (`PERSONAL`)."""
    if PERSONAL.search(query):
        return
    folded = fold(query)[:MAX_QUERY_LENGTH]
    if not any(ch.isalnum() for ch in folded):
        return
    day = day or timezone.localdate()
    rows = UnansweredSearch.objects.filter(query=folded, day=day)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            UnansweredSearch.objects.create(query=folded, day=day, count=1)
    except IntegrityError:  # counted at the same moment by another request
        rows.update(count=F("count") + 1)


@dataclass(frozen=True)
class Demand:
    query: str
    searches: int
    days: int
    last_day: date


def unanswered_searches(*, days=DEMAND_DAYS, rows=DEMAND_ROWS, today=None) -> list[Demand]:
    """The queries that found nothing most often over the last `days` days, most asked first."""
    today = today or timezone.localdate()
    since = today - timedelta(days=days - 1)
    grouped = (
        UnansweredSearch.objects.filter(day__gte=since, day__lte=today)
        .values("query")
        .annotate(searches=Sum("count"), last_day=Max("day"), days=Count("pk"))
        .order_by("-searches", "-last_day", "query")[:rows]
    )
    return [Demand(g["query"], g["searches"], g["days"], g["last_day"]) for g in grouped]
