"""Learners: what they tell us about themselves (their profile).

Their enrolments live in `enrolments`; this app adds the pages learners use (dashboard,
profile, calendar files) and the admin's Enrolments area.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from institutes.regions import Region


class LearnerAudience(models.TextChoices):
    STUDENT = "student", _("Student")
    PUBLIC_SERVANT = "public_servant", _("Public servant")
    SME_STAFF = "sme_staff", _("SME staff")
    STARTUP = "startup", _("Start-up")
    RESEARCHER = "researcher", _("Researcher")
    OTHER = "other", _("Other")


def new_calendar_token():
    return secrets.token_urlsafe(24)


class Profile(models.Model):
    """What a learner tells us: the name for certificates, where they are, who they are."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    full_name = models.CharField(
        _("full name"),
        max_length=150,
        help_text=_("As it should appear on your certificates."),
    )
    region = models.CharField(_("region"), max_length=40, choices=Region.choices, blank=True)
    audience = models.CharField(
        _("you are"), max_length=20, choices=LearnerAudience.choices, blank=True
    )
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted"), null=True)
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    # Erasure (`learners.erasure`): the account was deleted and this row is what remains, region
    # and audience only, so that the programme's figures stay whole.
    erased_at = models.DateTimeField(_("account deleted"), null=True, blank=True, editable=False)
    # The inactive account was told it would be deleted (`learners.purge`).
    purge_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("learner profile")
        verbose_name_plural = _("learner profiles")

    def __str__(self):
        return self.full_name or self.user.get_username()

    @property
    def is_complete(self):
        return bool(self.full_name and self.privacy_accepted_at)

    def renew_calendar_token(self):
        """A new private calendar address; the old one stops working (404) at once."""
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])
