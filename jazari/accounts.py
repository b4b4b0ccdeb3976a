"""The account emails (django-allauth's) in the product's words and the reader's language.

allauth writes the sign-up confirmation, the password reset, the "you already have an account"
and the "no account with this address" emails from `account/email/<name>_subject.txt`,
`<name>_message.txt` and `<name>_message.html`; `jazari/templates/account/email/` overrides them
with texts that extend the layout of every Jazari Skills email (`emails/layout.html`, `.txt`).
`AccountAdapter` (ACCOUNT_ADAPTER) gives them what allauth doesn't:

- the reader's language: the account's (`jazari.people`, the language the learner chose at
  sign-up), else the page's; subject, texts and links are in it (`/ar/…`, `/en/…`);
- the name to greet: the learner's full name when known, else a plain "Hello,"; never the username
  allauth made up from the email address, nor the site's domain;
- subjects without allauth's "[site]" prefix, and an HTML part beside the text;
- links that stay on one line of a text email (under 78 characters on a public address of some
  25 characters): the confirmation key is a random key of 20 characters that allauth stores
  (`ACCOUNT_EMAIL_CONFIRMATION_HMAC = False`; its signed key runs to 50-odd), and the password
  reset link is `/accounts/reset/<uid>-<token>/` (`jazari/urls.py`, allauth's own view) with a
  token of 27 characters (`PasswordResetTokens`) instead of `/accounts/password/reset/key/…`
  with 39.

Links rather than allauth's codes (ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED,
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED): a code works only in the browser that asked for it, and
learners often sign up on a computer and read their email on a phone; a link works anywhere.
"""

import base64
from urllib.parse import urlsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import get_random_string, salted_hmac
from django.utils.http import int_to_base36

from jazari import people
from jazari.addresses import absolute_url
from jazari.i18n import localize_path

# The links allauth puts in its emails' context, written again under the reader's language.
LINKS = ("activate_url", "password_reset_url", "signup_url")
# Email confirmation keys: lowercase letters and digits (allauth looks keys up in lowercase).
KEY_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
KEY_LENGTH = 20  # about 103 bits


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter with the product's emails; everything else is allauth's."""

    def format_email_subject(self, subject: str) -> str:
        """The subject as the template writes it: it names Jazari Skills where it helps."""
        return subject

    def generate_emailconfirmation_key(self, email: str) -> str:
        return get_random_string(KEY_LENGTH, KEY_CHARACTERS)

    def get_reset_password_from_key_url(self, key: str) -> str:
        """`/accounts/reset/<uid>-<token>/`: allauth's view on a shorter path."""
        uidb36, token = key.split("-", 1)
        path = reverse("account_reset_password_link", kwargs={"uidb36": uidb36, "key": token})
        return absolute_url(path, self.request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render and send an account email in its reader's language (see the module)."""
        request = self.request
        user = context.get("user") or account_for(email)
        language = people.site_language(translation.get_language())
        name = ""
        if user is not None:
            person = people.describe(user, language=language)
            language, name = person.language, person.name
        with translation.override(language):
            data = {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
                "learner_name": name,
                "site_url": absolute_url(localize_path("/"), request),
                "login_url": absolute_url(localize_path(reverse("account_login")), request),
                "LANGUAGE_CODE": language,
                "LANGUAGE_BIDI": translation.get_language_bidi(),
                "confirmation_days": app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS,
                "reset_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
                "unverified_days": settings.ACCOUNT_PURGE_UNVERIFIED_DAYS,
            }
            for link in LINKS:
                if data.get(link):
                    path = urlsplit(data[link]).path
                    data[link] = absolute_url(localize_path(path, language), request)
            message = self.render_mail(
                template_prefix,
                email,
                data,
                headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
            )
        message.send()


def account_for(email: str):
    """The account an email address belongs to (a verified address first), or None."""
    address = (
        EmailAddress.objects.filter(email__iexact=email)
        .select_related("user")
        .order_by("-verified", "pk")
        .first()
    )
    if address is not None:
        return address.user
    return get_user_model().objects.filter(email__iexact=email).order_by("pk").first()


class PasswordResetTokens(PasswordResetTokenGenerator):
    """Password reset tokens (ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR) short enough for a link on
    one line: the timestamp and 100 bits of the HMAC in base 32 (20 characters), where Django
    writes 128 bits in hexadecimal (32).

    As allauth's, a token stops working once the password, the last log-in or the account's
    email addresses change, and after PASSWORD_RESET_TIMEOUT; requests are rate limited
    (ACCOUNT_RATE_LIMITS), so 100 bits are beyond guessing.
    """

    key_salt = "jazari.accounts.PasswordResetTokens"
    SIGNATURE_LENGTH = 20

    def _make_hash_value(self, user, timestamp):
        emails = set(EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True))
        if user.email:
            emails.add(user.email)
        return super()._make_hash_value(user, timestamp) + "|".join(sorted(emails))

    def _make_token_with_timestamp(self, user, timestamp, secret):
        digest = salted_hmac(
            self.key_salt,
            self._make_hash_value(user, timestamp),
            secret=secret,
            algorithm=self.algorithm,
        ).digest()
        signature = base64.b32encode(digest).decode()[: self.SIGNATURE_LENGTH].lower()
        return f"{int_to_base36(timestamp)}-{signature}"
