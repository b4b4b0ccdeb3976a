"""Site search across courses, skills and institutes with Wagtail's search backend.

Full-text search (PostgreSQL full text on PostgreSQL, FTS5 on SQLite) finds whole words
anywhere in a course; autocomplete matches the beginning of words in titles and names, so
"appren" finds "apprentissage".
"""

from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects

from courses.models import CoursePage
from institutes.models import InstitutePage
from jazari.search import MAX_RESULTS, clean_query
from skills.models import Skill


@dataclass
class SearchResults:
    courses: list = field(default_factory=list)
    skills: list = field(default_factory=list)
    institutes: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.courses) + len(self.skills) + len(self.institutes)


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


def _listed(courses):
    """The found courses that listings show (`CoursePageQuerySet.listed`), in their order: one
    query, after the search, which every search backend allows (OpenSearch filters only on
    indexed fields)."""
    if not courses:
        return courses
    shown = set(
        CoursePage.objects.listed()
        .filter(pk__in=[c.pk for c in courses])
        .values_list("pk", flat=True)
    )
    return [course for course in courses if course.pk in shown]


def site_search(query):
    query = clean_query(query)
    if not query:
        return SearchResults()
    courses = _listed(_search(CoursePage.objects.live(), query))
    prefetch_related_objects(courses, "institute")
    skills = _search(Skill.objects.all(), query)
    prefetch_related_objects(skills, "category")
    return SearchResults(
        courses=courses,
        skills=skills,
        institutes=_search(InstitutePage.objects.live(), query),
    )
