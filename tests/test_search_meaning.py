"""Search that finds what people mean, on PostgreSQL: Arabic written in any of its forms, typos
with a "did you mean", places in French and Arabic, translations shown in the reader's
language, next sessions with a fixed number of queries, and searches without results counted
without personal data for the programme's report."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from courses.models import InstituteCoursesPage
from reports.models import UnansweredSearch
from tests import factories
from tests.accounts import log_in
from tests.material_factories import superuser
from tests.shared_data import built_once, fresh

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(scope="module")
def corpus_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build_corpus(factories.site_tree())


@pytest.fixture
def corpus(corpus_once, db):
    return fresh(corpus_once)


def translate(page, language, **fields):
    """`page` copied into `language`'s tree with `fields`, published; its parents first (an
    institute's folder of courses without the institute, which has one folder)."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    for parent in page.get_ancestors().specific().filter(depth__gt=1):
        if parent.get_translation_or_none(locale) is None:
            exclude = ["institute"] if isinstance(parent, InstituteCoursesPage) else None
            parent.copy_for_translation(locale, exclude_fields=exclude).save_revision().publish()
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy.specific_class.objects.get(pk=copy.pk)


def build_corpus(tree):
    """Institutes in Rabat, Tanger and Agadir; an Arabic course, a Python course in Tanger
    (translated into Arabic and English), a machine learning course in Agadir, five robotics
    workshops in Tanger, a course online only."""
    root = factories.institute(tree, "Jazari Root", city="Rabat", is_hub=True)
    tanger = factories.institute(
        tree, "Jazari Institute Tanger", region="tanger-tetouan-al-hoceima", city="Tanger"
    )
    agadir = factories.institute(
        tree, "Jazari Institute Souss", region="souss-massa", city="Agadir"
    )
    arabic = factories.course(
        tree,
        "الذكاء الاصطناعي للإدارة العمومية",
        root,
        summary="دورة تمهيدية في الذكاء الاصطناعي للموظفين.",
        languages=("ar",),
    )
    python = factories.course(
        tree, "Programmer en Python", tanger, summary="Les bases de la programmation."
    )
    python_ar = translate(python, "ar", title="البرمجة بلغة بايثون", summary="أساسيات البرمجة.")
    python_en = translate(
        python, "en", title="Programming in Python", summary="Learning the basics of programming."
    )
    learning = factories.course(
        tree,
        "Introduction à l'apprentissage automatique",
        agadir,
        summary="Régression et classification.",
    )
    robotics = [
        factories.course(tree, f"Atelier robotique {n}", tanger, summary="Des robots.")
        for n in range(1, 6)
    ]
    online = factories.course(tree, "Données ouvertes", root, summary="Des jeux de données.")
    sessions = {
        "python": factories.session(
            python, starts_in=timezone.timedelta(days=12), capacity=20, confirmed_count=3
        ),
        "python_later": factories.session(python, starts_in=timezone.timedelta(days=40)),
        "learning": factories.session(
            learning, starts_in=timezone.timedelta(days=5), mode="hybrid", capacity=8
        ),
        "online": factories.session(online, mode="online"),
    }
    for n, course in enumerate(robotics):
        factories.session(course, starts_in=timezone.timedelta(days=20 + n))
    return {
        "arabic": arabic,
        "python": python,
        "python_ar": python_ar,
        "python_en": python_en,
        "learning": learning,
        "robotics": robotics,
        "sessions": sessions,
    }


def search(client, query, prefix=""):
    response = client.get(f"{prefix}/search/", {"q": query})
    assert response.status_code == 200, (query, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def course_titles(soup):
    return [a.get_text(strip=True) for a in soup.select(".course-card__title")]


# Arabic and languages


@pytest.mark.parametrize(
    "query",
    [
        "الذكاء الاصطناعي",
        "الذكاء الإصطناعى",  # hamza under the alef, alef maqsura
        "الذَّكَاءُ الاصْطِنَاعِيُّ",  # harakat
        "الذكـــاء الاصطنـــاعي",  # tatweel
        "للاداره العموميه",  # bare alef, haa for the taa marbuta of "للإدارة العمومية"
    ],
)
def test_arabic_variants_find_the_arabic_course(client, corpus, query):
    """Arabic written with or without hamzas, harakat, tatweel, taa marbuta or alef maqsura
    finds the same course."""
    assert course_titles(search(client, query)) == ["الذكاء الاصطناعي للإدارة العمومية"]


def test_each_translation_is_indexed_in_its_language(corpus):
    """The French page is stemmed in French, its Arabic and English translations in theirs."""
    backend = get_search_backend()
    assert backend.config_for(corpus["python"]) == "jazari_french"
    assert backend.config_for(corpus["python_ar"]) == "jazari_arabic"
    assert backend.config_for(corpus["python_en"]) == "jazari_english"
    english = IndexEntry.objects.get(object_id=str(corpus["python_en"].pk))
    assert "'learn'" in str(english.body)  # "Learning", stemmed in English
    assert "'program'" in str(english.body)  # "programming": "programm" in French


def test_french_and_english_stemming(client, corpus):
    """Another form of a word finds it: French "programmes", English "learned"."""
    assert course_titles(search(client, "programmes")) == ["Programmer en Python"]
    assert course_titles(search(client, "learned", prefix="/en")) == ["Programming in Python"]


def test_a_translation_is_found_in_its_language_and_shown_in_the_readers(client, corpus):
    """An Arabic query finds the Arabic translation: under /ar/ it is shown, with its Arabic
    address; a French reader sees the French version of the same course, once."""
    soup = search(client, "بايثون", prefix="/ar")
    assert course_titles(soup) == ["البرمجة بلغة بايثون"]
    assert soup.select_one(".course-card__title a")["href"].startswith("/ar/courses/")
    soup = search(client, "بايثون")
    assert course_titles(soup) == ["Programmer en Python"]
    assert soup.select_one(".course-card__title a")["href"].startswith("/courses/")


def test_a_course_found_in_several_languages_is_shown_once(client, corpus):
    """ "Python" is in the French, Arabic and English pages: one card, in the reader's
    language."""
    assert course_titles(search(client, "python")) == ["Programmer en Python"]
    assert course_titles(search(client, "python", prefix="/en")) == ["Programming in Python"]


# Typos and partial words


@pytest.mark.parametrize(
    "typed, meant, title",
    [
        ("pyhton", "python", "Programmer en Python"),
        ("apprentisage", "apprentissage", "Introduction à l'apprentissage automatique"),
        ("robotiqe", "robotique", "Atelier robotique 1"),
    ],
)
def test_a_typo_finds_results_with_a_did_you_mean_link(client, corpus, typed, meant, title):
    """A word with a typo finds what the closest known word finds, and the page offers that
    word as a link."""
    soup = search(client, typed)
    assert title in course_titles(soup)
    link = soup.select_one(".search-suggestion a")
    assert link.get_text(strip=True) == meant
    assert link["href"] == f"/search/?q={meant}"


def test_no_suggestion_when_the_words_are_found(client, corpus):
    """A query that finds something offers nothing else."""
    assert search(client, "python").select_one(".search-suggestion") is None


def test_unrelated_words_get_no_suggestion(client, corpus):
    """A word that is no plausible typo of a known word finds nothing and offers nothing."""
    soup = search(client, "blockchain")
    assert course_titles(soup) == []
    assert soup.select_one(".search-suggestion") is None


@pytest.mark.parametrize("query", ["pyth", "Pyth", "robot"])
def test_partial_words(client, corpus, query):
    """The beginning of a word finds the courses with the whole word."""
    assert course_titles(search(client, query))


# Places


@pytest.mark.parametrize("query", ["Tanger", "tanger", "طنجة", "Tanger-Tétouan-Al Hoceïma"])
def test_a_city_or_its_region_finds_the_courses_held_there(client, corpus, query):
    """A city of the network, in French or Arabic, or its region, finds the courses with a
    session there, the soonest first, and the institute there."""
    soup = search(client, query)
    assert course_titles(soup) == ["Programmer en Python"] + [
        f"Atelier robotique {n}" for n in range(1, 6)
    ]
    institutes = [a.get_text(strip=True) for a in soup.select(".institute-card__title")]
    assert institutes == ["Jazari Institute Tanger"]


@pytest.mark.parametrize("query", ["Souss-Massa", "souss massa", "سوس-ماسة", "Agadir", "أكادير"])
def test_a_region_in_french_or_arabic_finds_its_courses(client, corpus, query):
    """A region's name, however written, finds the courses held in it."""
    assert course_titles(search(client, query)) == ["Introduction à l'apprentissage automatique"]


def test_words_and_a_place_narrow_each_other(client, corpus):
    """ "python Tanger" finds the Python course held in Tanger; "python Agadir" nothing."""
    assert course_titles(search(client, "python Tanger")) == ["Programmer en Python"]
    assert course_titles(search(client, "robotique à Tanger"))[:1] == ["Atelier robotique 1"]
    assert course_titles(search(client, "python Agadir")) == []


def test_results_show_the_next_session_mode_and_seats(client, corpus):
    """Each course shows its next session: date, mode, city and seats left."""
    soup = search(client, "python")
    next_session = soup.select_one(".course-card__next")
    session = corpus["sessions"]["python"]
    assert next_session.find("time")["datetime"].startswith(
        timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M")
    )
    text = " ".join(next_session.get_text().split())
    with translation.override("fr"):
        assert str(session.get_mode_display()) in text
    assert "Tanger" in text
    assert next_session.select_one(".course-card__more").get_text(strip=True).startswith("17")


# Query counts


def queries_for(client, query):
    with CaptureQueriesContext(connection) as context:
        search(client, query)
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_depend_on_the_results(client, corpus):
    """One course or six, found by words, by a place or through a suggestion: the same number
    of queries."""
    search(client, "python")  # the site's root paths, cached once
    by_words = {q: queries_for(client, q) for q in ("python", "robotique", "apprentissage")}
    by_place = {q: queries_for(client, q) for q in ("Agadir", "Tanger")}
    by_typo = {q: queries_for(client, q) for q in ("pyhton", "robotiqe")}
    assert len(set(by_words.values())) == 1, by_words
    assert len(set(by_place.values())) == 1, by_place
    assert len(set(by_typo.values())) == 1, by_typo
    assert max([*by_words.values(), *by_place.values(), *by_typo.values()]) <= 20


# Searches without results


def test_searches_without_results_are_counted_per_query_and_day(client, corpus):
    """Three searches for the same words (however written) that find nothing make one row of
    today's count 3; a search that finds something is not counted."""
    for query in ("Blockchain quantique", "blockchain  quantique", "BLOCKCHAIN QUANTIQUE"):
        search(client, query)
    search(client, "python")
    rows = list(UnansweredSearch.objects.values_list("query", "day", "count"))
    assert rows == [("blockchain quantique", timezone.localdate(), 3)]


def test_nothing_personal_is_kept_about_searches(client, corpus):
    """The count keeps the query and the day only: no account, no address, no time; a query
    that looks like contact details is not kept at all."""
    learner = factories.learner("amina@example.com")
    client.force_login(learner)
    search(client, "cryptographie quantique")
    search(client, "amina@example.com")
    search(client, "0612345678")
    fields = {f.name for f in UnansweredSearch._meta.get_fields()}
    assert fields == {"id", "query", "day", "count"}
    assert list(UnansweredSearch.objects.values_list("query", flat=True)) == [
        "cryptographie quantique"
    ]


def test_programme_managers_see_the_searches_without_results(client, corpus):
    """The Programme area lists the searches without results to programme managers and
    administrators, most frequent first; an institute's editors don't see it."""
    from jazari.staff import PROGRAMME_MANAGERS_GROUP

    for query in ("quantique", "quantique", "drones"):
        search(client, query)
    manager = factories.learner("manager@jazari.ma")
    manager.groups.add(Group.objects.get(name=PROGRAMME_MANAGERS_GROUP))
    for user in (manager, superuser()):
        log_in(client, user)
        response = client.get("/admin/programme/")
        assert response.status_code == 200
        table = BeautifulSoup(response.content, "html.parser").select_one("#demand-table")
        rows = [
            [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])][:2]
            for row in table.select("tbody tr")
        ]
        assert rows == [["quantique", "2"], ["drones", "1"]]
        client.logout()

    editor = factories.learner("editor-tanger@jazari.ma")
    editor.groups.add(corpus["python"].institute.editors)
    log_in(client, editor)
    response = client.get("/admin/programme/")
    assert response.status_code == 200
    assert b"demand-table" not in response.content


def test_the_catalogue_and_the_api_read_arabic_variants_alike(client, corpus):
    """The catalogue's free text and the API's `q` go through the same index: Arabic written
    with a hamza and an alef maqsura finds the course written without."""
    response = client.get("/courses/", {"q": "الذكاء الإصطناعى"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert [a.get_text(strip=True) for a in soup.select(".course-card__title")] == [
        "الذكاء الاصطناعي للإدارة العمومية"
    ]
    factories.session(corpus["arabic"])
    response = client.get("/api/v1/sessions/", {"q": "الذَّكَاءُ"})
    assert [item["course"]["title"] for item in response.json()["results"]] == [
        "الذكاء الاصطناعي للإدارة العمومية"
    ]
