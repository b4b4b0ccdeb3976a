"""A trainer checks a learner in on a phone, in a real browser: the participant list at 375 px,
the code typed, the answer large and clear; the same code again says when it was checked in.
Then the camera: Chromium's fake camera, and a stand-in for `BarcodeDetector` (which Chromium
has on Android, macOS and ChromeOS, not on Linux) that reads the next learner's code."""

import os
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import CourseInstructor, Instructor
from enrolments.models import Attendance
from enrolments.services.enrolment import enrol
from jazari.time import CASABLANCA
from tests import factories
from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; restore the migrations' data (home page,
    # languages, locales) that the flush at the end of the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOT = "/tmp/jazari-checkin-375.png"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    # A camera that shows a test pattern, granted without asking.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
# The browser's QR reader, standing in: it reads `code` once the camera shows a picture.
BARCODE_DETECTOR = """
window.BarcodeDetector = class {
    static getSupportedFormats() { return Promise.resolve(["qr_code", "ean_13"]); }
    constructor(options) { this.formats = options.formats; }
    detect(video) {
        const ready = video.readyState >= 2 && this.formats.includes("qr_code");
        return Promise.resolve(ready ? [{ rawValue: "%s", format: "qr_code" }] : []);
    }
};
"""
SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture
def door():
    """A session meeting today at noon (Casablanca) with Amina Benali holding a seat, and the
    trainer of its course logged in (the session cookie for the browser)."""
    noon = timezone.localtime(timezone.now(), CASABLANCA).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    session = factories.session(course)
    session.starts_at, session.ends_at = noon, noon + timedelta(hours=3)
    session.save()
    amina = factories.learner("amina@example.com", full_name="Amina Benali")
    seat = enrol(amina, session.pk, now=noon - timedelta(days=7)).enrolment
    omar = factories.learner("omar@example.com", full_name="Omar El Fassi")
    scanned = enrol(omar, session.pk, now=noon - timedelta(days=7)).enrolment
    trainer = factories.learner("trainer@example.com", full_name="Nadia Berrada")
    CourseInstructor.objects.create(
        course=course, instructor=Instructor.objects.create(name="Nadia Berrada", user=trainer)
    )
    client = Client()
    client.force_login(trainer)
    return {
        "session": session,
        "seat": seat,
        "scanned": scanned,
        "cookie": client.cookies["sessionid"].value,
    }


@pytest.fixture
def phone(live_server, door, stray_connections_ended):
    """Chromium 375 px wide, logged in as the trainer; Content Security Policy reports kept."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
        context.add_cookies(
            [{"name": "sessionid", "value": door["cookie"], "url": live_server.url}]
        )
        context.grant_permissions(["camera"], origin=live_server.url)
        context.add_init_script(BARCODE_DETECTOR % door["scanned"].ticket)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.csp = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and page.csp.append(message.text)
            ),
        )
        yield page
        browser.close()


def test_a_trainer_checks_a_learner_in_by_typed_code_on_a_phone(live_server, door, phone):
    """Type the code, submit: the answer names Amina Benali and says "checked in", as a status;
    nothing scrolls sideways; the same code again: "already checked in at HH:MM"."""
    session, seat = door["session"], door["seat"]
    url = f"{live_server.url}/en/dashboard/teaching/sessions/{session.pk}/"
    phone.goto(url)
    assert not phone.evaluate(SIDEWAYS)

    phone.fill("#checkin-ticket", seat.ticket.lower().replace("-", " "))
    phone.locator("form[data-checkin-form] button[type=submit]").click()
    phone.wait_for_selector("#checkin-result")
    result = phone.locator("#checkin-result")
    assert result.get_attribute("role") == "status"
    text = result.inner_text()
    assert "Amina Benali" in text and "checked in" in text.lower()
    assert "Introduction au machine learning" in text
    assert not phone.evaluate(SIDEWAYS), "the page scrolls sideways at 375 px"
    row = phone.locator(f"#participant-{seat.pk} [data-attendance]")
    assert row.get_attribute("data-attendance") == "present"
    phone.screenshot(path=SCREENSHOT, full_page=True)

    checked_in_at = Attendance.objects.get(enrolment=seat).checked_in_at
    at = timezone.localtime(checked_in_at, CASABLANCA).strftime("%H:%M")
    phone.fill("#checkin-ticket", seat.ticket)
    phone.locator("form[data-checkin-form] button[type=submit]").click()
    phone.wait_for_selector("#checkin-result[role=alert]")
    again = phone.locator("#checkin-result").inner_text()
    assert f"Already checked in at {at}" in again and "Amina Benali" in again
    assert not phone.evaluate(SIDEWAYS)
    assert Attendance.objects.filter(enrolment=seat).count() == 1
    assert not phone.csp, phone.csp


def test_scanning_with_the_camera_checks_the_code_read_in(live_server, door, phone):
    """Where the browser reads QR codes, the camera button shows; the code read is checked in
    as if typed; without a reader (Chromium on Linux), no button."""
    session, scanned = door["session"], door["scanned"]
    url = f"{live_server.url}/en/dashboard/teaching/sessions/{session.pk}/"
    phone.goto(url)
    scan = phone.locator("[data-scan-start]")
    scan.wait_for(state="visible")
    scan.click()
    phone.wait_for_selector("#checkin-result")
    result = phone.locator("#checkin-result")
    assert result.get_attribute("role") == "status"
    assert "Omar El Fassi" in result.inner_text()
    assert Attendance.objects.get(enrolment=scanned).method == "check_in"
    assert phone.locator("[data-scanner]").is_hidden()

    bare = phone.context.browser.new_context()  # no stand-in: the browser as it is
    bare.add_cookies([{"name": "sessionid", "value": door["cookie"], "url": live_server.url}])
    reader_gone = bare.new_page()
    reader_gone.goto(url)
    has_reader = reader_gone.evaluate("() => 'BarcodeDetector' in window")
    assert reader_gone.locator("[data-scan-start]").is_visible() == has_reader
