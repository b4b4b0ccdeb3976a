"""The public pages run a fixed number of SQL queries whatever the size of the catalogue.

The data is built once for the module (10 courses, measured, then 50 more, measured again:
every list on the pages is then longer) inside a transaction rolled back at the end; each test
compares one page's counts. Some of the content is translated into Arabic: the Arabic pages
cost one more query per translated model they show (`jazari.i18n.with_text`), the French ones
none.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from courses.models import Audience
from jazari.i18n import localize_path, with_text
from skills.models import SkillLevel
from tests import factories

# In the database group, so the tests run before transactional tests flush the migrations' data.
pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 60
CATALOGUE_BOUND = 40
FORMATS = ["course", "workshop", "seminar", "bootcamp"]
LEVELS = ["beginner", "intermediate", "advanced"]
PAGES = [
    "catalogue",
    "catalogue_filtered",
    "catalogue_repeated",
    "course",
    "home",
    "institute",
    "skill",
    "skills_index",
    "institutes_index",
    "search",
]
# The listings measured in Arabic too, with the queries for the text of what each shows: one
# per translated model (courses, institutes, skills, categories, audiences, paths). Routing
# through the Arabic tree costs a few more, the same whatever the number of courses.
ARABIC_EXTRA = {
    "catalogue": 5,
    "catalogue_filtered": 5,
    "home": 3,
    "institute": 2,
    "skill": 5,
    "skills_index": 2,
    "institutes_index": 1,
}


def add_courses(tree, institutes, skills, start, stop):
    """Courses start…stop-1, each with 2 skills, 2 upcoming sessions and 1 or 2 languages."""
    for number in range(start, stop):
        organiser = institutes[number % len(institutes)]
        course = factories.course(
            tree,
            f"Formation {number:03d}",
            organiser,
            format=FORMATS[number % len(FORMATS)],
            level=LEVELS[number % len(LEVELS)],
            skills=[
                (skills[number % len(skills)], SkillLevel.FOUNDATION),
                (skills[(number + 1) % len(skills)], SkillLevel.INTERMEDIATE),
            ],
            languages=("fr", "ar") if number % 2 else ("fr",),
            audiences=("students", "researchers"),
        )
        factories.session(
            course, starts_in=timedelta(days=3 + number % 30), mode="in_person", capacity=15
        )
        factories.session(
            course,
            starts_in=timedelta(days=40 + number % 30),
            mode="online",
            institute=institutes[(number + 1) % len(institutes)],
        )


def text_queries(queries) -> int:
    """How many of `queries` read translations (`with_text`: `translation_key IN (…)`)."""
    return sum('"translation_key" IN (' in query["sql"] for query in queries.captured_queries)


def count_queries(urls, texts=None):
    """{page: number of queries} for each URL, after one warm-up request; `texts` gets
    {page: number of those reading translations}.

    The cache is emptied before each measured request, so the catalogue is computed and
    rendered, not served from its cache.
    """
    client = Client()
    counts = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200, url
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
        if texts is not None:
            texts[name] = text_queries(queries)
    translation.deactivate()
    return counts


@pytest.fixture(scope="module")
def query_counts(django_db_setup, django_db_blocker):
    """{"small": {page: count}, "large": {page: count}} for 10 and for 60 courses."""
    with django_db_blocker.unblock(), transaction.atomic():
        tree = factories.site_tree()
        institutes = [factories.institute(tree, "Jazari Root", is_hub=True)] + [
            factories.institute(tree, f"Jazari Institute {city}", region=region, city=city)
            for city, region in [
                ("Fès", "fes-meknes"),
                ("Oujda", "oriental"),
                ("Agadir", "souss-massa"),
                ("Tanger", "tanger-tetouan-al-hoceima"),
            ]
        ]
        skills = [
            factories.skill(f"Compétence {n}", category=f"Catégorie {n % 3}") for n in range(10)
        ]
        add_courses(tree, institutes, skills, 0, SMALL)
        course = factories.CoursePage.objects.get(title="Formation 000")
        urls = {
            "catalogue": "/courses/",
            "catalogue_filtered": "/courses/?format=course&level=beginner&language=fr",
            "catalogue_repeated": (
                "/courses/?format=course&format=workshop&format=seminar&level=beginner"
                "&level=advanced&language=fr&language=ar"
            ),
            "course": course.url,
            "home": "/",
            "institute": institutes[0].url,
            "skill": f"/skills/{skills[0].slug}/",
            "skills_index": "/skills/",
            "institutes_index": "/institutes/",
            "search": "/search/?q=Formation",
        }
        # Some of everything translated into Arabic.
        factories.translate(course, "ar", title="تكوين 000")
        factories.translate(institutes[0], "ar", title="جزري روت")
        factories.translate(skills[0], "ar", name="كفاءة 0")
        factories.translate(skills[0].category, "ar", name="فئة 0")
        factories.translate(Audience.objects.originals().get(slug="students"), "ar", name="الطلبة")
        urls.update({f"ar_{name}": localize_path(urls[name], "ar") for name in ARABIC_EXTRA})
        small = count_queries(urls)
        add_courses(tree, institutes, skills, SMALL, LARGE)
        texts = {}
        large = count_queries(urls, texts)
        transaction.set_rollback(True)
    print(f"\nSQL queries per page, {SMALL} vs {LARGE} courses:")
    for name in urls:
        print(f"  {name:<20} {small[name]:>3} {large[name]:>3}")
    return {"small": small, "large": large, "texts": texts}


@pytest.mark.parametrize("page", PAGES + [f"ar_{name}" for name in ARABIC_EXTRA])
def test_query_count_does_not_grow_with_the_catalogue(query_counts, page):
    """The page runs as many SQL queries with 60 courses as with 10."""
    small, large = query_counts["small"][page], query_counts["large"][page]
    print(f"{page}: {small} queries with {SMALL} courses, {large} with {LARGE}")
    assert large == small, f"{page}: {small} queries with {SMALL} courses, {large} with {LARGE}"


@pytest.mark.parametrize("page", ["catalogue", "catalogue_filtered", "catalogue_repeated"])
def test_catalogue_query_count_stays_bounded(query_counts, page):
    """The catalogue, filtered or not, stays under a fixed budget of queries."""
    count = query_counts["large"][page]
    assert count <= CATALOGUE_BOUND, f"{page}: {count} queries (budget {CATALOGUE_BOUND})"


def test_several_values_of_a_facet_cost_no_more_queries_than_one(query_counts):
    """The same facets with two or three values each run the queries of one value each."""
    for size in ("small", "large"):
        counts = query_counts[size]
        assert counts["catalogue_repeated"] == counts["catalogue_filtered"], counts


@pytest.mark.parametrize("page", list(ARABIC_EXTRA))
def test_arabic_listings_cost_one_query_per_translated_model(query_counts, page):
    """A listing in Arabic reads the translations of what it shows in one query per model;
    in French, in none."""
    texts = query_counts["texts"]
    french, arabic = texts[page], texts[f"ar_{page}"]
    print(f"{page}: {french} queries for translations in French, {arabic} in Arabic")
    assert french == 0, f"{page}: {french} queries for translations in French"
    assert 0 < arabic <= ARABIC_EXTRA[page], f"{page}: {arabic} queries for translations"


def test_text_in_french_costs_no_query(django_assert_num_queries):
    """Originals are in French: their text is themselves, without a query."""
    skills = [factories.skill("Compétence A"), factories.skill("Compétence B")]
    with translation.override("fr"), django_assert_num_queries(0):
        with_text([*skills, *(skill.category for skill in skills)])
    assert all(skill.text is skill for skill in skills)
    with translation.override("ar"), django_assert_num_queries(2):
        with_text([*skills, *(skill.category for skill in skills)])
