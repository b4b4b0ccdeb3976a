"""The learner's pages on a phone and on a wide screen, in French, Arabic and English.

At 320 px (WCAG 2.2 reflow) no page scrolls sideways, whatever the length of the names in it;
the header folds into a "Menu" disclosure that opens without JavaScript, by pointer or
keyboard; the catalogue shows its results before its filters, and a course page its next
session before its body. At 1280 px the header holds on one line. Each test loops over its
pages in one Chromium and names every failure.
"""

import os
from datetime import timedelta

import pytest
from django.test import Client

from certificates.models import Certificate
from courses.models import CourseInstructor, Instructor
from enrolments.models import Enrolment, EnrolmentStatus
from skills.models import SkillLevel
from tests import factories
from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; restore the migrations' data (home page,
    # languages, locales) that the flush at the end of each test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PREFIXES = ("", "/ar", "/en")
ORGANISATION = ("Organisation" * 14)[:160]
TITLE = "Apprentissageautomatique" * 4 + " " + "الذكاءالاصطناعي" * 3
SKILL = ("Intelligenceartificielle" * 5)[:120]
INSTITUTE = "Jazari Institute " + "Tanger" * 12
CERTIFICATE = "JZ-PHNE-4444-5555"

# Boxes that stick out of the viewport, unless a scrolling box of their own holds them (a chart
# that scrolls in its frame): named in a failure message, with the page's widths.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const root = [document.documentElement, document.body];
    const held = (el) => {
        for (let box = el.parentElement; box && !root.includes(box); box = box.parentElement) {
            if (getComputedStyle(box).overflowX !== "visible") return true;
        }
        return false;
    };
    const name = (el) => `${el.tagName.toLowerCase()}.${el.className}`;
    const wide = Array.from(document.body.querySelectorAll("*")).filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) return false;
        return (box.right > width + 1 || box.left < -1) && !held(el);
    });
    return {
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: width,
        wide: wide.slice(0, 4).map((el) =>
            `${name(el)} in ${name(el.parentElement)}: ${el.textContent.trim().slice(0, 30)}`),
    };
}"""

# The header's items as they show: each one's box (hidden ones left out).
HEADER_ITEMS = """() => {
    const items = document.querySelectorAll(
        ".site-header .brand, .site-header .site-nav li, .site-header .site-search,"
        + " .site-header .lang-switcher li");
    return Array.from(items)
        .map((el) => [el.textContent.trim().slice(0, 20), el.getBoundingClientRect().toJSON()])
        .filter(([, box]) => box.width > 0 && box.height > 0);
}"""


@pytest.fixture
def site(live_server, transactional_db):
    """A network with long unbroken names (organisation, course title in two scripts, skill,
    institute): a learner of that organisation, enrolled and certified, who also teaches the
    course; a learning path; sessions open, full and past."""
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    far = factories.institute(tree, INSTITUTE, region="tanger-tetouan-al-hoceima", city="Tanger")
    skill = factories.skill(SKILL, category=SKILL)
    course = factories.course(
        tree, TITLE, root, level="beginner", skills=[(skill, SkillLevel.ADVANCED)]
    )
    other = factories.course(
        tree, "Python pour l'analyse de données", far, level="beginner", skills=[(skill, 1)]
    )
    upcoming = factories.session(course, starts_in=timedelta(days=5))
    factories.session(course, starts_in=timedelta(days=12), mode="online", capacity=1)
    factories.session(other, starts_in=timedelta(days=8))
    past = factories.session(course, starts_in=timedelta(days=-30))
    factories.learning_path(tree, "Parcours " + "Analystededonnées" * 5, [course, other])
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
        "url": live_server.url,
        "course": course,
        "upcoming": upcoming,
        "cookie": {"name": "sessionid", "value": client.cookies["sessionid"].value},
    }


@pytest.fixture
def chromium(site, stray_connections_ended):
    """Chromium, for one test: its pages loop inside it. (Started once for the module, the
    Playwright's sync API would run the next tests in a context of its own, where Django's
    connection lacks the rows that `serialized_rollback` restores.)"""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(chromium, site, width, *, logged_in=False, javascript=True):
    context = chromium.new_context(
        viewport={"width": width, "height": 800},
        java_script_enabled=javascript,
        reduced_motion="reduce",
    )
    if logged_in:
        context.add_cookies([{**site["cookie"], "url": site["url"]}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_no_page_scrolls_sideways_at_320_px(site, chromium):
    """Home, catalogue, a course, institutes, skills, search, paths, sign-up, log-in, the
    figures, a certificate's verification and the dashboard fit 320 px in the three languages,
    the page as a whole and each box in it."""
    anonymous = {
        "home": "/",
        "catalogue": "/courses/",
        "course": site["course"].url,
        "institutes": "/institutes/",
        "skills": "/skills/",
        "search": "/search/?q=Apprentissageautomatique",
        "paths": "/paths/",
        "sign-up": "/accounts/signup/",
        "log-in": "/accounts/login/",
        "figures": "/figures/",
        "certificate": f"/certificates/{CERTIFICATE}/",
    }
    pages = {
        False: new_page(chromium, site, 320),
        True: new_page(chromium, site, 320, logged_in=True),
    }
    visits = [(False, which, path) for which, path in anonymous.items()]
    visits += [(True, "dashboard", "/dashboard/"), (True, "course, enrolled", site["course"].url)]
    overflowing = {}
    for prefix in PREFIXES:
        for logged_in, which, path in visits:
            page = pages[logged_in]
            response = page.goto(site["url"] + prefix + path)
            assert response.status == 200, (prefix, which)
            assert page.url.startswith(site["url"] + prefix + path.split("?")[0]), (prefix, which)
            assert page.locator("html").get_attribute("dir") == (
                "rtl" if prefix == "/ar" else "ltr"
            )
            widths = page.evaluate(OVERFLOW)
            if widths["scrollWidth"] > widths["clientWidth"] or widths["wide"]:
                overflowing[f"{prefix or '/'} {which}"] = widths
    assert not overflowing, overflowing


def test_header_holds_on_one_line_at_1280_px(site, chromium):
    """At 1280 px the brand, the links (account ones included), the search and the languages
    share one line of a low header, side by side, in the three languages, logged in or not."""
    failures = {}
    for logged_in in (False, True):
        page = new_page(chromium, site, 1280, logged_in=logged_in)
        for prefix in PREFIXES:
            page.goto(site["url"] + prefix + "/courses/")
            items = page.evaluate(HEADER_ITEMS)
            labels = [label for label, _ in items]
            assert ("My dashboard" in labels) == (logged_in and prefix == "/en"), labels
            middles = [box["top"] + box["height"] / 2 for _, box in items]
            in_order = sorted((box["left"], box["right"], label) for label, box in items)
            overlaps = [
                (first[2], second[2])
                for first, second in zip(in_order, in_order[1:], strict=False)
                if first[1] > second[0] + 1
            ]
            height = page.locator(".site-header").bounding_box()["height"]
            if max(middles) - min(middles) > 8 or overlaps or height > 90:
                failures[f"{prefix or '/'} logged in={logged_in}"] = (height, overlaps, items)
            # Nothing is tucked away in a menu on a wide screen.
            assert page.locator(".site-menu__toggle").is_hidden()
            assert page.locator(".site-nav a").first.is_visible()
    assert not failures, failures


def test_phone_menu_opens_without_javascript(site, chromium):
    """At 320 px without JavaScript the links, the search and the languages wait behind a
    "Menu" summary, exposed as a collapsed disclosure; a click or the keyboard opens it."""
    page = new_page(chromium, site, 320, javascript=False)
    for prefix in PREFIXES:
        page.goto(site["url"] + prefix + "/")
        toggle = page.locator("summary.site-menu__toggle")
        links = page.locator(".site-nav a, .lang-switcher a, #site-search-q")
        assert toggle.is_visible()
        assert not any(link.is_visible() for link in links.all()), prefix
        assert page.locator(".site-header").bounding_box()["height"] < 90

        toggle.click()
        assert all(link.is_visible() for link in links.all()), prefix
        toggle.click()
        assert not page.locator(".site-nav a").first.is_visible(), prefix

    # By keyboard, announced as a disclosure that tells whether it is expanded.
    page.goto(site["url"] + "/en/")
    cdp = page.context.new_cdp_session(page)

    def announced():
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        node = next(n for n in nodes if n.get("name", {}).get("value") == "Menu")
        states = {p["name"]: p["value"]["value"] for p in node.get("properties", [])}
        return node["role"]["value"], states.get("expanded")

    assert announced() == ("DisclosureTriangle", False)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('summary.site-menu__toggle')")
    page.keyboard.press("Enter")
    assert page.locator(".site-nav").get_by_role("link", name="Catalogue").is_visible()
    assert announced() == ("DisclosureTriangle", True)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Catalogue"


def test_phone_shows_results_and_next_session_first(site, chromium):
    """On a phone without JavaScript the catalogue lists its results before its filters,
    folded in a disclosure counting the active ones that the link beside the results opens;
    a course page shows its next session and the way to enrol before its body. Wide, the
    filters stand open beside the results."""
    page = new_page(chromium, site, 320, javascript=False)
    page.goto(site["url"] + "/en/courses/?level=beginner")
    results, filters = page.locator(".catalogue__results"), page.locator(".catalogue__filters")
    assert results.bounding_box()["y"] < filters.bounding_box()["y"]
    assert page.locator(".catalogue__summary").inner_text() == "Filters (1)"
    assert page.locator(".card-grid--catalogue > li").count() == 2
    assert page.locator("#catalogue-form").is_hidden()
    page.locator(".skip-to-filters").click()
    assert page.locator("#catalogue-form").is_visible()

    page.goto(site["url"] + "/en" + site["course"].url)
    next_session = page.locator(".next-session")
    assert (
        next_session.bounding_box()["y"] < page.locator(".layout-aside__main").bounding_box()["y"]
    )
    enrol = next_session.get_by_role("link", name="Enrol")
    assert enrol.get_attribute("href") == f"#session-{site['upcoming'].pk}"
    enrol.click()
    row = page.locator(f"#session-{site['upcoming'].pk}")
    assert row.get_by_role("link", name="Log in to enrol").is_visible()

    wide = new_page(chromium, site, 1280, javascript=False)
    wide.goto(site["url"] + "/en/courses/?level=beginner")
    assert wide.locator("#catalogue-form").is_visible()
    assert wide.locator(".catalogue__summary").is_hidden()
    filters_box = wide.locator(".catalogue__filters").bounding_box()
    assert filters_box["x"] < wide.locator(".catalogue__results").bounding_box()["x"]
