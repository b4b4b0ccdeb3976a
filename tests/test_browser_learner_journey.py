"""A learner's journey in a real browser: sign up, confirm the email, enrol, dashboard, cancel."""

import os
import re

import pytest
from django.core import mail
from django.core.cache import cache

from enrolments.models import Enrolment, EnrolmentStatus
from tests import factories
from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; restore the migrations' data (home page,
    # languages, locales) that the flush at the end of the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOT = "/tmp/jazari-learner-journey.png"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "Un-mot-de-passe-solide-2026"


@pytest.fixture
def browser_page(stray_connections_ended):
    """A Chromium page driven by Playwright's sync API."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def test_learner_signs_up_confirms_enrols_and_cancels(live_server, browser_page):
    """Sign up, follow the emailed link, enrol on the course page, cancel on the dashboard."""
    cache.clear()  # allauth's sign-up rate limit counts in the cache
    network = factories.small_network(factories.site_tree())
    course, session = network["intro"], network["intro_in_person"]
    page = browser_page

    # Sign up from the header link, with the profile and the privacy consent.
    page.goto(live_server.url + "/")
    page.locator("header .site-nav a[href='/accounts/signup/']").click()
    page.wait_for_url(re.compile(r"/accounts/signup/$"))
    assert page.locator("main a[href='/privacy/']").count() == 1
    page.fill("#id_email", "nadia@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_full_name", "Nadia El Amrani")
    page.select_option("#id_region", "fes-meknes")
    page.select_option("#id_audience", "public_servant")
    page.check("#id_accept_privacy")
    page.locator("main form.account-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert page.locator("main h1").count() == 1

    # The verification email (local-memory outbox, same process as the live server).
    [message] = [m for m in mail.outbox if m.to == ["nadia@example.com"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(live_server.url + link[link.index("/accounts/") :])
    assert "nadia@example.com" in page.locator("main").inner_text()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("header .site-nav a[href='/dashboard/']").count() == 1

    # Enrol in the in-person session from the course page.
    page.goto(live_server.url + course.url)
    row = page.locator(f"#session-{session.pk}")
    row.locator(".enrol-box button[type=submit]").click()
    page.wait_for_url(re.compile(rf"#session-{session.pk}$"))
    assert page.locator(".site-messages .alert").count() == 1
    row = page.locator(f"#session-{session.pk}")
    assert row.locator(".enrol-box .badge--enrolment_open").count() == 1
    enrolment = Enrolment.objects.get(learner__email="nadia@example.com")
    assert enrolment.status == EnrolmentStatus.CONFIRMED

    # The dashboard lists it as confirmed, with its calendar link.
    row.locator(".enrol-box a[href='/dashboard/']").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    item = page.locator(f"#enrolment-{enrolment.pk}")
    assert item.locator(".badge--enrolment_open").count() == 1
    assert item.locator(f"a[href='/sessions/{session.pk}/calendar.ics']").count() == 1

    # Cancel it: still listed, now cancelled, without a cancel button.
    item.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    item = page.locator(f"#enrolment-{enrolment.pk}")
    assert "enrolment--cancelled" in item.get_attribute("class")
    assert item.locator(".badge--cancelled").count() == 1
    assert item.locator("form").count() == 0
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert os.path.getsize(SCREENSHOT) > 10_000
