"""Certificates of completion.

A certificate is issued once per completed enrolment (a partial unique constraint allows one
certificate that is not revoked per enrolment). What it certifies is copied when it is
issued, so later edits to the course or the learner's name don't change a certificate that
has been handed out; re-issuing makes a new one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def held_by(self, user):
        """Every certificate of `user`'s enrolments, valid or revoked, the latest first."""
        return self.filter(enrolment__learner=user).order_by("-issued_at", "-pk")


class Certificate(models.Model):
    enrolment = models.ForeignKey(
        "enrolments.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    language = models.CharField(_("language"), max_length=10)
    holder_name = models.CharField(_("holder"), max_length=150)
    course_title = models.CharField(_("course"), max_length=255)
    institute_name = models.CharField(_("institute"), max_length=255)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    hours = models.PositiveSmallIntegerField(_("hours"))
    skills = models.JSONField(
        _("skills gained"),
        default=list,
        help_text=_("[{name, slug, level, level_label, esco_uri}] as issued."),
    )
    pdf = models.FileField(_("PDF"), upload_to="certificates/", blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The holder's email address, salted and hashed at issue (Open Badges `IdentityObject`):
    # the badge names its recipient without publishing the address.
    identity_salt = models.CharField(max_length=32, blank=True, editable=False)
    identity_hash = models.CharField(max_length=80, blank=True, editable=False)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        # Revoking and re-issuing go through `certificates.services`, never a generic form.
        permissions = [("revoke_certificate", _("Can revoke and re-issue certificates"))]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="one_valid_certificate_per_enrolment",
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.holder_name} · {self.course_title}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_valid(self):
        return self.revoked_at is None
