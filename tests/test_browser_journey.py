"""A visitor's journey in a real browser: home → catalogue → a facet → a course."""

import os
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from tests import factories
from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; restore the migrations' data (home page,
    # languages, locales) that the flush at the end of the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOT = "/tmp/jazari-journey.png"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def chromium(stray_connections_ended):
    """Chromium driven by Playwright's sync API."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test (factories, assertions) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A Chromium page."""
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    return page


def query(page):
    """The current page's query string as {name: [values]}, blanks left out."""
    return parse_qs(urlparse(page.url).query)


def card_titles(page):
    return sorted(t.strip() for t in page.locator(".course-card__title").all_inner_texts())


def test_visitor_finds_a_workshop_and_its_seats(live_server, browser_page):
    """Home, the catalogue link, the "Workshop" facet, then the course with its seats left."""
    network = factories.small_network(factories.site_tree())
    # Besides its full online session, the workshop gets one in Fès with 7 of 10 seats left.
    factories.session(network["llm"], starts_in=timedelta(days=20), capacity=10, confirmed_count=3)
    page = browser_page

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator("header .site-nav a[href='/courses/']").click()
    page.wait_for_url(re.compile(r"/courses/$"))
    assert page.locator(".course-card").count() == 3

    page.locator("#catalogue-form input[name=format][value=workshop]").check()
    page.locator("#catalogue-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"format=workshop"))
    assert query(page) == {"format": ["workshop"], "sort": ["soonest"]}
    titles = page.locator(".course-card__title").all_inner_texts()
    assert [t.strip() for t in titles] == ["LLM et langue arabe"]

    page.locator(".course-card__title a").click()
    page.wait_for_url(re.compile(re.escape(network["llm"].url) + "$"))
    assert page.locator("h1").inner_text().strip() == "LLM et langue arabe"
    rows = page.locator("tr.session-row")
    assert rows.count() == 2
    seats = [rows.nth(n).locator("td").nth(3).inner_text() for n in range(2)]
    assert re.findall(r"\d+", seats[0]) == ["2"]  # "no seat left of 2": full
    assert re.findall(r"\d+", seats[1]) == ["7", "10"]  # 7 seats left of 10
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert os.path.getsize(SCREENSHOT) > 10_000


def test_visitor_ticks_several_values_of_a_facet_without_javascript(live_server, chromium):
    """Checkboxes of the GET form send a facet's values as a repeated parameter (OR), other
    facets narrow (AND), and a chip removes one value alone: all without JavaScript."""
    factories.small_network(factories.site_tree())
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page.set_default_timeout(15_000)
    form = page.locator("#catalogue-form")

    def tick(name, value, on=True):
        box = form.locator(f"input[name={name}][value={value}]")
        if on:
            box.check()
        else:
            box.uncheck()

    def apply():
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

    page.goto(live_server.url + "/courses/")
    tick("level", "beginner")
    tick("level", "advanced")
    apply()
    assert query(page)["level"] == ["beginner", "advanced"]
    assert len(card_titles(page)) == 3
    assert form.locator("input[name=level][value=beginner]").is_checked()
    assert form.locator("input[name=level][value=advanced]").is_checked()

    tick("format", "seminar")
    tick("format", "workshop")
    apply()
    assert query(page)["format"] == ["seminar", "workshop"]
    assert query(page)["level"] == ["beginner", "advanced"]
    assert card_titles(page) == ["IA pour l'administration publique", "LLM et langue arabe"]

    tick("level", "advanced", on=False)
    apply()
    assert query(page)["level"] == ["beginner"]
    assert card_titles(page) == ["IA pour l'administration publique"]

    # The chip of one value removes it and keeps the others.
    page.locator(".active-filters a.chip[href='?format=workshop&level=beginner']").click()
    page.wait_for_url(re.compile(r"\?format=workshop&level=beginner$"))
    assert card_titles(page) == []
    assert form.locator("input[name=format][value=workshop]").is_checked()
    assert not form.locator("input[name=format][value=seminar]").is_checked()


def test_visitor_switches_to_arabic_and_back(live_server, browser_page):
    """The language switcher turns the page right to left in Arabic and back in French."""
    network = factories.small_network(factories.site_tree())
    page = browser_page

    page.goto(live_server.url + network["intro"].url)
    page.locator("nav.lang-switcher a[hreflang='ar']").click()
    page.wait_for_url(re.compile(r"/ar/courses/jazari-root/introduction-au-machine-learning/$"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    seats = page.locator("tr.session-row").first.locator("td").nth(3).inner_text()
    assert re.findall(r"\d+", seats) in (["7", "12"], ["٧", "١٢"])

    page.locator("nav.lang-switcher a[hreflang='fr']").click()
    page.wait_for_url(re.compile(r"/courses/jazari-root/introduction-au-machine-learning/$"))
    assert page.locator("html").get_attribute("dir") == "ltr"
