"""API tokens: issued only to confirmed accounts, expiring, revocable, ended by a new password.

Called in process through DRF's `APIClient` (see `tests.api_client`); the password change and
reset go through allauth's own pages with Django's test client.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token

from tests import factories
from tests.api_client import InProcessApi

NEW_PASSWORD = "a-new-Passw0rd-for-amina"


@pytest.fixture
def api(db):
    return InProcessApi()


@pytest.fixture
def amina(db):
    return factories.learner("amina@example.com")


def authorised(api, token):
    """Does `token` still open the caller's enrolments?"""
    return api.get("me/enrolments/", token=token).status_code == 200


def test_an_expired_token_answers_401_saying_so_and_a_new_one_is_a_fresh_key(api, amina, settings):
    """Past `API_TOKEN_LIFETIME_HOURS` the token is refused (401, "expired") and deleted;
    asking again issues another key, valid for the whole lifetime."""
    settings.API_TOKEN_LIFETIME_HOURS = 2
    response = api.post("auth/token/", json={"username": "amina@example.com", "password": "pw"})
    assert response.status_code == 200
    old = response.json()["token"]
    issued = Token.objects.get(key=old).created
    assert parse_datetime(response.json()["expires_at"]) == issued + timedelta(hours=2)
    assert api.token("amina@example.com") == old  # still valid: the same key

    Token.objects.filter(key=old).update(created=timezone.now() - timedelta(hours=2, seconds=1))
    expired = api.get("me/enrolments/", token=old)
    assert expired.status_code == 401
    assert expired.headers["Content-Type"].startswith("application/json")
    assert expired.json()["detail"].startswith("Le jeton a expiré")  # the site's language
    assert not Token.objects.filter(key=old).exists()

    fresh = api.token("amina@example.com")
    assert fresh != old
    assert authorised(api, fresh)
    assert api.get("me/enrolments/", token=old).status_code == 401


def test_an_expired_token_is_replaced_when_asked_for_before_being_used(api, amina, settings):
    """Asking for a token when the stored one has expired gives a fresh key, never the old."""
    old = api.token("amina@example.com")
    hours = settings.API_TOKEN_LIFETIME_HOURS
    Token.objects.filter(key=old).update(created=timezone.now() - timedelta(hours=hours + 1))
    fresh = api.token("amina@example.com")
    assert fresh != old
    assert list(Token.objects.filter(user=amina).values_list("key", flat=True)) == [fresh]


def test_delete_revokes_the_token_it_is_sent_with(api, amina):
    """`DELETE /api/v1/auth/token/` answers 204; the token then answers 401."""
    token = api.token("amina@example.com")
    factories.learner("youssef@example.com")
    other = api.token("youssef@example.com")

    revoked = api.call("DELETE", "auth/token/", token=token)
    assert revoked.status_code == 204, revoked.text
    assert api.get("me/enrolments/", token=token).status_code == 401
    assert api.call("DELETE", "auth/token/", token=token).status_code == 401
    assert authorised(api, other)  # another account's token is untouched
    assert api.token("amina@example.com") != token


def test_a_stale_token_in_the_header_does_not_block_logging_in(api, amina):
    response = api.post(
        "auth/token/",
        json={"username": "amina@example.com", "password": "pw"},
        headers={"Authorization": "Bearer revoked-long-ago"},
    )
    assert response.status_code == 200, response.text


def test_delete_without_a_token_is_401_json(api, amina):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        response = api.call("DELETE", "auth/token/", headers=headers)
        assert response.status_code == 401
        assert response.json()["detail"]
    assert api.get("auth/token/").status_code == 405


def test_an_unconfirmed_account_gets_a_403_and_no_token(api):
    """The right password for an account whose address is not confirmed: 403 saying to confirm
    it first, and no token; the wrong password still answers 400 (nothing learnt)."""
    user = factories.learner("unverified@example.com", verified=False)
    credentials = {"username": "unverified@example.com", "password": "pw"}
    refused = api.post("auth/token/", json=credentials)
    assert refused.status_code == 403, refused.text
    assert refused.json()["detail"].startswith("Confirmez d'abord votre adresse e-mail")
    assert not Token.objects.filter(user=user).exists()

    wrong = api.post("auth/token/", json={"username": "unverified@example.com", "password": "x"})
    assert wrong.status_code == 400

    EmailAddress.objects.filter(user=user).update(verified=True)
    assert authorised(api, api.token("unverified@example.com"))


def test_an_account_without_any_address_gets_no_token(api):
    """A staff account made by hand, with no confirmed address, is refused too (403)."""
    get_user_model().objects.create_user("clerk", "clerk@example.com", "pw", is_staff=True)
    assert api.post("auth/token/", json={"username": "clerk", "password": "pw"}).status_code == 403


def _log_in(email="amina@example.com", password="pw"):
    browser = Client()
    response = browser.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content[:500]
    return browser


def test_changing_the_password_on_the_account_page_revokes_the_tokens(api, amina):
    token = api.token("amina@example.com")
    browser = _log_in()
    assert authorised(api, token)  # logging in is no password change

    response = browser.post(
        "/accounts/password/change/",
        {"oldpassword": "pw", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content[:500]
    amina.refresh_from_db()
    assert amina.check_password(NEW_PASSWORD)
    response = api.get("me/enrolments/", token=token)
    assert response.status_code == 401
    assert api.token("amina@example.com", NEW_PASSWORD) != token


def test_resetting_the_password_by_email_revokes_the_tokens(api, amina):
    token = api.token("amina@example.com")
    browser = Client()
    sent = browser.post("/accounts/password/reset/", {"email": "amina@example.com"})
    assert sent.status_code == 302
    [email] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/\S*/reset/\S+/)", email.body).group(1)
    form = browser.get(link, follow=True)
    assert form.status_code == 200
    done = browser.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert done.status_code == 302, done.content[:500]
    amina.refresh_from_db()
    assert amina.check_password(NEW_PASSWORD)
    assert api.get("me/enrolments/", token=token).status_code == 401


def test_set_password_and_save_revokes_but_other_saves_and_rehashing_do_not(api, amina):
    """Any new password (admin, `changepassword`: `set_password` then `save`) revokes; saving
    other fields, or Django re-hashing the same password, keeps the token."""
    token = api.token("amina@example.com")
    amina.first_name = "Amina"
    amina.save()
    amina.last_login = timezone.now()
    amina.save(update_fields=["last_login"])
    # A hash upgrade: Django's own setter re-saves the same password with a new hash.
    amina.set_password("pw")
    amina._password = None
    amina.save(update_fields=["password"])
    assert authorised(api, token)

    amina.set_password(NEW_PASSWORD)
    amina.save()
    assert api.get("me/enrolments/", token=token).status_code == 401
