"""French without a prefix, Arabic (right to left) under `/ar/`, English under `/en/`: the
pages, their interface strings, the language switcher and the links that keep the language."""

import pytest
from bs4 import BeautifulSoup

from tests.shared_data import fresh

pytestmark = pytest.mark.django_db

PREFIXES = {"fr": "", "ar": "/ar", "en": "/en"}


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def nav_label(soup, path):
    """The text of the main navigation's link to `path` (e.g. "/courses/")."""
    links = [a for a in soup.select("header .site-nav a") if a["href"].endswith(path)]
    assert len(links) == 1, [a["href"] for a in soup.select("header .site-nav a")]
    return links[0].get_text(strip=True)


@pytest.fixture
def small_network(small_network_once, db):
    """The module's small network, read again for this test."""
    return fresh(small_network_once)


@pytest.fixture
def paths(small_network):
    """The unprefixed paths of the home page, the catalogue and a course."""
    return {
        "home": "/",
        "catalogue": "/courses/",
        "course": small_network["intro"].url,
        "skill": "/skills/apprentissage-supervise/",
    }


@pytest.mark.parametrize("page", ["home", "catalogue", "course", "skill"])
@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_pages_declare_their_language_and_direction(client, paths, page, language, direction):
    """Each page answers under every prefix with `<html lang>` set, `dir="rtl"` only in Arabic."""
    soup = soup_of(client.get(PREFIXES[language] + paths[page]))
    assert soup.html["lang"] == language
    assert soup.html["dir"] == direction


def test_course_content_is_the_same_under_every_prefix(client, paths):
    """Content is written once: the course's title is the same page under each prefix."""
    titles = {
        language: soup_of(client.get(prefix + paths["course"])).h1.get_text(strip=True)
        for language, prefix in PREFIXES.items()
    }
    assert set(titles.values()) == {"Introduction au machine learning"}


def test_interface_strings_are_translated(client, paths):
    """Navigation labels come from each language's catalogue (fr, ar and en all differ)."""
    soups = {
        language: soup_of(client.get(prefix + "/courses/")) for language, prefix in PREFIXES.items()
    }
    skills = {language: nav_label(soup, "/skills/") for language, soup in soups.items()}
    institutes = {language: nav_label(soup, "/institutes/") for language, soup in soups.items()}
    catalogue = {language: nav_label(soup, "/courses/") for language, soup in soups.items()}
    assert len(set(skills.values())) == 3, skills
    assert len(set(institutes.values())) == 3, institutes
    # "Catalogue" is spelled the same in French and English, not in Arabic.
    assert catalogue["ar"] not in (catalogue["fr"], catalogue["en"]), catalogue
    assert skills["en"] == "Skills"


def test_french_prefix_redirects_to_the_unprefixed_path(client):
    """`/fr/courses/` is a permanent redirect to `/courses/`, keeping the query string."""
    response = client.get("/fr/courses/")
    assert response.status_code == 301
    assert response["Location"] == "/courses/"
    response = client.get("/fr/courses/?format=workshop&level=advanced")
    assert response.status_code == 301
    assert response["Location"] == "/courses/?format=workshop&level=advanced"


def test_browser_language_does_not_move_the_french_site(client, paths):
    """An Arabic browser asking for `/` gets the French page, not a redirect (no prefix is fr)."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert soup_of(response).html["lang"] == "fr"


@pytest.mark.parametrize("page", ["home", "catalogue", "course"])
@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_language_switcher_points_to_the_same_page(client, paths, page, language):
    """The switcher links to the same path under each language's prefix, marking the current."""
    soup = soup_of(client.get(PREFIXES[language] + paths[page]))
    links = soup.select("nav.lang-switcher a")
    assert {a["hreflang"]: a["href"] for a in links} == {
        code: prefix + paths[page] for code, prefix in PREFIXES.items()
    }
    current = [a["hreflang"] for a in links if a.get("aria-current")]
    assert current == [language]


def test_language_switcher_keeps_the_filters(client, paths):
    """Switching language on a filtered catalogue keeps the query string."""
    soup = soup_of(client.get("/en/courses/?format=workshop"))
    hrefs = {a["hreflang"]: a["href"] for a in soup.select("nav.lang-switcher a")}
    assert hrefs == {
        "fr": "/courses/?format=workshop",
        "ar": "/ar/courses/?format=workshop",
        "en": "/en/courses/?format=workshop",
    }


@pytest.mark.parametrize("language", ["ar", "en"])
def test_links_keep_the_visitors_language(client, paths, language):
    """From `/<lang>/courses/`, course, navigation and facet links stay under `/<lang>/`."""
    prefix = PREFIXES[language]
    soup = soup_of(client.get(f"{prefix}/courses/"))
    course_links = [a["href"] for a in soup.select(".course-card__title a")]
    assert len(course_links) == 3
    assert all(href.startswith(f"{prefix}/courses/") for href in course_links), course_links
    nav_links = [a["href"] for a in soup.select("header .site-nav a")]
    assert all(href.startswith(f"{prefix}/") for href in nav_links), nav_links
    # Facet links are relative query strings: they stay on the prefixed page.
    assert all(a["href"].startswith("?") for a in soup.select("a.facet__option"))


@pytest.mark.parametrize("language", ["ar", "en"])
def test_course_page_links_keep_the_visitors_language(client, paths, language):
    """A course page under a prefix links its institute and skills under the same prefix."""
    prefix = PREFIXES[language]
    soup = soup_of(client.get(prefix + paths["course"]))
    main_links = [
        a["href"] for a in soup.select("main a[href^='/']") if not a["href"].startswith("#")
    ]
    assert main_links, "the course page links to its institute and skills"
    assert all(href.startswith(f"{prefix}/") for href in main_links), main_links
    assert f"{prefix}/institutes/jazari-root/" in main_links
    assert f"{prefix}/skills/apprentissage-supervise/" in main_links


def test_unprefixed_english_words_are_not_a_language(client, paths):
    """A path that merely starts like a language code (`/english/`) is not treated as one."""
    assert client.get("/english/").status_code == 404
