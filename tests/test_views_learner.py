"""Learner pages over HTTP: sign-up and log-in (allauth), enrol, cancel, dashboard, profile."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses.models import Session
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services.enrolment import enrol
from learners.models import Profile
from tests import factories

PASSWORD = "Un-mot-de-passe-solide-2026"


@pytest.fixture(autouse=True)
def _english_and_fresh_rate_limits():
    """Pages in English (`/en/…`, so texts can be asserted); no sign-up counted yet.

    allauth counts sign-ups and log-ins in the cache, which outlives a test.
    """
    cache.clear()
    translation.activate("en")
    yield
    cache.clear()


@pytest.fixture
def course(tree):
    root = factories.institute(
        tree, "Jazari Root", is_hub=True, address="Avenue Mohammed VI\nHay Riad"
    )
    return factories.course(tree, "Introduction au machine learning", root)


@pytest.fixture
def session(course):
    return factories.session(course, capacity=1, mode="hybrid")


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def messages_of(response):
    """The texts of the flash messages shown on a page."""
    return [p.get_text(" ", strip=True) for p in page(response).select(".site-messages .alert")]


def signup_data(email="nadia@example.com", **changes):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "Nadia El Amrani",
        "region": "fes-meknes",
        "audience": "public_servant",
        "organisation": "Agence de développement du digital",
        "preferred_language": "ar",
        "accept_privacy": "on",
    }
    data.update(changes)
    return data


def confirmation_link(message):
    """The email confirmation link of a verification email, as a path."""
    match = re.search(r"https?://[^/\s]+(/[^\s]*confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


# Sign-up, email verification, log-in


def test_signup_creates_the_learner_and_profile_and_sends_a_verification_email(tree, client):
    """Signing up records the profile and the privacy consent and emails a confirmation link."""
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = get_user_model().objects.get(email="nadia@example.com")
    profile = Profile.objects.get(user=user)
    assert (profile.full_name, profile.region, profile.audience) == (
        "Nadia El Amrani",
        "fes-meknes",
        "public_servant",
    )
    assert profile.preferred_language == "ar"
    assert profile.privacy_accepted_at is not None
    assert not EmailAddress.objects.get(user=user).verified
    [message] = mail.outbox
    assert message.to == ["nadia@example.com"]
    assert "/accounts/confirm-email/" in confirmation_link(message)


def test_signup_without_accepting_the_privacy_notice_is_refused(tree, client):
    """No account without consent to the privacy notice; the form says why."""
    response = client.post(reverse("account_signup"), signup_data(accept_privacy=""))
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="nadia@example.com").exists()
    errors = page(response).select(".field__error")
    assert any("privacy notice" in error.get_text() for error in errors)
    assert mail.outbox == []


def test_signup_page_asks_for_the_profile_and_links_to_the_privacy_notice(tree, client):
    """The sign-up form has the profile fields, the consent box and the privacy notice link."""
    response = client.get(reverse("account_signup"))
    soup = page(response)
    form = soup.select_one("main form.account-form")
    names = {field["name"] for field in form.select("input, select") if field.get("name")}
    assert {"email", "password1", "password2", "full_name", "region", "accept_privacy"} <= names
    assert soup.select_one(f"main a[href='{reverse('learners:privacy')}']")
    # The site's layout, not allauth's bare page.
    assert soup.select_one("header.site-header") and soup.select_one("footer.site-footer")
    for field in form.select("input:not([type=hidden]), select"):
        assert soup.select_one(f"label[for='{field['id']}']"), field["name"]


def test_unverified_learner_cannot_enrol_until_the_email_is_confirmed(session, client):
    """Enrolment waits for the confirmation link; once followed, the learner is enrolled."""
    # In English: the link leads to the pages in the learner's language.
    client.post(reverse("account_signup"), signup_data(preferred_language="en"))
    user = get_user_model().objects.get(email="nadia@example.com")

    # Mandatory verification: signing up does not log in, and neither does logging in.
    response = client.post(reverse("learners:enrol", args=[session.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")

    client.force_login(user)  # e.g. a session opened before verification became mandatory
    response = client.post(reverse("learners:enrol", args=[session.pk]), follow=True)
    assert any("Confirm your email address" in text for text in messages_of(response))
    assert not Enrolment.objects.exists()

    link = confirmation_link(mail.outbox[-1])
    confirm_page = client.get(link)
    assert "nadia@example.com" in page(confirm_page).select_one("main").get_text()
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(reverse("learners:enrol", args=[session.pk]), follow=True)
    enrolment = Enrolment.objects.get(learner=user)
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    assert any("You are enrolled" in text for text in messages_of(response))


def test_confirmation_link_logs_the_new_learner_in(tree, client):
    """Following the link from the same browser confirms the address and opens the session."""
    client.post(reverse("account_signup"), signup_data())
    link = confirmation_link(mail.outbox[-1])
    response = client.post(link)
    assert response.status_code == 302
    assert client.get(reverse("learners:dashboard")).status_code == 200


def test_login_by_email_opens_the_dashboard(tree, client):
    """A verified learner logs in with their email address and lands on the dashboard."""
    factories.learner("amina@example.com")  # password "pw"
    response = client.post(
        reverse("account_login"), {"login": "amina@example.com", "password": "pw"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learners:dashboard")
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert dashboard.context["user"].email == "amina@example.com"


def test_login_with_a_wrong_password_says_so(tree, client):
    """A wrong password leaves the learner logged out with a message on the form."""
    factories.learner("amina@example.com")
    response = client.post(
        reverse("account_login"), {"login": "amina@example.com", "password": "no"}
    )
    assert response.status_code == 200
    assert page(response).select_one("main .alert--error")
    assert "_auth_user_id" not in client.session


def test_account_pages_use_the_site_layout_in_arabic(tree, client):
    """Log-in and password reset pages have the site's header, in Arabic, right to left."""
    for path in ("/ar/accounts/login/", "/ar/accounts/password/reset/"):
        soup = page(client.get(path))
        assert soup.html["dir"] == "rtl" and soup.html["lang"] == "ar"
        assert soup.select_one("header.site-header")
        assert soup.select_one("main h1")


# Enrol and cancel


def test_enrol_confirms_then_waitlists_when_full(session, client):
    """The first learner gets the seat, the second a place on the waiting list."""
    first, second = factories.learner("a@example.com"), factories.learner("b@example.com")
    client.force_login(first)
    response = client.post(reverse("learners:enrol", args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{session.course.url}#session-{session.pk}"
    assert Enrolment.objects.get(learner=first).status == EnrolmentStatus.CONFIRMED

    client.force_login(second)
    response = client.post(reverse("learners:enrol", args=[session.pk]), follow=True)
    assert Enrolment.objects.get(learner=second).status == EnrolmentStatus.WAITLISTED
    assert any("waiting list, position 1" in text for text in messages_of(response))


def test_enrolling_twice_keeps_one_enrolment(session, client):
    """A second click answers with the enrolment already there."""
    learner = factories.learner()
    client.force_login(learner)
    client.post(reverse("learners:enrol", args=[session.pk]))
    response = client.post(reverse("learners:enrol", args=[session.pk]), follow=True)
    assert Enrolment.objects.filter(learner=learner).count() == 1
    assert any("already enrolled" in text for text in messages_of(response))


def test_enrolment_refused_by_a_rule_is_shown_as_a_message(session, client):
    """A cancelled session refuses enrolment and the course page says why."""
    Session.objects.filter(pk=session.pk).update(status="cancelled")
    client.force_login(factories.learner())
    response = client.post(reverse("learners:enrol", args=[session.pk]), follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["This session has been cancelled."]
    assert not Enrolment.objects.exists()


def test_cancel_gives_the_seat_to_the_first_waitlisted(session, client):
    """Cancelling from the dashboard confirms the first learner in line."""
    first, second = factories.learner("a@example.com"), factories.learner("b@example.com")
    mine = enrol(first, session.pk).enrolment
    theirs = enrol(second, session.pk).enrolment
    client.force_login(first)
    response = client.post(reverse("learners:cancel", args=[mine.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("learners:dashboard")
    assert any("is cancelled" in text for text in messages_of(response))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (EnrolmentStatus.CANCELLED, EnrolmentStatus.CONFIRMED)


def test_cancel_goes_back_to_a_page_of_this_site_only(session, client):
    """`next` brings the learner back to a local page; another site's URL is ignored."""
    learner = factories.learner()
    client.force_login(learner)
    enrolment = enrol(learner, session.pk).enrolment
    response = client.post(
        reverse("learners:cancel", args=[enrolment.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("learners:dashboard")


def test_another_learners_enrolment_is_not_found(session, client):
    """A learner can't cancel someone else's enrolment: 404, and nothing changes."""
    owner, intruder = factories.learner("a@example.com"), factories.learner("b@example.com")
    enrolment = enrol(owner, session.pk).enrolment
    client.force_login(intruder)
    response = client.post(reverse("learners:cancel", args=[enrolment.pk]))
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CONFIRMED


def test_anonymous_post_is_sent_to_log_in_and_back_to_the_course(session, client):
    """An anonymous click on Enrol leads to the log-in page, then back to the course page."""
    response = client.post(reverse("learners:enrol", args=[session.pk]))
    assert response.status_code == 302
    login_url, _sep, query = response["Location"].partition("?")
    assert login_url == reverse("account_login")
    assert query == "next=" + session.course.url
    assert not Enrolment.objects.exists()
    response = client.post(reverse("learners:cancel", args=[1]))
    assert response.status_code == 302 and response["Location"].startswith(login_url)


def test_get_on_the_action_urls_is_405(session, client):
    """Enrol and cancel only answer POST."""
    client.force_login(factories.learner())
    assert client.get(reverse("learners:enrol", args=[session.pk])).status_code == 405
    assert client.get(reverse("learners:cancel", args=[1])).status_code == 405
    assert not Enrolment.objects.exists()


def test_unknown_session_or_enrolment_is_404(session, client):
    """Ids that don't exist answer 404, not an error page."""
    client.force_login(factories.learner())
    assert client.post(reverse("learners:enrol", args=[999_999])).status_code == 404
    assert client.post(reverse("learners:cancel", args=[999_999])).status_code == 404


def test_enrol_needs_the_csrf_token(session):
    """A cross-site form post is refused."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.learner())
    assert client.post(reverse("learners:enrol", args=[session.pk])).status_code == 403
    assert not Enrolment.objects.exists()


# Course page


def enrol_cells(response):
    """{session id: text of its enrol box} on a course page."""
    soup = page(response)
    return {
        int(row["id"].removeprefix("session-")): row.select_one(".enrol-box")
        for row in soup.select("tr.session-row")
    }


def test_course_page_enrol_box_follows_the_viewer(course, client):
    """Anonymous: log-in link; learner: Enrol or Join the waiting list; enrolled: the status."""
    open_session = factories.session(course, capacity=5)
    full = factories.session(course, starts_in=timedelta(days=20), capacity=1)
    closed = factories.session(
        course, starts_in=timedelta(days=30), waitlist_enabled=False, capacity=1
    )
    other = factories.learner("other@example.com")
    enrol(other, full.pk)
    enrol(other, closed.pk)

    boxes = enrol_cells(client.get(course.url))
    link = boxes[open_session.pk].select_one("a.button")
    assert link.get_text(strip=True) == "Log in to enrol"
    assert link["href"] == f"{reverse('account_login')}?next={course.url}"

    learner = factories.learner()
    client.force_login(learner)
    boxes = enrol_cells(client.get(course.url))
    assert boxes[open_session.pk].select_one("button").get_text(strip=True) == "Enrol"
    assert boxes[full.pk].select_one("button").get_text(strip=True) == "Join the waiting list"
    assert boxes[closed.pk].select_one("button, a") is None

    enrol(learner, open_session.pk)
    enrol(learner, full.pk)
    boxes = enrol_cells(client.get(course.url))
    assert "Confirmed" in boxes[open_session.pk].get_text()
    assert "On the waiting list, position 1" in boxes[full.pk].get_text()
    assert boxes[full.pk].select_one(f"a[href='{reverse('learners:dashboard')}']")


def test_course_page_query_count_does_not_grow_with_sessions(course, client):
    """A signed-in learner's course page runs as many queries with 6 sessions as with 1."""
    learner = factories.learner()
    client.force_login(learner)
    sessions = [factories.session(course, starts_in=timedelta(days=3), capacity=2)]

    def count():
        assert client.get(course.url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get(course.url)
        assert response.status_code == 200
        return len(queries), response

    enrol(learner, sessions[0].pk)
    one, _response = count()
    for days in range(4, 9):
        sessions.append(factories.session(course, starts_in=timedelta(days=days), capacity=1))
    other = factories.learner("other@example.com")
    for extra in sessions[1:4]:
        enrol(other, extra.pk)
        enrol(learner, extra.pk)  # waitlisted: a position to compute
    six, response = count()
    assert len(enrol_cells(response)) == 6
    assert six == one, f"{one} queries with 1 session, {six} with 6"


# Dashboard


def test_dashboard_needs_log_in(tree, client):
    """Anonymous visitors are sent to the log-in page."""
    response = client.get(reverse("learners:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_shows_status_position_and_the_link_only_when_confirmed(session, client):
    """Confirmed: the online link; waitlisted: the position and no link."""
    confirmed, first, waiting = (
        factories.learner(f"{name}@example.com") for name in ("a", "b", "c")
    )
    enrol(confirmed, session.pk)
    enrol(first, session.pk)
    enrol(waiting, session.pk)

    client.force_login(confirmed)
    soup = page(client.get(reverse("learners:dashboard")))
    item = soup.select_one("#upcoming-title ~ ul .enrolment")
    assert "Confirmed" in item.select_one(".enrolment__status").get_text()
    assert item.select_one(f"a[href='{session.online_url}']")
    assert item.select_one(f"a[href='{reverse('learners:session_calendar', args=[session.pk])}']")
    assert item.select_one("form button").get_text(strip=True) == "Cancel my enrolment"

    client.force_login(waiting)
    response = client.get(reverse("learners:dashboard"))
    soup = page(response)
    item = soup.select_one("#upcoming-title ~ ul .enrolment")
    assert "On the waiting list, position 2" in item.get_text()
    assert session.online_url not in response.content.decode()
    assert item.select_one("form button").get_text(strip=True) == "Leave the waiting list"


def test_dashboard_lists_cancelled_and_past_sessions(course, client):
    """A cancelled enrolment stays listed without actions; past sessions have their own list."""
    learner = factories.learner()
    upcoming = factories.session(course)
    past = factories.session(course, starts_in=timedelta(days=-10))
    cancelled = enrol(learner, upcoming.pk).enrolment
    client.force_login(learner)
    client.post(reverse("learners:cancel", args=[cancelled.pk]))
    Enrolment.objects.create(session=past, learner=learner, status=EnrolmentStatus.COMPLETED)

    soup = page(client.get(reverse("learners:dashboard")))
    [item] = soup.select("#upcoming-title ~ ul .enrolment")
    assert "Cancelled" in item.get_text() and item.select_one("form") is None
    [done] = soup.select("#past-title ~ ul .enrolment")
    assert "Completed" in done.get_text()


def test_dashboard_shows_the_profile_and_the_private_feed_url(tree, client):
    """The profile summary, its edit link and the private calendar address are on the page."""
    learner = factories.learner(full_name="Amina Bennani", region="oriental")
    client.force_login(learner)
    soup = page(client.get(reverse("learners:dashboard")))
    assert "Amina Bennani" in soup.select_one("#profile-title").parent.get_text()
    assert soup.select_one(f"a[href='{reverse('learners:profile')}']")
    feed = soup.select_one("#calendar-feed-url")["value"]
    assert feed == f"http://testserver/calendar/{learner.profile.calendar_token}.ics"


def test_dashboard_creates_a_missing_profile(tree, client):
    """An account made outside sign-up (an administrator) gets an empty profile."""
    user = get_user_model().objects.create_user("editor", "editor@example.com", "pw")
    client.force_login(user)
    response = client.get(reverse("learners:dashboard"))
    assert response.status_code == 200
    assert Profile.objects.filter(user=user).exists()
    assert page(response).select_one(f"main .alert a[href='{reverse('learners:profile')}']")


def test_dashboard_in_arabic(tree, client):
    """The dashboard works under /ar/, right to left, with links under the same prefix."""
    client.force_login(factories.learner(language="ar"))
    response = client.get("/ar/dashboard/")
    soup = page(response)
    assert soup.html["dir"] == "rtl"
    assert soup.select_one("a[href='/ar/dashboard/profile/']")


# Profile


def test_profile_edit_saves_and_switches_to_the_preferred_language(tree, client):
    """Saving the profile stores it and opens the dashboard in the preferred language."""
    learner = factories.learner()
    client.force_login(learner)
    response = client.post(
        reverse("learners:profile"),
        {"full_name": "Amina B.", "region": "oriental", "preferred_language": "en"},
    )
    assert response.status_code == 302 and response["Location"] == "/en/dashboard/"
    learner.profile.refresh_from_db()
    assert (learner.profile.full_name, learner.profile.region) == ("Amina B.", "oriental")
    assert learner.profile.preferred_language == "en"
    assert messages_of(client.get(response["Location"])) == ["Your profile is saved."]


def test_profile_edit_invalid_is_400_with_messages(tree, client):
    """An empty name and an unknown region come back with a 400 and a message per field."""
    learner = factories.learner(full_name="Amina")
    client.force_login(learner)
    response = client.post(
        reverse("learners:profile"),
        {"full_name": "", "region": "atlantis", "preferred_language": "fr"},
    )
    assert response.status_code == 400
    soup = page(response)
    assert soup.select_one("main .alert--error[role=alert]")
    assert soup.select_one("#id_full_name")["aria-invalid"] == "true"
    assert soup.select_one("#id_full_name_error")
    assert "atlantis" in soup.select_one("#id_region_error").get_text()
    learner.profile.refresh_from_db()
    assert learner.profile.full_name == "Amina"


# Header and privacy notice


def test_header_links_follow_the_visitor(tree, client):
    """Log in and Sign up for visitors; My dashboard and a Log out form for learners."""
    soup = page(client.get("/en/courses/"))
    nav = soup.select_one(".site-nav")
    assert nav.select_one(f"a[href='{reverse('account_login')}']")
    assert nav.select_one(f"a[href='{reverse('account_signup')}']")

    client.force_login(factories.learner())
    soup = page(client.get("/en/courses/"))
    nav = soup.select_one(".site-nav")
    assert nav.select_one(f"a[href='{reverse('learners:dashboard')}']")
    logout = nav.select_one(f"form[action='{reverse('account_logout')}']")
    assert logout["method"] == "post" and logout.select_one("input[name=csrfmiddlewaretoken]")
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_privacy_notice_in_every_language(tree, client):
    """The privacy notice exists in French, Arabic and English."""
    for path, lang in (("/privacy/", "fr"), ("/ar/privacy/", "ar"), ("/en/privacy/", "en")):
        soup = page(client.get(path))
        assert soup.html["lang"] == lang
        assert len(soup.select("main h2")) >= 4
