"""The Content Security Policy in Chromium: no page of the site is broken by it.

Every `securitypolicyviolation` event and every console message about the policy is recorded
(the listener is injected through DevTools, outside the page's CSP). The learner's pages
raise none; a course cover image stored on S3 (moto, presigned URL) loads; the Wagtail admin
logs in, opens a page's edit view and shows the page in its preview panel.
"""

import io
import os
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model

from jazari.storage import storage_origins
from tests import factories
from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; restore the migrations' data (home page,
    # languages, locales) that the flush at the end of the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__csp.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
        + ` at ${event.sourceFile}:${event.lineNumber} (${event.disposition})`);
});
"""


class Watched:
    """A Playwright page whose CSP violations, from events and the console, are collected."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.console.append(f"{message.type}: {text}")

    def visit(self, url):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.violations()

    def violations(self):
        events = self.page.evaluate("window.__csp || []")
        found = events + self.console
        self.console = []
        return found


@pytest.fixture
def browser(stray_connections_ended):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    return Watched(page)


def cover_image_on_s3():
    """A 640×400 PNG saved through Django's default storage (the test's S3 bucket)."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (11, 74, 90)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Couverture", file=ImageFile(buffer, name="couverture.png")
    )


def test_learner_pages_raise_no_csp_violation(live_server, browser, s3, settings):
    """Home, catalogue, a course page (S3 cover image), sign-up and the dashboard: no violation."""
    cache.clear()
    # As the settings do when AWS_S3_ENDPOINT_URL is set.
    origins = storage_origins(bucket=s3.name, endpoint_url=s3.server.endpoint_url)
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "img-src": [*settings.SECURE_CSP["img-src"], *origins],
    }
    network = factories.small_network(factories.site_tree())
    course = network["intro"]
    course.cover_image = cover_image_on_s3()
    course.save_revision().publish()
    factories.learner("nadia@example.com")
    watched = new_page(browser)
    page = watched.page

    for path in ("/", "/courses/", "/ar/courses/", "/accounts/signup/", "/api/v1/docs/"):
        assert watched.visit(live_server.url + path) == [], path
    assert watched.visit(live_server.url + course.url) == []
    cover = page.locator(".course-head__image img")
    assert cover.get_attribute("src").startswith(s3.server.endpoint_url)
    assert cover.evaluate("img => img.complete && img.naturalWidth") == 640
    assert page.locator("script[type='application/ld+json'][nonce]").count() == 1
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", "no stylesheet"

    # Log in and open the dashboard.
    watched.visit(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "nadia@example.com")
    page.fill("input[name=password]", "pw")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert watched.violations() == []
    assert watched.visit(live_server.url + "/dashboard/") == []
    assert page.locator("main h1").count() == 1


def test_an_inline_script_without_the_nonce_is_blocked(live_server, browser):
    """The policy is enforced: a script injected without the nonce does not run."""
    factories.site_tree()
    watched = new_page(browser)
    watched.visit(live_server.url + "/")
    ran = watched.page.evaluate(
        """() => {
            window.__ran = false;
            const script = document.createElement("script");
            script.textContent = "window.__ran = true";
            document.body.append(script);
            return window.__ran;
        }"""
    )
    assert ran is False
    assert any("script-src" in violation for violation in watched.violations())


def test_the_admin_edits_and_previews_a_page_without_a_blocking_violation(live_server, browser):
    """Log in to Wagtail, open a course's edit view, its preview panel, then its live page."""
    network = factories.small_network(factories.site_tree())
    course = network["intro"]
    editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    watched = new_page(browser)
    page = watched.page

    watched.visit(live_server.url + "/admin/")  # to allauth's log-in, by username
    page.fill("input[name=login]", "editor")
    page.fill("input[name=password]", "pw")
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert watched.violations() == []

    assert watched.visit(f"{live_server.url}/admin/pages/{course.pk}/edit/") == []
    # Wagtail's scripts ran: the StreamField and the inline panels are drawn by them.
    assert page.locator("[data-streamfield-stream-container]").count() >= 1
    assert page.locator("input[name='sessions-0-starts_at']").count() == 1

    page.locator("button[data-side-panel-toggle='preview']").click()
    # Wagtail swaps in a fresh iframe when the preview has loaded: locate it by its id.
    heading = page.frame_locator("#w-preview-iframe").locator("main h1")
    heading.wait_for()
    assert course.title in heading.inner_text()
    page.wait_for_load_state("networkidle")
    assert watched.violations() == []

    # The live page, as an editor sees it: with Wagtail's user bar, under the public policy.
    assert watched.visit(live_server.url + course.url) == []
    assert page.locator("wagtail-userbar").count() == 1
    page.locator("wagtail-userbar").locator("[data-wagtail-userbar-trigger]").click()
    assert page.locator("wagtail-userbar").locator("#wagtail-userbar-items").is_visible()
    assert watched.violations() == []
