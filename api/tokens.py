"""API tokens: who may have one, how long it lives, and what ends it.

A token (DRF's `authtoken.Token`, one per account) is issued only to an account whose email
address is verified (`jazari.people.email_verified`, the rule enrolment applies too). It is
valid `API_TOKEN_LIFETIME_HOURS` after it was issued; an expired token is deleted when it is
presented, and asking again issues a fresh key. `DELETE /api/v1/auth/token/` revokes the
caller's token, and setting a new password (password change or reset pages, the admin,
`changepassword`) revokes every token of the account: see `revoke_on_password_change`.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import is_password_usable
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework.authtoken.models import Token

from jazari.people import email_verified


def lifetime() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS)


def expires_at(token: Token) -> datetime:
    return token.created + lifetime()


def is_expired(token: Token, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= expires_at(token)


def may_have_token(user) -> bool:
    """Only accounts whose email address is verified get a token."""
    return email_verified(user)


def issue(user, now: datetime | None = None) -> Token:
    """The account's token while it is valid, else a fresh key."""
    token = Token.objects.filter(user=user).first()
    if token is not None and is_expired(token, now):
        token.delete()
        token = None
    if token is None:
        token, _created = Token.objects.get_or_create(user=user)
    return token


def revoke(token: Token) -> None:
    Token.objects.filter(pk=token.pk).delete()


def revoke_all(user) -> None:
    Token.objects.filter(user=user).delete()


# A new password revokes the account's tokens, whichever way it was set: every way saves the
# user with a new hash. A save that leaves the password out (`update_fields` without it, e.g.
# `last_login`) costs nothing; any other compares the hash with the stored one. Django's
# rehashing of the same password when it logs someone in (a stronger hasher after an upgrade)
# is no change: it saves only the password with `_password` cleared, which `set_password`
# (any real change) fills.


def _is_rehash(user, update_fields) -> bool:
    return (
        update_fields is not None
        and set(update_fields) == {"password"}
        and getattr(user, "_password", None) is None
        and is_password_usable(user.password)
    )


@receiver(pre_save, sender=get_user_model(), dispatch_uid="api-tokens-password-check")
def _note_password_change(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._api_password_changed = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    stored = stored.first()
    changed = stored is not None and stored != instance.password
    instance._api_password_changed = changed and not _is_rehash(instance, update_fields)


@receiver(post_save, sender=get_user_model(), dispatch_uid="api-tokens-password-revoke")
def revoke_on_password_change(sender, instance, created=False, raw=False, **kwargs):
    if getattr(instance, "_api_password_changed", False):
        instance._api_password_changed = False
        revoke_all(instance)
