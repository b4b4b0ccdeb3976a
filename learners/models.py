"""Learners: their profile, their enrolments in sessions, and the email owed to them.

Enrolments change only through `learners.services`; the counts kept on `Session` are display
caches, and capacity is always counted under the session's lock.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
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

    class Meta:
        verbose_name = _("learner profile")
        verbose_name_plural = _("learner profiles")

    def __str__(self):
        return self.full_name or self.user.get_username()

    @property
    def is_complete(self):
        return bool(self.full_name and self.privacy_accepted_at)


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    COMPLETED = "completed", _("Completed")
    NO_SHOW = "no_show", _("No-show")


# Statuses that hold a seat: confirmed learners and those whose attendance was recorded.
SEAT_HOLDING = (
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.ATTENDED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NO_SHOW,
)


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=EnrolmentStatus.CANCELLED)

    def holding_seats(self):
        return self.filter(status__in=SEAT_HOLDING)

    def waitlisted(self):
        """The waiting list in arrival order."""
        return self.filter(status=EnrolmentStatus.WAITLISTED).order_by("queued_at", "pk")


class Enrolment(models.Model):
    """A learner in a session: confirmed, waitlisted, cancelled, attended, completed, no-show."""

    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, db_index=True
    )
    # Arrival order: set under the session's lock, so the waiting list is first come first served.
    queued_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"],
                condition=~Q(status="cancelled"),
                name="one_active_enrolment_per_session",
            )
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"], name="enrolment_queue")]

    def __str__(self):
        return f"{self.learner} — {self.session} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status != EnrolmentStatus.CANCELLED

    def waitlist_position(self):
        """1 for the first in line; None when not waitlisted."""
        if self.status != EnrolmentStatus.WAITLISTED:
            return None
        ahead = (
            Enrolment.objects.filter(session_id=self.session_id, status=EnrolmentStatus.WAITLISTED)
            .filter(Q(queued_at__lt=self.queued_at) | Q(queued_at=self.queued_at, pk__lt=self.pk))
            .count()
        )
        return ahead + 1


class NotificationKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Enrolment confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    PROMOTED = "promoted", _("Seat freed: enrolment confirmed")
    CANCELLED = "cancelled", _("Enrolment cancelled")
    SESSION_CHANGED = "session_changed", _("Session changed")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    REMINDER = "reminder", _("Reminder")


class Notification(models.Model):
    """An email owed to a learner, written in the same transaction as the change that causes it.

    A task sends it and stamps `sent_at`; if the broker was down when the change committed, the
    periodic dispatcher queues it again once the broker is back, so nothing is lost. `key` makes
    the same notification impossible to write twice.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="notification_pending",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.user}"
