"""Deleting a learner's account (the right to erasure of law 09-08), and the link that asks for it.

What a deletion does (`erase_account`), in one transaction:

- Enrolments in sessions that have not started are cancelled through
  `enrolments.services.enrolment.cancel`, as if the learner cancelled them: the seat goes at
  once to the first learner on the waiting list.
- Certificates: kept verifiable if the learner chose so (the name printed on them is the one the
  learner gave, and the verification page keeps showing it); otherwise each valid certificate is
  revoked (`certificates.services.revoke`, reason "account deleted") and every certificate of
  the account loses its holder's name, its badge identity hash and its PDF.
- The account becomes an anonymous placeholder: username and email `deleted-<random>@invalid`,
  no name, inactive, an unusable password (so every session it had is logged out, since
  Django checks the password's hash on each request), no groups or permissions. Its email
  addresses, API token, followed paths and the emails owed to it are deleted. The profile keeps
  only region and audience, which are statistics (the programme counts learners by region and
  audience) and identify no one without the rest; the name, organisation, language, consent
  date and calendar token are cleared, and `erased_at` is set.
- The enrolments stay, attached to the placeholder with their statuses and dates: the counts of
  enrolments, attendance and completions per session, institute, region and audience, and the
  seats taken, are the same after as before.
- Feedback keeps its rating and recommendation (the scores stay the same); what the learner
  wrote in it is blanked.
- Audit entries (Wagtail's log) of the account, its profile and its enrolments are relabelled
  without the email address; the entry of the deletion itself holds no personal data.

An account that has no history (no enrolment, never the author of an audit entry: an unverified
sign-up, typically) is deleted outright instead.

The link: `deletion_token` signs (`django.core.signing`) the account's id, its email address, a
digest of its password hash and the certificate choice; it expires after
`ACCOUNT_DELETION_LINK_HOURS` and is void once the account is deleted, its email changed or its
password changed.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.services import revoke
from enrolments.models import Enrolment, Notification
from enrolments.services.enrolment import cancel
from enrolments.states import AWAITING
from feedback.services import erase_texts
from jazari import audit, people
from jazari.addresses import absolute_url
from jazari.errors import DomainError
from jazari.i18n import localize_path
from learners.models import Profile, new_calendar_token
from paths.models import PathFollow

logger = logging.getLogger("jazari.learners")

TOKEN_SALT = "learners.account-deletion"
ERASED_DOMAIN = "invalid"


class ErasureError(DomainError):
    """The deletion link is wrong, expired or used, or the account may not be deleted."""


# Who may be deleted


def is_erased(user) -> bool:
    """Whether `user` is the placeholder left by a deleted account."""
    return Profile.objects.filter(user=user, erased_at__isnull=False).exists()


def check_erasable(user) -> None:
    """Staff accounts are never deleted here (an administrator removes them by hand)."""
    if user.is_staff or user.is_superuser:
        raise ErasureError(
            _("Staff accounts can't be deleted from the dashboard; ask an administrator."),
            "staff",
        )


# The signed link


@dataclass(frozen=True)
class DeletionRequest:
    user: object
    keep_certificates: bool


def _password_digest(user) -> str:
    return salted_hmac(TOKEN_SALT, user.password, algorithm="sha256").hexdigest()[:16]


def deletion_token(user, *, keep_certificates: bool) -> str:
    """The signed token of the confirmation link."""
    payload = {
        "u": user.pk,
        "e": user.email,
        "p": _password_digest(user),
        "k": bool(keep_certificates),
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def read_token(token: str) -> DeletionRequest:
    """The account and choice a token asks for, or `ErasureError` saying what is wrong."""
    max_age = settings.ACCOUNT_DELETION_LINK_HOURS * 3600
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ErasureError(
            _("This link has expired. Ask again for the deletion of your account."), "expired"
        ) from None
    except signing.BadSignature:
        raise ErasureError(
            _("This link is not valid. Check that you copied it whole."), "bad"
        ) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise ErasureError(_("This link is not valid. Check that you copied it whole."), "bad")
    user = get_user_model().objects.filter(pk=payload["u"]).first()
    if user is None or is_erased(user):
        raise ErasureError(_("This link has been used: the account is deleted already."), "used")
    if user.email != payload.get("e") or _password_digest(user) != payload.get("p"):
        raise ErasureError(
            _(
                "This link is no longer valid: the account's email address or password has "
                "changed since. Ask again for the deletion of your account."
            ),
            "stale",
        )
    return DeletionRequest(user=user, keep_certificates=bool(payload.get("k")))


def confirmation_url(user, *, keep_certificates: bool, request=None) -> str:
    token = deletion_token(user, keep_certificates=keep_certificates)
    language = people.describe(user).language
    path = localize_path(reverse("learners:delete_confirm", args=[token]), language)
    return absolute_url(path, request)


def send_confirmation(user, *, keep_certificates: bool, request=None) -> None:
    """Email the learner the link that confirms the deletion, in their language."""
    check_erasable(user)
    language = people.describe(user).language
    with translation.override(language):
        context = {
            "name": people.describe(user).name,
            "url": confirmation_url(user, keep_certificates=keep_certificates, request=request),
            "hours": settings.ACCOUNT_DELETION_LINK_HOURS,
            "keep_certificates": keep_certificates,
        }
        send_account_email(user.email, "learners/emails/deletion_confirm", context)


def send_account_email(address, template, context):
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [address])


# Deletion


def _placeholder_address() -> str:
    return f"deleted-{secrets.token_hex(8)}@{ERASED_DOMAIN}"


def _has_history(user) -> bool:
    return (
        Enrolment.objects.filter(learner=user).exists()
        or ModelLogEntry.objects.filter(user=user).exists()
    )


def erase_account(
    user,
    *,
    keep_certificates: bool,
    actor=None,
    now: datetime | None = None,
    reason: str = "learner",
    notify: bool = True,
) -> None:
    """Delete `user`'s personal data, keeping the anonymised history (see the module's docstring).

    `actor`: who asked, for the audit log (the learner, or None for the purge); `reason` goes
    into the deletion's audit entry (`learner`, `unverified`, `inactive`). Safe to call twice: a
    deleted account is left as it is. `notify` emails the old address that it is done.
    """
    check_erasable(user)
    now = now or timezone.now()
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if is_erased(user):
            return
        old_address = user.email
        language = people.describe(user).language
        if not _has_history(user):
            user.delete()
            erased = None
        else:
            erased = _anonymise(user, keep_certificates=keep_certificates, actor=actor, now=now)
            audit.record(
                user,
                "jazari.account.deleted",
                actor=None,
                reason=reason,
                certificates="kept" if keep_certificates else "revoked",
            )
    logger.info("Account %s deleted (%s).", erased.pk if erased else "without history", reason)
    if notify and old_address:
        transaction.on_commit(lambda: _send_deleted(old_address, language, reason))


def _send_deleted(address, language, reason):
    with translation.override(language):
        send_account_email(address, "learners/emails/deleted", {"reason": reason})


def _anonymise(user, *, keep_certificates: bool, actor, now):
    # Enrolments still ahead: cancelled as the learner would, so the waiting list moves up.
    ahead = Enrolment.objects.filter(learner=user, status__in=AWAITING).select_related("session")
    for enrolment in ahead:
        if enrolment.learner_may_cancel(now):
            cancel(enrolment.pk, actor=actor, now=now)

    certificates = Certificate.objects.held_by(user)
    if not keep_certificates:
        with translation.override(settings.LANGUAGE_CODE):
            revoked_reason = gettext("account deleted")
        for certificate in certificates.valid():
            revoke(certificate, actor=None, reason=revoked_reason)
        for certificate in certificates:
            if certificate.pdf:
                certificate.pdf.delete(save=False)
        # The signed credential names the holder by the hash too: it goes with it.
        certificates.update(
            holder_name="", identity_salt="", identity_hash="", pdf="", credential=""
        )

    EmailAddress.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    PathFollow.objects.filter(learner=user).delete()
    erase_texts(user)  # what they wrote in their feedback; ratings stay for the scores
    # Including the emails just owed for the cancellations: there is no one to send them to.
    Notification.objects.filter(user=user).delete()

    profile, _created = Profile.objects.get_or_create(user=user)
    profile.full_name = ""
    profile.organisation = ""
    profile.preferred_language = settings.LANGUAGE_CODE
    profile.privacy_accepted_at = None
    profile.purge_warned_at = None
    profile.calendar_token = new_calendar_token()
    profile.erased_at = now
    profile.save()

    address = _placeholder_address()
    user.username = address[:150]
    user.email = address
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    _scrub_audit_labels(user, profile)
    return user


def _scrub_audit_labels(user, profile) -> None:
    """Relabel the log entries that named the account (its email address was their label)."""
    entries = ModelLogEntry.objects.all()
    entries.filter(
        content_type=ContentType.objects.get_for_model(user, for_concrete_model=False),
        object_id=str(user.pk),
    ).update(label=user.get_username())
    entries.filter(
        content_type=ContentType.objects.get_for_model(Profile), object_id=str(profile.pk)
    ).update(label=f"#{profile.pk}")
    enrolment_type = ContentType.objects.get_for_model(Enrolment)
    for enrolment in Enrolment.objects.filter(learner=user).select_related("session__course"):
        entries.filter(content_type=enrolment_type, object_id=str(enrolment.pk)).update(
            label=enrolment.audit_label
        )
