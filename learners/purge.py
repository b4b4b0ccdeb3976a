"""Accounts kept no longer than needed: the daily purge (`manage.py purge_accounts`, and Celery
beat's `learners.purge_accounts`).

- An account whose email address was never confirmed is deleted once it is older than
  `ACCOUNT_PURGE_UNVERIFIED_DAYS` (7).
- An account not used (last log-in, else sign-up) for `ACCOUNT_PURGE_INACTIVE_DAYS` (3 years; 0
  turns this off) is first warned by email `ACCOUNT_PURGE_WARNING_DAYS` (30) before, then
  deleted, its certificates kept verifiable. Logging in again after the warning cancels it. An
  account is deleted only `ACCOUNT_PURGE_WARNING_DAYS` after its warning, even when the purge
  did not run for a while.

Deletion is `learners.erasure.erase_account`: the history is kept anonymised. Staff accounts are
never purged. Safe to run twice: the warning is stamped on the profile, and a deleted account
is no longer a candidate.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone, translation

from jazari import people
from jazari.addresses import absolute_url
from jazari.i18n import localize_path
from learners.erasure import erase_account, send_account_email
from learners.models import Profile

logger = logging.getLogger("jazari.learners")


@dataclass
class PurgeReport:
    unverified_deleted: list[int] = field(default_factory=list)
    warned: list[int] = field(default_factory=list)
    inactive_deleted: list[int] = field(default_factory=list)


def candidates():
    """Accounts the purge may touch: not staff, not deleted already."""
    erased = Profile.objects.filter(user=OuterRef("pk"), erased_at__isnull=False)
    return (
        get_user_model()
        .objects.filter(is_staff=False, is_superuser=False)
        .exclude(Exists(erased))
        .annotate(idle_since=Coalesce(F("last_login"), F("date_joined")))
    )


def unverified(now: datetime):
    days = settings.ACCOUNT_PURGE_UNVERIFIED_DAYS
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return candidates().filter(date_joined__lt=now - timedelta(days=days)).exclude(Exists(verified))


def to_warn(now: datetime):
    """Inactive accounts due for deletion within the warning period, not warned since last used."""
    inactive_days = settings.ACCOUNT_PURGE_INACTIVE_DAYS
    if not inactive_days:
        return candidates().none()
    warning_days = min(settings.ACCOUNT_PURGE_WARNING_DAYS, inactive_days)
    warned_since = Profile.objects.filter(
        user=OuterRef("pk"), purge_warned_at__gte=OuterRef("idle_since")
    )
    return (
        candidates()
        .filter(idle_since__lt=now - timedelta(days=inactive_days - warning_days))
        .exclude(Exists(warned_since))
    )


def to_delete(now: datetime):
    """Inactive accounts past the limit, warned since last used, the warning period over."""
    inactive_days = settings.ACCOUNT_PURGE_INACTIVE_DAYS
    if not inactive_days:
        return candidates().none()
    warning_days = min(settings.ACCOUNT_PURGE_WARNING_DAYS, inactive_days)
    warned = Profile.objects.filter(
        Q(purge_warned_at__gte=OuterRef("idle_since")),
        user=OuterRef("pk"),
        purge_warned_at__lte=now - timedelta(days=warning_days),
    )
    return candidates().filter(Exists(warned), idle_since__lt=now - timedelta(days=inactive_days))


def purge_accounts(now: datetime | None = None) -> PurgeReport:
    """Delete unverified accounts, warn then delete inactive ones; what was done."""
    now = now or timezone.now()
    report = PurgeReport()
    steps = (
        (unverified, report.unverified_deleted, _delete_unverified),
        (to_delete, report.inactive_deleted, _delete_inactive),
        (to_warn, report.warned, warn),
    )
    for accounts, done, act in steps:
        for user in accounts(now):
            # One account failing (a lock not had in time, an email refused) does not stop the
            # others; it is a candidate again the next day.
            try:
                act(user, now=now)
            except Exception:
                logger.exception("Purge: account %s not processed by %s.", user.pk, act.__name__)
            else:
                done.append(user.pk)
    logger.info(
        "Purge: %s unverified deleted, %s inactive deleted, %s warned.",
        len(report.unverified_deleted),
        len(report.inactive_deleted),
        len(report.warned),
    )
    return report


def _delete_unverified(user, *, now):
    erase_account(user, keep_certificates=True, now=now, reason="unverified", notify=False)


def _delete_inactive(user, *, now):
    erase_account(user, keep_certificates=True, now=now, reason="inactive")


def warn(user, *, now: datetime) -> None:
    """Stamp the warning, then email it (a failed email is tried again the next day)."""
    profile, _created = Profile.objects.get_or_create(
        user=user, defaults={"full_name": user.get_full_name()[:150]}
    )
    warned_at = profile.purge_warned_at
    Profile.objects.filter(pk=profile.pk).update(purge_warned_at=now)
    deletion_on = now + timedelta(days=settings.ACCOUNT_PURGE_WARNING_DAYS)
    person = people.describe(user)
    if not user.email:
        return
    try:
        with translation.override(person.language):
            send_account_email(
                user.email,
                "learners/emails/purge_warning",
                {
                    "name": person.name,
                    "date": formats.date_format(timezone.localtime(deletion_on), "DATE_FORMAT"),
                    "login_url": absolute_url(localize_path(reverse("account_login"))),
                },
            )
    except Exception:
        Profile.objects.filter(pk=profile.pk).update(purge_warned_at=warned_at)
        raise
