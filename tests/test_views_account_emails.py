"""The account emails (allauth's, written by `jazari.accounts`): the sign-up confirmation, the
password reset, "you already have an account" and "no account uses this address".

Each comes in its reader's language (the one chosen at sign-up, else the page's), as text and
HTML, greets by name or with a plain "Hello," (never the site's domain nor a username), is signed
Jazari Skills, and carries links that stay on one line and work.

Texts are compared with what gettext gives in the expected language, so that the tests hold
before and after the French and Arabic catalogues are updated; the greeting, already translated,
shows the language itself.
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from jazari.accounts import PasswordResetTokens
from learners.models import Profile
from tests import factories
from tests.shared_data import built_once

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06FF]")
LANGUAGES = ["fr", "ar", "en"]
# Served over HTTPS on a public address of a plausible length: links start with ORIGIN.
HOST = "skills.example.ma"
ORIGIN = f"https://{HOST}"
# The longest line holding a link (mail clients and RFC 5322 keep lines under 78 characters).
LINK_LINE = 78
PASSWORD = "Un-mot-de-passe-solide-2026"
NEW_PASSWORD = "Un-autre-mot-de-passe-2027"
# A username the learner never chose nor sees (allauth makes one up at sign-up).
USERNAME = "amina7f3k"

SUBJECTS = {
    "signup": "Welcome to Jazari Skills: confirm your email address",
    "confirm": "Confirm your email address for Jazari Skills",
    "reset": "Choose a new password for Jazari Skills",
    "exists": "You already have a Jazari Skills account",
    "unknown": "No Jazari Skills account uses this address",
}


@pytest.fixture(scope="module")
def once(django_db_setup, django_db_blocker):
    """The site's pages (the account pages use its header and footer), built once."""
    with built_once(django_db_blocker):
        yield factories.site_tree()


@pytest.fixture(autouse=True)
def _site_and_fresh_rate_limits(once):
    """allauth counts sign-ups and resets in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browser():
    """A visitor on the public address, over HTTPS."""
    return Client(HTTP_HOST=HOST)


def prefix(language):
    return "" if language == "fr" else f"/{language}"


def get(browser, path, **kwargs):
    return browser.get(path, secure=True, **kwargs)


def post(browser, path, data, **kwargs):
    return browser.post(path, data, secure=True, **kwargs)


def signup_data(email="nadia@example.com", **changes):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "Nadia El Amrani",
        "region": "fes-meknes",
        "audience": "public_servant",
        "organisation": "",
        "preferred_language": "fr",
        "accept_privacy": "on",
    }
    data.update(changes)
    return data


def amina(language):
    """A verified learner writing in `language`, with a username she never saw."""
    user = factories.learner("amina@example.com", language=language, full_name="Amina Tazi")
    get_user_model().objects.filter(pk=user.pk).update(username=USERNAME)
    return user


def translated(language, text):
    with translation.override(language):
        return gettext(text)


def greeting(language, name):
    with translation.override(language):
        if name:
            return gettext("Hello %(learner_name)s,") % {"learner_name": name}
        return gettext("Hello,")


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return BeautifulSoup(html, "html.parser")


def links_in(text):
    return re.findall(r"https?://\S+", text)


def the_one_email():
    [message] = mail.outbox
    return message


def check_email(message, *, language, kind, name, to):
    """What every account email shows: see the module's docstring."""
    assert message.to == [to]
    assert message.subject == translated(language, SUBJECTS[kind])
    assert message.extra_headers["Content-Language"] == language
    text = message.body
    html = html_of(message)
    html_text = html.get_text(" ", strip=True)

    # Greeting by name (or a plain "Hello,"), in the language; signed Jazari Skills.
    assert text.splitlines()[0] == greeting(language, name)
    assert greeting(language, name) in html_text
    assert translated(language, "Jazari Skills") in text.split("\n-- \n")[1]
    assert html.html["lang"] == language
    assert html.html["dir"] == ("rtl" if language == "ar" else "ltr")
    if language == "ar":
        assert ARABIC.search(text) and ARABIC.search(html_text)
    else:
        assert not ARABIC.search(text)

    # Nothing of allauth's defaults: no site domain greeting, no username, no "[site]" prefix.
    for body in (message.subject, text, html_text):
        assert "Hello from" not in body and "example.com]" not in body and "{{" not in body
        assert USERNAME not in body
        assert "username" not in body.lower()
    assert not message.subject.startswith("[")

    # Links: each alone on its line, short enough for it, on the address the visitor used, in
    # the language; the HTML links to the same addresses.
    links = links_in(text)
    assert links
    for line in text.splitlines():
        if "://" in line:
            assert line.strip() in links, line
            assert len(line) <= LINK_LINE, line
    for link in links:
        assert link.startswith(f"{ORIGIN}{prefix(language)}/"), link
    hrefs = {a["href"] for a in html.find_all("a")}
    assert set(links) <= hrefs
    # The links of the message; the signature's last is the home page.
    home = f"{ORIGIN}{prefix(language)}/"
    assert links[-1] == home
    return links[:-1]


def path_of(link):
    return urlsplit(link).path


def check_page_language(response, language):
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == language
    return page


# The four emails in each language


@pytest.mark.parametrize("language", LANGUAGES)
def test_signup_confirmation_in_the_language_chosen_at_sign_up(browser, language):
    """The confirmation is written in the language chosen on the form (not the page's), to
    the learner's name; its link opens the confirmation page in that language and confirms."""
    page_language = "en" if language == "fr" else "fr"
    response = post(
        browser,
        f"{prefix(page_language)}/accounts/signup/",
        signup_data(preferred_language=language),
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nadia@example.com")

    message = the_one_email()
    [link] = check_email(
        message, language=language, kind="signup", name="Nadia El Amrani", to=user.email
    )
    assert user.username not in message.body.replace(user.email, "")
    assert "/accounts/confirm-email/" in link

    page = check_page_language(get(browser, path_of(link)), language)
    assert "nadia@example.com" in page.select_one("main").get_text()
    response = post(browser, path_of(link), {})
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified


def test_confirmation_sent_again_at_log_in_in_the_learners_language(browser):
    """Logging in before confirming sends the link again, in the learner's language."""
    user = factories.learner("amina@example.com", verified=False, language="ar", full_name="Amina")
    response = post(browser, "/accounts/login/", {"login": user.email, "password": "pw"})
    assert response.status_code == 302

    [link] = check_email(
        the_one_email(), language="ar", kind="confirm", name="Amina", to=user.email
    )
    check_page_language(get(browser, path_of(link)), "ar")
    post(browser, path_of(link), {})
    assert EmailAddress.objects.get(user=user).verified


@pytest.mark.parametrize("language", LANGUAGES)
def test_password_reset_in_the_learners_language(browser, language):
    """Asked from a page in another language, the reset email is in the learner's; its link
    opens the new password form, which sets the password (once)."""
    user = amina(language)
    page_language = "ar" if language != "ar" else "en"
    response = post(
        browser, f"{prefix(page_language)}/accounts/password/reset/", {"email": user.email}
    )
    assert response.status_code == 302

    message = the_one_email()
    [link] = check_email(message, language=language, kind="reset", name="Amina Tazi", to=user.email)
    assert f"{prefix(language)}/accounts/reset/" in link
    assert user.email in message.body  # "You log in with your email address, …"

    form = get(browser, path_of(link), follow=True)
    assert form.status_code == 200
    check_page_language(form, language)
    form_path = form.redirect_chain[-1][0]
    assert "set-password" in form_path and path_of(link) not in form_path
    done = post(browser, form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link works once: the new password makes it stale.
    again = get(Client(HTTP_HOST=HOST), path_of(link))
    assert again.status_code == 200 and "set-password" not in again.get("Location", "")
    assert BeautifulSoup(again.content, "html.parser").select_one("main form") is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_already_exists_in_the_accounts_language(browser, language):
    """Signing up again with an address that has an account makes no account and tells the
    account's owner, in their language, how to log in or choose a new password."""
    user = amina(language)
    response = post(
        browser,
        "/accounts/signup/",
        signup_data(email="Amina@example.com", preferred_language="fr"),
    )
    assert response.status_code == 302
    assert get_user_model().objects.count() == 1

    message = the_one_email()
    links = check_email(
        message, language=language, kind="exists", name="Amina Tazi", to="amina@example.com"
    )
    login, reset = links
    assert path_of(login) == f"{prefix(language)}/accounts/login/"
    assert path_of(reset) == f"{prefix(language)}/accounts/password/reset/"
    for link in links:
        check_page_language(get(browser, path_of(link)), language)
    assert user.email in message.body.lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_account_in_the_pages_language(browser, language):
    """A new password asked for an address without an account: the email, in the language
    of the page it was asked from, offers to sign up."""
    response = post(
        browser, f"{prefix(language)}/accounts/password/reset/", {"email": "nobody@example.com"}
    )
    assert response.status_code == 302

    message = the_one_email()
    [signup] = check_email(
        message, language=language, kind="unknown", name="", to="nobody@example.com"
    )
    assert path_of(signup) == f"{prefix(language)}/accounts/signup/"
    check_page_language(get(browser, path_of(signup)), language)


# The language recorded at sign-up


def test_sign_up_records_the_pages_language_unless_another_is_chosen(browser):
    """The form offers the page's language; a form without the field records it too."""
    form = BeautifulSoup(get(browser, "/ar/accounts/signup/").content, "html.parser")
    assert form.select_one("select[name=preferred_language] option[selected]")["value"] == "ar"

    data = signup_data()
    del data["preferred_language"]
    assert post(browser, "/en/accounts/signup/", data).status_code == 302
    assert Profile.objects.get(user__email="nadia@example.com").preferred_language == "en"
    assert the_one_email().extra_headers["Content-Language"] == "en"


def test_staff_without_a_profile_get_the_pages_language(browser):
    """An account without a learner profile (staff) is written to in the page's language,
    greeted by the name on the account, and not by its username."""
    staff = get_user_model().objects.create_user(
        "editor-jazari-rabat", "editor@example.com", "pw", first_name="Salma", last_name="Idrissi"
    )
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    post(browser, "/en/accounts/password/reset/", {"email": staff.email})
    message = the_one_email()
    assert message.extra_headers["Content-Language"] == "en"
    assert message.body.startswith("Hello Salma Idrissi,")
    assert "editor-jazari-rabat" not in message.body


# The short password reset token


def test_reset_tokens_are_short_and_checked():
    """A token is a timestamp and 20 characters; a changed character or a new password
    makes it fail."""
    user = amina("fr")
    tokens = PasswordResetTokens()
    token = tokens.make_token(user)
    timestamp, signature = token.split("-")
    assert len(signature) == 20 and re.fullmatch(r"[a-z2-7]+", signature)
    assert tokens.check_token(user, token)
    wrong = signature[:-1] + ("a" if signature[-1] != "a" else "b")
    assert not tokens.check_token(user, f"{timestamp}-{wrong}")
    assert not tokens.check_token(user, f"{timestamp}-{signature}-x")
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not tokens.check_token(user, token)
