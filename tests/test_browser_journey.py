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
def browser_page():
    """A Chromium page driven by Playwright's sync API."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test (factories, assertions) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


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

    page.locator("a.facet__option[href*='format=workshop']").click()
    page.wait_for_url(re.compile(r"format=workshop"))
    assert parse_qs(urlparse(page.url).query) == {"format": ["workshop"]}
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


def test_visitor_switches_to_arabic_and_back(live_server, browser_page):
    """The language switcher turns the page right to left in Arabic and back in French."""
    network = factories.small_network(factories.site_tree())
    page = browser_page

    page.goto(live_server.url + network["intro"].url)
    page.locator("nav.lang-switcher a[hreflang='ar']").click()
    page.wait_for_url(re.compile(r"/ar/courses/introduction-au-machine-learning/$"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    seats = page.locator("tr.session-row").first.locator("td").nth(3).inner_text()
    assert re.findall(r"\d+", seats) in (["7", "12"], ["٧", "١٢"])

    page.locator("nav.lang-switcher a[hreflang='fr']").click()
    page.wait_for_url(re.compile(r"/courses/introduction-au-machine-learning/$"))
    assert page.locator("html").get_attribute("dir") == "ltr"
