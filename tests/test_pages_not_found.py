"""The production 404 page: in the site's layout, in the visitor's language, never a 500."""

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

PREFIXES = {"fr": "", "ar": "/ar", "en": "/en"}


def translated(language, message):
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_an_unknown_address_answers_the_404_page_in_the_visitors_language(
    client, settings, language, direction
):
    """With DEBUG off: status 404, the site's header and footer, the page's language and
    direction, a search box and a link to the catalogue, both under the language's prefix."""
    assert settings.DEBUG is False
    factories.site_tree()
    prefix = PREFIXES[language]
    response = client.get(f"{prefix}/no-such-page/really/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == language
    assert soup.html["dir"] == direction
    assert soup.find("header", class_="site-header") is not None
    assert soup.find("footer") is not None
    heading = translated(language, "Page not found")
    assert soup.h1.get_text(strip=True) == heading
    assert soup.title.get_text().startswith(heading)
    search = soup.find("form", class_="search-form")
    assert search["action"] == f"{prefix}/search/"
    assert search.find("input", attrs={"name": "q"}) is not None
    links = [a["href"] for a in soup.find("main").find_all("a")]
    assert f"{prefix}/courses/" in links


def test_a_missing_page_under_an_existing_section_is_the_same_404_page(client):
    """A course that does not exist, under the catalogue: the site's 404 page, not a 500."""
    factories.site_tree()
    response = client.get("/en/courses/no-such-folder/no-such-course/")
    assert response.status_code == 404
    assert b'class="search-form"' in response.content


def test_the_404_page_renders_without_a_request():
    """Rendered with no request and no page in its context (as some error paths do), the
    template still renders, with its search box and links."""
    with translation.override("ar"):
        html = render_to_string("404.html")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["dir"] == "rtl"
    assert soup.find("form", class_="search-form")["action"] == "/ar/search/"
    assert soup.h1.get_text(strip=True) == translated("ar", "Page not found")


def test_the_404_page_renders_with_a_bare_request():
    """A request that went through no middleware (no user, no session): still the page."""
    request = RequestFactory().get("/nowhere/")
    html = render_to_string("404.html", request=request)
    assert 'class="search-form"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/%ff/",
        "/ar/%C0%AF/",
        "/en/%3Cscript%3E/",
        "/a%0Ab/",
        "/ar/courses/%E2%80%AE/",
        "/" + "x" * 3000 + "/",
    ],
)
def test_odd_addresses_get_the_404_page_never_a_500(client, path):
    """Bytes that are not UTF-8, control characters, markup and very long paths: a 4xx."""
    factories.site_tree()
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert b"<script>" not in response.content.split(b"</head>")[-1]
