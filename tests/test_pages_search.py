"""`/search/?q=` on either database: courses, skills and institutes found by their words,
partial words and Arabic text; bad queries answer 4xx, never 500."""

import pytest
from bs4 import BeautifulSoup

from tests import factories
from tests.shared_data import built_once, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corpus_once(django_db_setup, django_db_blocker):
    """The corpus, built once for the module (see `tests.shared_data`)."""
    with built_once(django_db_blocker):
        yield build_corpus(factories.site_tree())


@pytest.fixture
def corpus(corpus_once, db):
    """The module's corpus, read again for this test."""
    return fresh(corpus_once)


def build_corpus(tree):
    """Courses with distinctive words in title, summary and body; a skill; an institute."""
    oujda = factories.institute(tree, "Jazari Institute Oriental", region="oriental", city="Oujda")
    factories.skill("Vision par ordinateur", category="Vision")
    return {
        "data": factories.course(
            tree,
            "Analyse de données publiques",
            oujda,
            summary="Nettoyer et visualiser des jeux de données ouverts.",
            body=[("paragraph", "<p>Nous utiliserons pandas et des notebooks Jupyter.</p>")],
        ),
        "ml": factories.course(tree, "Introduction à l'apprentissage automatique", oujda),
        "arabic": factories.course(
            tree,
            "مقدمة في التعلم الآلي",
            oujda,
            summary="دورة تمهيدية في التعلم الآلي للطلاب.",
            languages=("ar",),
        ),
    }


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    return response, BeautifulSoup(response.content, "html.parser")


def found(soup):
    """{"courses": [titles], "skills": [names], "institutes": [titles]} shown on the page."""
    return {
        "courses": [a.get_text(strip=True) for a in soup.select(".course-card__title")],
        "skills": [a.get_text(strip=True) for a in soup.select(".skill-list__name")],
        "institutes": [a.get_text(strip=True) for a in soup.select(".institute-card__title")],
    }


def test_finds_a_course_by_a_word_of_its_summary(client, corpus):
    """A word of a course's summary finds it, and only it."""
    response, soup = search(client, "visualiser")
    assert response.status_code == 200
    assert found(soup) == {
        "courses": ["Analyse de données publiques"],
        "skills": [],
        "institutes": [],
    }


def test_finds_a_course_by_a_word_of_its_body(client, corpus):
    """A word that only appears in the StreamField body finds the course."""
    _response, soup = search(client, "jupyter")
    assert found(soup)["courses"] == ["Analyse de données publiques"]


def test_finds_a_skill_by_its_name(client, corpus):
    """A skill's name finds the skill, linked to its page."""
    _response, soup = search(client, "ordinateur")
    assert found(soup)["skills"] == ["Vision par ordinateur"]
    assert soup.select_one("a.skill-list__name")["href"] == "/skills/vision-par-ordinateur/"


def test_finds_an_institute_by_its_city(client, corpus):
    """An institute is found by its city, whatever the case."""
    for query in ("Oujda", "oujda"):
        _response, soup = search(client, query)
        assert found(soup)["institutes"] == ["Jazari Institute Oriental"], query


@pytest.mark.parametrize("query", ["apprentiss", "appren", "Apprentiss"])
def test_partial_words_match_the_start_of_title_words(client, corpus, query):
    """The beginning of a word ("apprentiss") finds "apprentissage"."""
    _response, soup = search(client, query)
    assert "Introduction à l'apprentissage automatique" in found(soup)["courses"]


@pytest.mark.parametrize("query", ["التعلم", "تمهيدية"])
def test_arabic_words_find_an_arabic_course(client, corpus, query):
    """An Arabic word of the title or summary finds the course titled in Arabic."""
    _response, soup = search(client, query)
    assert found(soup)["courses"] == ["مقدمة في التعلم الآلي"]


def test_unpublished_courses_are_not_found(client, corpus):
    """A course taken offline no longer appears in search results."""
    corpus["data"].unpublish()
    _response, soup = search(client, "visualiser")
    assert found(soup)["courses"] == []


def test_no_result_shows_the_nothing_found_state(client, corpus):
    """A word found nowhere shows the "nothing matches" box, not an empty list."""
    response, soup = search(client, "blockchain")
    assert response.status_code == 200
    assert found(soup) == {"courses": [], "skills": [], "institutes": []}
    assert soup.select_one(".empty--box") is not None
    assert soup.select_one(".results-summary").get_text().strip().startswith("0")


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_query_shows_the_empty_state(client, corpus, query):
    """No query shows the invitation to search, no result count and no error."""
    response, soup = search(client, query)
    assert response.status_code == 200
    assert soup.select_one(".results-summary") is None
    assert soup.select_one(".alert--error") is None
    assert soup.select_one("main p.empty") is not None
    assert soup.find("input", id="search-q")["value"] == ""


def test_no_query_parameter_shows_the_empty_state(client, corpus):
    """`/search/` without `q` shows the invitation to search."""
    response = client.get("/search/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("main p.empty") is not None


def test_overlong_query_is_a_400_with_a_message(client, corpus):
    """A 300-character query answers 400 with a message, the form and no results."""
    response, soup = search(client, "données " * 37 + "abcd")
    assert response.status_code == 400
    alert = soup.select_one(".alert--error")
    assert alert is not None and "200" in alert.get_text()
    assert soup.find("input", id="search-q")["aria-invalid"] == "true"
    assert soup.select_one(".results-summary") is None


@pytest.mark.parametrize(
    "query", ['"', 'a"b', "'", "(", "*", "-a", "NOT", "a AND", "C++", "NEAR(", "a:b", "\\"]
)
def test_query_syntax_characters_are_not_a_server_error(client, corpus, query):
    """Quotes, brackets and search-engine operators are searched as text, never a 500."""
    client.raise_request_exception = False
    response, _soup = search(client, query)
    assert response.status_code == 200


def test_null_character_in_query_is_a_400(client, corpus):
    """A NUL character (`%00`) in the query answers 400, not a database error."""
    client.raise_request_exception = False
    response = client.get("/search/?q=donn%00ees")
    assert response.status_code == 400


def test_catalogue_search_box_with_a_quote_is_not_a_server_error(client, corpus):
    """The catalogue's `q` filter survives a double quote too."""
    client.raise_request_exception = False
    response = client.get('/courses/?q=a"b')
    assert response.status_code in (200, 400)


def test_results_link_under_the_visitors_language(client, corpus):
    """From `/en/search/`, course and institute links stay under `/en/`."""
    response = client.get("/en/search/", {"q": "Oujda"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "en"
    links = [a["href"] for a in soup.select(".institute-card__title a")]
    assert links == ["/en/institutes/jazari-institute-oriental/"]


def test_a_search_without_results_is_counted_without_personal_data(client, corpus):
    """On either database, a query that finds nothing adds one to its count of the day."""
    from reports.models import UnansweredSearch

    search(client, "Blockchain")
    search(client, "blockchain")
    search(client, "Oujda")
    assert list(UnansweredSearch.objects.values_list("query", "count")) == [("blockchain", 2)]


def test_a_city_finds_the_courses_held_there(client, corpus):
    """On either database, a city of the network finds the courses with a session there."""
    factories.session(corpus["ml"])
    _response, soup = search(client, "oujda")
    assert found(soup)["courses"] == ["Introduction à l'apprentissage automatique"]
    assert found(soup)["institutes"] == ["Jazari Institute Oriental"]
