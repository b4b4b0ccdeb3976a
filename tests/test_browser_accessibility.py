"""WCAG 2.2 AA on the learner's pages, checked by axe-core in Chromium, and the keyboard.

axe-core (bundled by the `axe-playwright-python` package) runs on every learner's page at
320 px and 1280 px in French, Arabic and English; a violation of impact "serious" or
"critical" fails the test, named by its rule, the elements it found, the page, the width and
the language. One data set and one browser for all the pages, visited in a loop.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from certificates.models import Certificate
from enrolments.models import Enrolment, EnrolmentStatus
from tests import factories
from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; restore the migrations' data (home page,
    # languages, locales) that the flush at the end of the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LANGUAGES = ("", "/ar", "/en")
WIDTHS = (320, 1280)
FAILING_IMPACTS = ("serious", "critical")
CERTIFICATE = "JZ-KEYB-4444-5555"
# A page axe-core must fault (a field without a label): proof that the check runs at all.
FAULTY_PAGE = '<html lang="fr"><title>x</title><main><input type="text"></main></html>'
# The element that has the keyboard focus: what it is, and whether it shows a focus outline
# inside the viewport (WCAG 2.4.7 focus visible, 2.4.11 focus not obscured).
FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        name: `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}"`,
        id: el.id,
        inMain: Boolean(el.closest("main")),
        isSearch: el.matches("input[type=search][name=q]"),
        enrolsIn: el.matches("form.enrol-box__form button[type=submit]")
            ? el.form.action : null,
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        visible: box.bottom > 0 && box.top < window.innerHeight && box.width > 0,
    };
}"""


@pytest.fixture
def browser(stray_connections_ended):
    """Chromium, started once the test's database is ready: started before (for the module),
    Playwright's greenlet hides the migrations' rows that `serialized_rollback` restores."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def learner_site(live_server):
    """The small network, a learning path, and a learner confirmed in one session, waitlisted
    in a full one and certified for a past one, logged in by a session cookie."""
    tree = factories.site_tree()
    network = factories.small_network(tree)
    factories.learning_path(
        tree, "IA pour les données publiques", [network["intro"], network["policy"]]
    )
    learner = factories.learner(full_name="Amina Benali", organisation="Région Fès-Meknès")
    Enrolment.objects.create(
        session=network["intro_in_person"], learner=learner, status=EnrolmentStatus.CONFIRMED
    )
    Enrolment.objects.create(
        session=network["llm_full"], learner=learner, status=EnrolmentStatus.WAITLISTED
    )
    past = network["policy_past"]
    done = Enrolment.objects.create(session=past, learner=learner, status=EnrolmentStatus.COMPLETED)
    Certificate.objects.create(
        enrolment=done,
        code=CERTIFICATE,
        language="fr",
        holder_name="Amina Benali",
        course_title=network["policy"].title,
        institute_name=network["rabat"].title,
        starts_on=past.starts_at.date(),
        ends_on=past.ends_at.date(),
        minutes=420,
    )
    client = Client()
    client.force_login(learner)
    return {**network, "session_cookie": client.cookies["sessionid"].value}


def _pages(site):
    """The pages a visitor sees, and those of the logged-in learner, by name."""
    visitor = {
        "home": "/",
        "catalogue": "/courses/",
        "course": site["intro"].url,
        "institutes": "/institutes/",
        "skills": "/skills/",
        "search": "/search/?q=machine",
        "paths": "/paths/",
        "sign-up": "/accounts/signup/",
        "log-in": "/accounts/login/",
        "certificate": f"/certificates/{CERTIFICATE}/",
        "accessibility": "/accessibility/",
        "figures": "/figures/",
    }
    learner = {
        "dashboard": "/dashboard/",
        "course (enrolled)": site["intro"].url,
    }
    return visitor, learner


def _serious_violations(page):
    """axe-core's violations of impact serious or critical on the page, one line each."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


def test_learner_pages_have_no_serious_axe_violation(live_server, learner_site, browser):
    """Home, catalogue, a course, institutes, skills, search, paths, sign-up, log-in, the
    dashboard, a certificate's verification, the accessibility statement and the network's
    figures: no serious or
    critical axe-core violation at 320 and 1280 px, in French, Arabic and English."""
    visitor_pages, learner_pages = _pages(learner_site)
    visitor = browser.new_context()
    learner = browser.new_context()
    learner.add_cookies(
        [{"name": "sessionid", "value": learner_site["session_cookie"], "url": live_server.url}]
    )
    failures = []
    try:
        probe = visitor.new_page()
        probe.set_content(FAULTY_PAGE)
        assert any(line.startswith("label (critical)") for line in _serious_violations(probe))
        probe.close()
        for context, pages in ((visitor, visitor_pages), (learner, learner_pages)):
            page = context.new_page()
            page.set_default_timeout(15_000)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                for prefix in LANGUAGES:
                    for name, path in pages.items():
                        url = live_server.url + prefix + path
                        response = page.goto(url)
                        where = f"{prefix + path} ({name}) at {width} px in {prefix[1:] or 'fr'}"
                        assert response.status == 200, where
                        assert page.url == url, f"{where} went to {page.url}"
                        failures += [f"{where}: {line}" for line in _serious_violations(page)]
    finally:
        visitor.close()
        learner.close()
    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)


def test_keyboard_alone_reaches_search_and_enrols(live_server, learner_site, browser):
    """From the top of a course page, Tab reaches the skip link first, then the search field
    and the enrol button, every stop with a visible focus outline in the viewport; the skip
    link moves the focus into the main content; Enter on the button enrols."""
    session = learner_site["intro_online"]
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    context.add_cookies(
        [{"name": "sessionid", "value": learner_site["session_cookie"], "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        url = live_server.url + learner_site["intro"].url
        page.goto(url)
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["name"].startswith("a.skip-link")
        page.keyboard.press("Enter")
        assert page.evaluate(FOCUSED)["id"] == "main"
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["inMain"]

        page.goto(url)
        stops, reached_search, enrol_action = [], False, None
        for _ in range(80):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            stops.append(focused)
            reached_search = reached_search or focused["isSearch"]
            if focused["enrolsIn"] and focused["enrolsIn"].endswith(
                f"/sessions/{session.pk}/enrol/"
            ):
                enrol_action = focused["enrolsIn"]
                break
        assert reached_search, [stop["name"] for stop in stops]
        assert enrol_action, [stop["name"] for stop in stops]
        hidden = [stop["name"] for stop in stops if not (stop["outline"] and stop["visible"])]
        assert not hidden, f"focus not visible on: {hidden}"

        page.keyboard.press("Enter")
        page.wait_for_url(f"**{learner_site['intro'].url}#session-{session.pk}")
        assert Enrolment.objects.filter(
            session=session, learner__email="amina@example.com"
        ).exists()
    finally:
        context.close()
