"""The accessibility statement: its target, its tests, its limits, its contact and its date, in
the three languages, linked from every page's footer."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    ("path", "lang"),
    [("/accessibility/", "fr"), ("/ar/accessibility/", "ar"), ("/en/accessibility/", "en")],
)
def test_the_statement_names_its_target_tests_limits_contact_and_date(client, settings, path, lang):
    """The page in each language: WCAG 2.2 AA, axe-core at 320 and 1280 px, the known
    limitations, the contact of the settings as a mail link, the statement's date; the footer
    links to it in the page's language."""
    settings.ACCESSIBILITY_CONTACT_EMAIL = "a11y@example.org"
    soup = page(client.get(path))
    assert soup.html["lang"] == lang
    main = soup.select_one("main")
    assert main.select("h1") and main.select_one("#target + p")
    assert "WCAG" in main.select_one("#target + p").get_text()
    testing = main.select_one("#testing + ul").get_text()
    assert "axe-core" in testing and "320" in testing and "1280" in testing
    assert len(main.select("#limitations + ul > li")) >= 3
    assert main.select_one("#report ~ p a[href='mailto:a11y@example.org']")
    assert "2026" in main.select_one("#date + p").get_text()
    assert soup.select_one(f"footer.site-footer a[href='{path}']")


def test_the_statement_answers_only_get(client):
    """A form posted to the statement is refused, not treated as a page."""
    assert client.post("/en/accessibility/").status_code == 405
