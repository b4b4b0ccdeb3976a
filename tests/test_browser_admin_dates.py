"""An editor types a session's date in the Wagtail admin, in Chromium: what is typed is kept."""

import os
import re
from datetime import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from jazari.time import CASABLANCA
from tests import factories
from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; restore the migrations' data (home page,
    # languages, locales) that the flush at the end of the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def editor_page(live_server, stray_connections_ended):
    """Chromium, logged in to the Wagtail admin as an administrator."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        page.goto(live_server.url + "/admin/")  # to allauth's log-in, by username
        page.fill("input[name=login]", "editor")
        page.fill("input[name=password]", "pw")
        page.locator("form.account-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/$"))
        yield page
        browser.close()


def type_into(page, name, text):
    """Type `text` into the field as an editor does, then leave it with Tab."""
    field = page.locator(f"input[name='{name}']")
    field.click()
    field.fill("")
    field.press_sequentially(text)
    field.press("Tab")
    return field


def test_a_date_typed_in_iso_8601_is_kept_and_saved(live_server, editor_page):
    """`2027-03-10 09:00` typed into a session stays as typed on blur and is published as is."""
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Atelier daté", root)
    session = factories.session(course)
    page = editor_page

    page.goto(f"{live_server.url}/admin/pages/{course.pk}/edit/")
    starts = page.locator("input[name='sessions-0-starts_at']")
    assert starts.get_attribute("placeholder") == "JJ/MM/AAAA hh:mm"
    assert type_into(page, "sessions-0-starts_at", "2027-03-10 09:00").input_value() == (
        "2027-03-10 09:00"
    )
    type_into(page, "sessions-0-ends_at", "2027-03-10T17:00")
    page.wait_for_timeout(300)  # the picker acted on blur, if it was going to
    assert starts.input_value() == "2027-03-10 09:00"
    assert page.locator("input[name='sessions-0-ends_at']").input_value() == "2027-03-10T17:00"

    page.locator("button[name=action-publish]").dispatch_event("click")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    session.refresh_from_db()
    local = timezone.localtime(session.starts_at, CASABLANCA).replace(tzinfo=None)
    assert local == datetime(2027, 3, 10, 9, 0)
    assert timezone.localtime(session.ends_at, CASABLANCA).hour == 17


def test_a_wrong_date_is_kept_and_refused_with_the_format(live_server, editor_page):
    """A date the picker can't read is left as typed; publishing says which format to use."""
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Atelier daté", root)
    session = factories.session(course)
    before = session.starts_at
    page = editor_page

    page.goto(f"{live_server.url}/admin/pages/{course.pk}/edit/")
    assert type_into(page, "sessions-0-starts_at", "10-03-2027 9h").input_value() == (
        "10-03-2027 9h"
    )
    page.locator("button[name=action-publish]").dispatch_event("click")
    page.wait_for_load_state()
    error = page.locator("[data-contentpath='starts_at'] .error-message")
    assert "JJ/MM/AAAA hh:mm" in error.inner_text()
    assert "2027-03-10 09:00" in error.inner_text()
    session.refresh_from_db()
    assert session.starts_at == before
