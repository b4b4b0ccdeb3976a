"""Site search across courses, skills and institutes with Wagtail's search backend.

Full-text search (PostgreSQL full text on PostgreSQL, FTS5 on SQLite) finds whole words
anywhere in a course; autocomplete matches the beginning of words in titles and names, so
"appren" finds "apprentissage". On PostgreSQL, Arabic is matched whatever the written form of
its letters and each translation in its language's stemming (`jazari.search_backends`).

Beyond the words:
- a region or a city of the network named in the query ("Tanger", "Souss-Massa", "طنجة",
  `institutes.places`) finds the courses with a session there, and the institutes there; the
  other words of the query narrow them;
- a query that finds nothing is tried again with its unknown words replaced by the closest
  known ones ("pyhton" → "python", `search.suggestions`), shown as "did you mean";
- a course found in any language is shown in the reader's language when translated, else in
  the source language, once (one per `translation_key`).

The number of queries doesn't depend on the number of results: each step is one query or two.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import F, Min, OuterRef, Q, Subquery
from django.utils import timezone, translation

from courses.models import CoursePage, Session
from institutes.models import InstitutePage
from institutes.places import Place, find_place
from jazari.search import MAX_RESULTS, clean_query
from search.suggestions import suggest
from skills.models import Skill


@dataclass
class SearchResults:
    courses: list = field(default_factory=list)
    skills: list = field(default_factory=list)
    institutes: list = field(default_factory=list)
    # The place named in the query, if any.
    place: Place | None = None
    # The query searched instead of the one typed, which found nothing ("did you mean").
    suggestion: str | None = None

    @property
    def count(self):
        return len(self.courses) + len(self.skills) + len(self.institutes)


class Hit(NamedTuple):
    """A found page, by what `in_reader_language` needs of it."""

    pk: int
    translation_key: object
    locale_id: int


def _merge(*result_sets, limit=MAX_RESULTS):
    """Results of several searches, best first, each object once."""
    seen, merged = set(), []
    for results in result_sets:
        for obj in results[:limit]:
            if obj.pk not in seen:
                seen.add(obj.pk)
                merged.append(obj)
    return merged[:limit]


def _search(queryset, query):
    return _merge(queryset.search(query), queryset.autocomplete(query))


def in_reader_language(hits, queryset, language=None):
    """One page per translation among `hits` (found pages, best first, in any locale): the
    translation in `language` (the active one) if `queryset` has it, else the source's (the
    default language), else the page found. One query, after the search, which every search
    backend allows (OpenSearch filters only on indexed fields); pages `queryset` leaves out
    (not live, restricted) are left out."""
    keys = list(dict.fromkeys(hit.translation_key for hit in hits))
    if not keys:
        return []
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    preference = {language: 0, settings.LANGUAGE_CODE: 1}
    found = {hit.pk for hit in hits}
    candidates = queryset.filter(
        Q(translation_key__in=keys, locale__language_code__in=list(preference)) | Q(pk__in=found)
    ).annotate(language_code=F("locale__language_code"))
    best = {}
    for page in candidates:
        rank = preference.get(page.language_code, 2)
        if page.translation_key not in best or rank < best[page.translation_key][0]:
            best[page.translation_key] = (rank, page)
    return [best[key][1] for key in keys if key in best]


def held_at(place: Place, now: datetime) -> Q:
    """Sessions not finished and not cancelled, at a venue in `place`."""
    where = Q(institute__city__iexact=place.city) if place.is_city else Q()
    return Q(institute__region=place.region, ends_at__gt=now) & where


def courses_held_at(place: Place, now: datetime) -> list[Hit]:
    """The listed courses with a session in `place`, the soonest first. One query."""
    rows = (
        Session.objects.listed()
        .scheduled()
        .filter(held_at(place, now))
        .values("course_id", "course__translation_key", "course__locale_id")
        .annotate(first=Min("starts_at"))
        .order_by("first", "course_id")[:MAX_RESULTS]
    )
    return [
        Hit(row["course_id"], row["course__translation_key"], row["course__locale_id"])
        for row in rows
    ]


def network_cities():
    """(city, region) of the network's institutes, to recognise them in a query. One query."""
    return set(
        InstitutePage.objects.live()
        .originals()
        .exclude(city="")
        .values_list("city", "region")
        .distinct()
    )


def find(topic: str, place: Place | None, now: datetime) -> SearchResults:
    """What `topic` (words, maybe none) finds, in `place` if given."""
    courses = _search(CoursePage.objects.live(), topic) if topic else []
    skills = _search(Skill.objects.all(), topic) if topic else []
    institutes = _search(InstitutePage.objects.live(), topic) if topic else []
    if place is not None:
        held = courses_held_at(place, now)
        if topic:
            keys = {course.translation_key for course in courses}
            courses = [hit for hit in held if hit.translation_key in keys]
        else:
            courses = held
        in_place = InstitutePage.objects.live().originals().filter(region=place.region)
        if place.is_city:
            in_place = in_place.filter(city__iexact=place.city)
        if topic:
            institutes = [i for i in institutes if i.region == place.region]
        else:
            institutes = list(in_place.order_by("-is_hub", "title")[:MAX_RESULTS])
    courses = in_reader_language(courses, CoursePage.objects.visible().select_related("institute"))
    skills = in_reader_language(skills, Skill.objects.select_related("category"))
    return SearchResults(
        courses=courses,
        skills=skills,
        institutes=in_reader_language(institutes, InstitutePage.objects.live()),
        place=place,
    )


def site_search(query, now=None) -> SearchResults:
    """Courses, skills and institutes for `query`, as the search page shows them."""
    query = clean_query(query)
    if not query:
        return SearchResults()
    now = now or timezone.now()
    place, topic = find_place(query, network_cities())
    results = find(topic, place, now)
    if not results.count and topic:
        corrected = suggest(topic)
        if corrected:
            retried = find(corrected, place, now)
            if retried.count:
                retried.suggestion = f"{corrected} {place.name}" if place else corrected
                results = retried
    return results


def attach_next_sessions(courses, place: Place | None = None, now=None) -> None:
    """Each course's next session (`course.next_session`, with its venue; None without one):
    the next to start in `place` when given, else anywhere. The sessions of all translations of
    a course are its own. Two queries, whatever the number of courses."""
    now = now or timezone.now()
    if not courses:
        return
    upcoming = Session.objects.upcoming(now).filter(
        course__translation_key=OuterRef("translation_key")
    )
    if place is not None:
        upcoming = upcoming.filter(held_at(place, now))
    next_ids = dict(
        CoursePage.objects.filter(pk__in=[c.pk for c in courses])
        .annotate(next_id=Subquery(upcoming.order_by("starts_at", "pk").values("pk")[:1]))
        .values_list("pk", "next_id")
    )
    sessions = Session.objects.select_related("institute").in_bulk(
        [pk for pk in next_ids.values() if pk]
    )
    for course in courses:
        course.next_session = sessions.get(next_ids.get(course.pk))
