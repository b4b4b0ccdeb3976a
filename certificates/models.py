"""Certificates of attendance and of completion.

An enrolment earns at most one valid certificate of each kind (a partial unique constraint
allows one certificate that is not revoked per enrolment and kind): of attendance once the
learner was present at a meeting, of completion once the enrolment is completed, each after the
session has ended (`certificates.services`). What it certifies is copied when it is issued (the
names, the meetings attended and their hours, the signatory), so later edits to the course, the
institute or the learner's name don't change a certificate that has been handed out; re-issuing
makes a new one. Its Open Badges credential is signed once, when it is issued, and kept
(`credential`); its place in the revocation status list (`status_list`, `status_index`) never
changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    ATTENDANCE = "attendance", _("Certificate of attendance")
    COMPLETION = "completion", _("Certificate of completion")


def duration_label(minutes: int) -> str:
    """ "21 hours", "7 h 30 min", in the active language."""
    hours, rest = divmod(minutes or 0, 60)
    if not rest:
        return ngettext("%(counter)s hour", "%(counter)s hours", hours) % {"counter": hours}
    return gettext("%(hours)s h %(minutes)02d min") % {"hours": hours, "minutes": rest}


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def completion(self):
        return self.filter(kind=CertificateKind.COMPLETION)

    def held_by(self, user):
        """Every certificate of `user`'s enrolments, valid or revoked, the latest first."""
        return self.filter(enrolment__learner=user).order_by("-issued_at", "-pk")


class Certificate(models.Model):
    """A certificate as issued: what it states, its signed credential, and whether it stands."""

    enrolment = models.ForeignKey(
        "enrolments.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=CertificateKind.choices,
        default=CertificateKind.COMPLETION,
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    language = models.CharField(_("language"), max_length=10)
    holder_name = models.CharField(_("holder"), max_length=150)
    course_title = models.CharField(_("course"), max_length=255)
    institute_name = models.CharField(_("institute"), max_length=255)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # The meetings attended, as issued: [{"starts_at", "ends_at"}] in ISO 8601 (UTC), and the
    # sum of their lengths. Certificates issued before meetings existed list none and keep the
    # course's duration.
    meetings = models.JSONField(_("meetings attended"), default=list, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    signatory_name = models.CharField(_("signatory"), max_length=150, blank=True)
    signatory_role = models.CharField(_("signatory's role"), max_length=150, blank=True)
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
    # The Open Badges 3.0 credential signed when the certificate was issued (a VC-JWT,
    # `certificates.signing`), and its entry in a revocation status list (`status_list`).
    credential = models.TextField(_("signed credential"), blank=True, editable=False)
    status_list = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
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
                fields=["enrolment", "kind"],
                condition=Q(revoked_at__isnull=True),
                name="one_valid_certificate_per_enrolment_and_kind",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_certificate_per_status_entry"
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.holder_name} · {self.course_title}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_valid(self):
        return self.revoked_at is None

    @property
    def hours(self) -> float:
        """The hours attended (7.5 for 7 h 30 min)."""
        return round(self.minutes / 60, 2)

    @property
    def duration_label(self) -> str:
        return duration_label(self.minutes)
