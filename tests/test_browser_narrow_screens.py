"""Long unbroken words wrap at 320 px, in French and Arabic: nothing scrolls sideways.

A name typed without spaces (an organisation, a course title, a skill) is as wide as it is
long unless the CSS lets it break; at 320 px (WCAG 2.2 reflow) the page must still fit.
"""

import os
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from certificates.models import Certificate
from courses.models import CourseInstructor, Instructor
from enrolments.models import Enrolment, EnrolmentStatus
from skills.models import SkillLevel
from tests import factories
from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; restore the migrations' data (home page,
    # languages, locales) that the flush at the end of the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ORGANISATION = ("Organisation" * 14)[:160]
TITLE = "Apprentissageautomatique" * 6 + "الذكاءالاصطناعي" * 4
SKILL = ("Intelligenceartificielle" * 5)[:120]
CERTIFICATE = "JZ-WRAP-2222-3333"
# The boxes wider than their parent, where they start to overflow: named in a failure message.
OVERFLOWING = """() => Array.from(document.querySelectorAll("main *"))
    .filter((el) => {
        const box = el.getBoundingClientRect();
        const parent = el.parentElement.getBoundingClientRect();
        return box.width > 0 && (box.right > parent.right + 1 || box.left < parent.left - 1);
    })
    .slice(0, 4)
    .map((el) => {
        const name = (node) => `${node.tagName.toLowerCase()}.${node.className}`;
        return `${name(el)} in ${name(el.parentElement)}: ${el.textContent.trim().slice(0, 30)}`;
    })
"""


@pytest.fixture
def long_names():
    """A learner from a long-named organisation, enrolled in and certified for a course whose
    title and skill are long words, with sessions in every enrolment state; they also teach it
    (a trainer), so the dashboard lists its sessions and their participants."""
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    skill = factories.skill(SKILL, category=SKILL)
    course = factories.course(tree, TITLE, root, skills=[(skill, SkillLevel.ADVANCED)])
    upcoming = factories.session(course, starts_in=timedelta(days=5))
    factories.session(
        course,
        starts_in=timedelta(days=60),
        enrolment_opens_at=timezone.now() + timedelta(days=30),
    )
    factories.session(course, starts_in=timedelta(days=12), mode="online", capacity=1)
    past = factories.session(course, starts_in=timedelta(days=-30))
    learner = factories.learner(organisation=ORGANISATION, full_name=ORGANISATION[:80])
    Enrolment.objects.create(session=upcoming, learner=learner, status=EnrolmentStatus.CONFIRMED)
    done = Enrolment.objects.create(session=past, learner=learner, status=EnrolmentStatus.COMPLETED)
    Certificate.objects.create(
        enrolment=done,
        code=CERTIFICATE,
        language="fr",
        holder_name=learner.profile.full_name,
        course_title=TITLE,
        institute_name=root.title,
        starts_on=past.starts_at.date(),
        ends_on=past.ends_at.date(),
        minutes=420,
    )
    instructor = Instructor.objects.create(name=ORGANISATION[:120], user=learner)
    CourseInstructor.objects.create(course=course, instructor=instructor, sort_order=0)
    client = Client()
    client.force_login(learner)
    return {
        "course": course,
        "skill": skill,
        "upcoming": upcoming,
        "session_cookie": client.cookies["sessionid"].value,
    }


@pytest.fixture
def narrow_page(live_server, long_names, stray_connections_ended):
    """Chromium 320 px wide, logged in as the learner."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 320, "height": 800})
        context.add_cookies(
            [{"name": "sessionid", "value": long_names["session_cookie"], "url": live_server.url}]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def test_long_words_wrap_at_320_px(live_server, long_names, narrow_page):
    """The dashboard, a trainer's participant list, the course page, the catalogue and a
    certificate's verification page fit 320 px with long unbroken names, in French and Arabic
    (one browser and one data set for the ten pages: each failure is named)."""
    paths = {
        "dashboard": "/dashboard/",
        "teaching": f"/dashboard/teaching/sessions/{long_names['upcoming'].pk}/",
        "course": long_names["course"].url,
        "catalogue": f"/courses/?skill={long_names['skill'].slug}",  # a chip names the skill
        "certificate": f"/certificates/{CERTIFICATE}/",  # with its signature's long DID
    }
    overflowing = {}
    for prefix in ("", "/ar"):
        for which, path in paths.items():
            response = narrow_page.goto(live_server.url + prefix + path)
            assert response.status == 200, (prefix, which)
            direction = narrow_page.locator("html").get_attribute("dir")
            assert direction == ("rtl" if prefix else "ltr"), (prefix, which)
            assert TITLE in narrow_page.locator("main").inner_text(), (prefix, which)
            if which == "catalogue":
                assert narrow_page.locator(".chips .chip").count() == 1, prefix
            scroll_width, inner_width = narrow_page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll_width > inner_width:
                overflowing[f"{prefix or '/'} {which}"] = narrow_page.evaluate(OVERFLOWING)
    assert not overflowing, overflowing


@pytest.mark.parametrize("prefix", ["", "/ar"])
@pytest.mark.parametrize("path", ["/privacy/", "/dashboard/delete/"])
def test_privacy_pages_fit_320_px(live_server, narrow_page, settings, prefix, path):
    """The privacy notice (with a long controller address) and the account deletion page fit."""
    settings.PRIVACY_CONTROLLER_ADDRESS = "Technopolis" * 8 + "\nRabat"
    response = narrow_page.goto(live_server.url + prefix + path)
    assert response.status == 200 and narrow_page.url == live_server.url + prefix + path
    assert narrow_page.locator("html").get_attribute("dir") == ("rtl" if prefix else "ltr")
    assert narrow_page.locator("main h1").count() == 1
    scroll_width, inner_width = narrow_page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, narrow_page.evaluate(OVERFLOWING)
