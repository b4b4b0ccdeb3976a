"""Two-factor authentication (allauth.mfa): required for staff where `STAFF_REQUIRE_MFA` is on,
optional for learners, asked at log-in and by the API's token endpoint; a recent log-in before
sensitive admin actions. Codes are real TOTP codes computed from the authenticator's secret."""

import html
import os
import subprocess
import sys
import time
from urllib.parse import unquote, urlencode

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from certificates.models import Certificate
from demo.users import ensure_admin
from jazari import staff as staff_rules
from jazari.credential_keys import development_key
from tests import factories
from tests.accounts import log_in
from tests.certificates_helpers import complete, course_with_skills
from tests.test_admin_permissions import editors_group, is_refused
from tests.test_admin_permissions import staff as staff_user

PASSWORD = "pw"
LOGIN = "/en/accounts/login/"
ACTIVATE = "/en/accounts/2fa/totp/activate/"
REQUIRED = override_settings(STAFF_REQUIRE_MFA=True)
# Older than ACCOUNT_REAUTHENTICATION_TIMEOUT (300 s).
STALE = 600


def code_now(secret):
    """The authenticator app's code of this 30-second step."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def wrong_code(secret):
    return format_hotp_value((int(code_now(secret)) + 1) % 1_000_000)


def with_totp(user):
    """An authenticator app for `user`; its secret, to compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def admin_account(username="admin"):
    user = get_user_model().objects.create_superuser(username, f"{username}@example.com", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def admin(db):
    return admin_account()


@pytest.fixture
def people(db):
    """An administrator, a programme manager, an institute editor and a learner."""
    manager = staff_user("manager")
    manager.groups.add(Group.objects.get(name="programme managers"))
    return {
        "admin": admin_account(),
        "manager": manager,
        "editor": staff_user("editor", editors_group("Fès editors")),
        "learner": factories.learner("amina@example.com"),
    }


def test_who_counts_as_staff(people):
    """Administrators, programme managers and anyone with admin access; not learners."""
    assert [staff_rules.is_staff(people[name]) for name in people] == [True, True, True, False]
    with REQUIRED:
        assert staff_rules.two_factor_required(people["editor"])
        assert not staff_rules.two_factor_required(people["learner"])
    assert not staff_rules.two_factor_required(people["admin"])  # off in tests unless turned on


@REQUIRED
def test_staff_without_two_factor_are_sent_to_set_it_up(client, people):
    """Where required, each staff account reaching the admin is sent to set up TOTP first."""
    for name in ("admin", "editor"):
        log_in(client, people[name])
        response = client.get("/admin/pages/")
        assert response.status_code == 302, name
        assert response["Location"] == reverse("mfa_activate_totp"), name
    # Log-out stays open; a learner is not sent there (the admin refuses them as before).
    assert client.post("/admin/logout/").status_code == 302
    log_in(client, people["learner"])
    assert client.get("/admin/")["Location"] != reverse("mfa_activate_totp")


def test_without_the_requirement_staff_use_the_admin_as_before(client, admin):
    """`STAFF_REQUIRE_MFA` off (dev, tests): the admin opens without two-factor authentication."""
    log_in(client, admin)
    assert client.get("/admin/").status_code == 200


@REQUIRED
def test_setting_up_an_authenticator_app_opens_the_admin(client, admin):
    """Log in, sent to set up TOTP, confirm the password, enter the app's code: the admin opens."""
    response = client.post(LOGIN, {"login": "admin", "password": PASSWORD, "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")
    response = client.get(ACTIVATE)  # allauth asks for the password again before adding one
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]
    response = client.post("/en/accounts/reauthenticate/", {"password": PASSWORD, "next": ACTIVATE})
    assert response["Location"] == ACTIVATE
    page = client.get(ACTIVATE)
    secret = client.session[SECRET_SESSION_KEY]
    assert page.status_code == 200 and secret in page.text and "data:image/svg+xml" in page.text
    refused = client.post(ACTIVATE, {"code": wrong_code(secret)})
    assert refused.status_code == 200 and not staff_rules.has_two_factor(admin)
    response = client.post(ACTIVATE, {"code": code_now(secret)})
    assert response.status_code == 302 and staff_rules.has_two_factor(admin)
    assert Authenticator.objects.filter(user=admin, type="recovery_codes").exists()
    assert client.get("/admin/").status_code == 200


@REQUIRED
def test_log_in_asks_for_the_code_of_the_app_or_a_recovery_code(client, admin):
    """After the password, the code: a wrong one keeps the account out, the right one (or an
    unused recovery code) logs in and goes on to `next`."""
    secret = with_totp(admin)
    response = client.post(LOGIN, {"login": "admin", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and "/2fa/authenticate/" in response["Location"]
    assert client.session.get("_auth_user_id") is None
    assert client.get("/admin/").status_code == 302
    refused = client.post(response["Location"], {"code": wrong_code(secret)})
    assert refused.status_code == 200 and client.session.get("_auth_user_id") is None
    done = client.post(response["Location"], {"code": code_now(secret)})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    client.logout()
    recovery = RecoveryCodes.activate(admin).generate_codes()[0]
    response = client.post(LOGIN, {"login": "admin@example.com", "password": PASSWORD})
    done = client.post(response["Location"], {"code": recovery})
    assert done.status_code == 302 and client.session.get("_auth_user_id") == str(admin.pk)


# A recent log-in before sensitive admin actions.


def reauthenticate(client, response):
    """Follow allauth's "confirm it's you": the password, then back to where it was going."""
    assert response.status_code == 302, response
    location = response["Location"]
    assert location.startswith(reverse("account_reauthenticate")), location
    next_url = unquote(location.split("next=", 1)[1])
    confirmed = client.post(location, {"password": PASSWORD, "next": next_url})
    assert confirmed.status_code in (200, 302), confirmed
    return confirmed


def test_enrolments_export_needs_a_recent_log_in(client, admin):
    """An old session is asked for the password before the export; then the CSV comes."""
    log_in(client, admin, seconds_ago=STALE)
    url = "/admin/enrolments/?export=csv"
    assert client.get("/admin/enrolments/").status_code == 200  # the listing itself is not asked
    confirmed = reauthenticate(client, client.get(url))
    assert confirmed["Location"] == url
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    xlsx = client.get("/admin/enrolments/?export=xlsx")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


def test_certificate_revocation_and_reissue_need_a_recent_log_in(
    client, admin, tree, django_capture_on_commit_callbacks
):
    """Revoke and re-issue ask an old session for the password first; then they work."""
    setting = course_with_skills(tree)
    learner = factories.learner("amina@example.com", full_name="Amina Benali")
    certificate = Certificate.objects.get(enrolment=complete(learner, setting["session"]))
    revoke = reverse("certificates_admin:revoke", args=[certificate.pk])
    reissue = reverse("certificates_admin:reissue", args=[certificate.pk])
    log_in(client, admin, seconds_ago=STALE)
    for url in (revoke, reissue):
        assert client.get(url)["Location"].startswith(reverse("account_reauthenticate")), url
    refused = client.post(revoke, {"reason": "Attendance recorded in error"})
    assert refused["Location"].startswith(reverse("account_reauthenticate"))
    certificate.refresh_from_db()
    assert certificate.is_valid

    reauthenticate(client, client.get(revoke))
    assert client.get(revoke).status_code == 200
    client.post(revoke, {"reason": "Attendance recorded in error"})
    certificate.refresh_from_db()
    assert certificate.is_revoked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reissue)
    certificate.refresh_from_db()
    assert certificate.replaced_by_id is not None


def test_role_changes_need_a_recent_log_in(client, admin):
    """User and group forms and the users' bulk actions ask an old session for the password."""
    other = staff_user("karim")
    group = Group.objects.create(name="Rabat editors")
    bulk = reverse("wagtail_bulk_action", args=["auth", "user", "assign_role"])
    urls = [
        reverse("wagtailusers_users:edit", args=[other.pk]),
        reverse("wagtailusers_users:add"),
        reverse("wagtailusers_users:delete", args=[other.pk]),
        reverse("wagtailusers_groups:edit", args=[group.pk]),
        reverse("wagtailusers_groups:add"),
    ]
    log_in(client, admin, seconds_ago=STALE)
    for url in urls:
        response = client.get(url)
        assert response["Location"].startswith(reverse("account_reauthenticate")), url
    assert client.get(reverse("wagtailusers_users:index")).status_code == 200
    refused = client.post(f"{bulk}?id={other.pk}", {"role": group.pk})
    assert refused["Location"].startswith(reverse("account_reauthenticate"))
    assert not other.groups.filter(pk=group.pk).exists()

    # Someone Wagtail refuses the forms to is refused at once, not asked for a password.
    log_in(client, staff_user("reader", editors_group("Fès editors")), seconds_ago=STALE)
    for url in urls:
        assert is_refused(client.get(url)), url

    log_in(client, admin, seconds_ago=STALE)
    reauthenticate(client, client.get(urls[0]))
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.post(f"{bulk}?id={other.pk}&{urlencode({'next': '/admin/users/'})}", {"role": group.pk})
    assert other.groups.filter(pk=group.pk).exists()


# The API's token endpoint.


def token_response(username, password=PASSWORD, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password, **extra}, format="json"
    )


def test_api_token_asks_an_account_with_two_factor_for_its_code(db):
    """No code or a wrong one: 400 saying so; the app's code or a recovery code: the token."""
    learner = factories.learner("amina@example.com")
    secret = with_totp(learner)
    for extra in ({}, {"otp": ""}, {"otp": wrong_code(secret)}):
        response = token_response("amina@example.com", **extra)
        assert response.status_code == 400, extra
        assert "otp" in response.json()["errors"] and response.json()["detail"]
    response = token_response("amina@example.com", otp=code_now(secret))
    assert response.status_code == 200 and response.json()["token"]
    replayed = token_response("amina@example.com", otp=code_now(secret))
    assert replayed.status_code == 400  # a code serves once
    recovery = RecoveryCodes.activate(learner).generate_codes()[3]
    assert token_response("amina@example.com", otp=recovery).status_code == 200
    assert token_response("amina@example.com", otp=recovery).status_code == 400
    assert token_response("amina@example.com", password="wrong", otp=recovery).status_code == 400


def test_api_token_refused_to_staff_without_two_factor_where_required(admin):
    """Where required, staff get no token until they set up two-factor authentication."""
    assert token_response("admin").status_code == 200
    with REQUIRED:
        response = token_response("admin")
        assert response.status_code == 400 and "/accounts/2fa/" in response.json()["detail"]
        secret = with_totp(admin)
        assert token_response("admin", otp=code_now(secret)).status_code == 200


def test_openapi_describes_the_code(client):
    schema = client.get("/api/v1/openapi.json").json()
    token_request = schema["components"]["schemas"]["TokenRequest"]
    assert "otp" in token_request["properties"] and "otp" not in token_request["required"]


# Learners' pages.


@pytest.mark.parametrize(("prefix", "lang"), [("", "fr"), ("/ar", "ar")])
def test_two_factor_pages_render_in_the_site_layout(client, db, prefix, lang):
    """The dashboard links to `/accounts/2fa/`; its pages render in the site's base, in French
    and Arabic (right to left)."""
    learner = factories.learner("amina@example.com")
    log_in(client, learner, reauthenticated=True)
    dashboard = client.get(f"{prefix}/dashboard/")
    assert f'href="{prefix}/accounts/2fa/"' in dashboard.text
    pages = (
        ("/accounts/2fa/", "mfa/index.html", "Two-Factor Authentication"),
        (ACTIVATE[3:], "mfa/totp/activate_form.html", "Activate Authenticator App"),
    )
    for path, template, heading in pages:
        response = client.get(f"{prefix}{path}")
        assert response.status_code == 200, path
        names = [t.name for t in response.templates]
        assert "base.html" in names and template in names, names
        assert f'lang="{lang}"' in response.text
        assert ('dir="rtl"' in response.text) is (lang == "ar")
        with translation.override(lang):
            translated = gettext(heading)
        assert translated != heading and translated in html.unescape(response.text), path


def test_seed_demo_admin_logs_in_by_username(client, db):
    """`seed_demo`'s administrator has a verified address, so allauth lets `admin` in."""
    ensure_admin("demo-password")
    ensure_admin()  # a rerun keeps it verified
    response = client.post(LOGIN, {"login": "admin", "password": "demo-password"})
    assert response.status_code == 302 and client.session.get("_auth_user_id")


# Where it is required.


def setting_in(module, **environ):
    """`STAFF_REQUIRE_MFA` as `module` computes it in a fresh process with `environ`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_STAFF_REQUIRE_MFA", "STAFF_REQUIRE_MFA")
    }
    env.update(
        DJANGO_SECRET_KEY="x",
        DJANGO_ALLOWED_HOSTS="example.com",
        # What production refuses to start without.
        EMAIL_URL="smtp://127.0.0.1:1025",
        REDIS_URL="redis://127.0.0.1:6379/1",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        CREDENTIAL_SIGNING_KEY=development_key("x"),
    )
    env.update(environ)
    code = f"import jazari.settings.{module} as s; print(s.STAFF_REQUIRE_MFA)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_required_in_production_unless_turned_off_and_off_in_dev_unless_turned_on():
    """Production requires it by default; dev does not; either variable name turns it."""
    assert setting_in("production") == "True"
    assert setting_in("production", DJANGO_STAFF_REQUIRE_MFA="false") == "False"
    assert setting_in("production", STAFF_REQUIRE_MFA="false") == "False"
    assert setting_in("dev") == "False"
    assert setting_in("dev", DJANGO_STAFF_REQUIRE_MFA="true") == "True"
