"""Staff log in where learners do, through allauth: the admin's own log-in forms send there,
and allauth's failed-log-in limits (`ACCOUNT_RATE_LIMITS["login_failed"]`) guard them."""

import html

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

PASSWORD = "the right one"
LOGIN = "/en/accounts/login/"


@pytest.fixture
def admin(db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def other_admin(db):
    user = get_user_model().objects.create_superuser("other", "other@example.com", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def attempt(client, login, password, address="203.0.113.7"):
    return client.post(
        LOGIN, {"login": login, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def too_many_attempts():
    with translation.override("en"):
        return str(DefaultAccountAdapter.error_messages["too_many_login_attempts"])


def test_the_admin_log_in_page_sends_to_allauth_keeping_next(client):
    """`/admin/login/?next=…` and the admin itself lead to allauth's log-in, `next` kept."""
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/pages/"
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('account_login')}?next=")
    # Wagtail's front-end log-in form (private pages) too, in every language.
    assert client.get("/ar/_util/login/?next=/x/")["Location"] == "/ar/accounts/login/?next=/x/"
    # The page tells staff their username works, in French and Arabic.
    for prefix, lang in (("", "fr"), ("/ar", "ar")):
        with translation.override(lang):
            sentence = translation.gettext("Staff may also use their username.")
        page = client.get(f"{prefix}/accounts/login/")
        assert sentence != "Staff may also use their username."
        assert sentence in html.unescape(page.text)


def test_staff_log_in_by_username_or_email_and_reach_the_admin(client, admin):
    """The username `admin` and its email address both log in, then `next` opens the admin."""
    response = attempt(client, "admin", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    client.logout()
    response = attempt(client, "admin@example.com", PASSWORD)
    assert response.status_code == 302 and logged_in_as(client) == str(admin.pk)


def test_five_wrong_passwords_then_even_the_right_one_is_refused(client, admin, other_admin):
    """From the 6th attempt on one account, the right password is refused with a clear message;
    another account from the same address still logs in; after the window, it works."""
    for _ in range(5):
        response = attempt(client, "admin", "wrong")
        assert response.status_code == 200 and too_many_attempts() not in response.text
    refused = attempt(client, "admin", PASSWORD)
    assert refused.status_code == 200
    assert too_many_attempts() in refused.text
    assert logged_in_as(client) is None
    # The account is protected whatever the address the attempts come from.
    assert too_many_attempts() in attempt(client, "admin", PASSWORD, address="198.51.100.9").text
    assert logged_in_as(client) is None

    response = attempt(client, "other", PASSWORD)
    assert response.status_code == 302 and logged_in_as(client) == str(other_admin.pk)
    client.logout()

    cache.clear()  # the five minutes of the window have passed
    response = attempt(client, "admin", PASSWORD)
    assert response.status_code == 302 and logged_in_as(client) == str(admin.pk)


def test_one_address_trying_many_accounts_is_stopped_others_are_not(client, admin):
    """Ten failures a minute from one address (any accounts) stop it; another address logs in."""
    for number in range(10):
        assert attempt(client, f"guess{number}", "wrong").status_code == 200
    assert too_many_attempts() in attempt(client, "admin", PASSWORD).text
    assert logged_in_as(client) is None
    response = attempt(client, "admin", PASSWORD, address="198.51.100.9")
    assert response.status_code == 302 and logged_in_as(client) == str(admin.pk)
