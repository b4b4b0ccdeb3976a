"""Site search on PostgreSQL full text (Wagtail's database backend), as in production.

What PostgreSQL's text search configuration does with French accents and Arabic is pinned
here as it is, so that a change of configuration is a visible decision.
"""

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def corpus(tree):
    """A French data course, a French ML course, an Arabic course; an institute in Oujda."""
    oujda = factories.institute(tree, "Jazari Institute Oriental", region="oriental", city="Oujda")
    factories.skill("Vision par ordinateur", category="Vision")
    return {
        "data": factories.course(
            tree,
            "Analyse de données publiques",
            oujda,
            summary="Nettoyer et visualiser des jeux de données ouverts.",
            body=[
                (
                    "paragraph",
                    "<p>Nous utiliserons pandas, des notebooks Jupyter et la bibliothèque "
                    "scikit-learn.</p>",
                )
            ],
        ),
        "ml": factories.course(
            tree,
            "Introduction à l'apprentissage automatique",
            oujda,
            summary="Les bases : régression, classification, validation croisée.",
        ),
        "arabic": factories.course(
            tree,
            "مقدمة في التعلم الآلي",
            oujda,
            summary="دورة تمهيدية في التعلم الآلي للطلاب.",
            body=[("paragraph", "<p>سنستخدم بايثون ومكتبة سايكيت.</p>")],
            languages=("ar",),
        ),
    }


def course_titles(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200, (query, response.status_code)
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".course-card__title")]


def test_runs_on_postgresql_full_text():
    """These tests run against PostgreSQL with Wagtail's database search backend."""
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
    from wagtail.search.backends import get_search_backend

    assert connection.vendor == "postgresql"
    assert isinstance(get_search_backend(), PostgresSearchBackend)


def test_finds_courses_by_words_of_summary_and_body(client, corpus):
    """Words of the summary ("croisée") and of the StreamField body ("pandas") find courses."""
    assert course_titles(client, "croisée") == ["Introduction à l'apprentissage automatique"]
    assert course_titles(client, "pandas") == ["Analyse de données publiques"]
    assert course_titles(client, "jupyter") == ["Analyse de données publiques"]


def test_finds_skills_by_name_and_institutes_by_city(client, corpus):
    """A skill is found by a word of its name, an institute by its city."""
    response = client.get("/search/", {"q": "ordinateur"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert [a.get_text(strip=True) for a in soup.select(".skill-list__name")] == [
        "Vision par ordinateur"
    ]
    response = client.get("/search/", {"q": "Oujda"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert [a.get_text(strip=True) for a in soup.select(".institute-card__title")] == [
        "Jazari Institute Oriental"
    ]


@pytest.mark.parametrize("query", ["apprentiss", "appren", "visualis", "donnée"])
def test_partial_words_match(client, corpus, query):
    """The start of a word finds courses that contain the whole word."""
    assert course_titles(client, query), query


@pytest.mark.parametrize("query", ["التعلم", "الآلي", "تمهيدية", "بايثون"])
def test_arabic_words_find_the_arabic_course(client, corpus, query):
    """Arabic words of the title, summary or body find the course titled in Arabic."""
    assert course_titles(client, query) == ["مقدمة في التعلم الآلي"]


def test_accented_words_are_found_with_their_accents(client, corpus):
    """ "données" and "Données" find the data course."""
    assert course_titles(client, "données") == ["Analyse de données publiques"]
    assert course_titles(client, "Données") == ["Analyse de données publiques"]


def test_unaccented_query_finds_accented_words(client, corpus):
    """ "donnees" typed without accents finds "données" (French configuration with unaccent)."""
    assert course_titles(client, "donnees") == ["Analyse de données publiques"]
    assert course_titles(client, "regression") == ["Introduction à l'apprentissage automatique"]


def test_search_uses_the_french_configuration():
    """The search backend uses the French, accent-insensitive configuration."""
    from django.conf import settings

    assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "jazari_french"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('jazari_french', 'Données régression')::text")
        (vector,) = cursor.fetchone()
    assert "donne" in vector and "regress" in vector


def test_title_matches_rank_before_body_matches(client, tree):
    """A course with the word in its title comes before one that only mentions it."""
    organiser = factories.institute(tree, "Jazari Root", is_hub=True)
    factories.course(
        tree,
        "Gouvernance des systèmes",
        organiser,
        summary="Un séminaire.",
        body=[("paragraph", "<p>Un mot sur la robotique en fin de journée.</p>")],
    )
    factories.course(tree, "Robotique collaborative", organiser, summary="Des robots.")
    assert course_titles(client, "robotique") == [
        "Robotique collaborative",
        "Gouvernance des systèmes",
    ]
