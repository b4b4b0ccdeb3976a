"""The feedback journey in Chromium, 320 px wide, JavaScript off: the emailed link, a mistake,
the answer, the thanks; in French and Arabic."""

import os
from datetime import timedelta

import pytest

from enrolments.models import Enrolment
from feedback import links
from feedback.models import Feedback
from tests import factories
from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; restore the migrations' data (home page,
    # languages, locales) that the flush at the end of the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TITLE = "Apprentissageautomatiquepourl'administration" * 3


@pytest.fixture
def invited():
    """Two learners who attended a session that ended yesterday (a long course title)."""
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, TITLE, root)
    session = factories.hold(factories.session(course), ended_ago=timedelta(days=1))
    return [
        Enrolment.objects.create(
            session=session, learner=factories.learner(f"l{i}@example.com"), status="attended"
        )
        for i in range(2)
    ]


@pytest.fixture
def narrow_page(live_server, stray_connections_ended):
    """Chromium 320 px wide, JavaScript disabled, signed in as nobody."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 320, "height": 800}, java_script_enabled=False
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def fits(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width <= inner


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_learner_answers_from_the_emailed_link_on_a_phone(
    live_server, invited, narrow_page, language
):
    """The form fits 320 px; sent without a rating it says what is missing and keeps the text;
    a rating chosen by its label, "yes", and it thanks; the answer is saved."""
    enrolment = invited[0] if language == "fr" else invited[1]
    response = narrow_page.goto(live_server.url + links.feedback_path(enrolment.pk, language))
    assert response.status == 200
    assert narrow_page.locator("html").get_attribute("dir") == (
        "rtl" if language == "ar" else "ltr"
    )
    assert fits(narrow_page)

    form = narrow_page.locator("form.feedback-form")
    form.locator("textarea[name=useful]").fill("Les cas pratiques")
    form.locator("button[type=submit]").click()
    assert narrow_page.locator("#form-errors").is_visible()
    assert form.locator("textarea[name=useful]").input_value() == "Les cas pratiques"
    assert fits(narrow_page)

    form.locator("label.choice", has=narrow_page.locator("input[value='5']")).click()
    form.locator("input[name=would_recommend][value=yes]").check()
    form.locator("button[type=submit]").click()
    assert narrow_page.locator(".feedback-answer").is_visible()
    assert fits(narrow_page)
    feedback = Feedback.objects.get(enrolment=enrolment)
    assert (feedback.rating, feedback.would_recommend, feedback.useful) == (
        5,
        True,
        "Les cas pratiques",
    )
