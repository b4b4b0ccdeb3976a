"""Enrolments: a learner in a session, their attendance at its meetings, the messages organisers
write to a session's participants, and the email owed to learners.

Enrolments change only through `enrolments.services`; the counts kept on `Session` are display
caches, and capacity is always counted under the session's lock.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import ONLINE_MODES, SessionStatus
from enrolments.states import ENROLLED, HOLDS_SEAT, Actor, EnrolmentStatus, Moment, can
from enrolments.tickets import LENGTH as TICKET_LENGTH
from enrolments.tickets import new_ticket


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=EnrolmentStatus.CANCELLED)

    def holding_seats(self):
        return self.filter(status__in=HOLDS_SEAT)

    def waitlisted(self):
        """The waiting list in arrival order."""
        return self.filter(status=EnrolmentStatus.WAITLISTED).order_by("queued_at", "pk")

    def with_waitlist_place(self):
        """Each enrolment with `waitlist_place`: 1 for the first in line, None when not waitlisted.

        Counted by a subquery in the same SQL query (the waiting learners who arrived earlier in
        the same session, whatever else filters this queryset), so a list of enrolments costs
        one query whatever its length.
        """
        ahead = (
            Enrolment.objects.filter(
                session_id=OuterRef("session_id"), status=EnrolmentStatus.WAITLISTED
            )
            .filter(
                Q(queued_at__lt=OuterRef("queued_at"))
                | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
            )
            .order_by()
            .values("session_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            waitlist_place=Case(
                When(
                    status=EnrolmentStatus.WAITLISTED,
                    then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
                ),
                default=None,
                output_field=IntegerField(),
            )
        )


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
    # Shown with its QR code once the enrolment holds a seat, scanned at check-in.
    ticket = models.CharField(
        _("ticket"), max_length=TICKET_LENGTH, unique=True, default=new_ticket, editable=False
    )

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
    def audit_label(self) -> str:
        """How the audit log names it: by number and session, never by the learner's name."""
        return f"#{self.pk} · {self.session}"

    @property
    def is_active(self):
        return self.status != EnrolmentStatus.CANCELLED

    @property
    def online_link(self) -> str:
        """The session's online link if this learner may see it, else "".

        The one rule for pages, emails, calendar files and the API: the session is online or
        hybrid, not cancelled, and the learner holds a seat (confirmed, attended, completed).
        """
        session = self.session
        if (
            self.status in ENROLLED
            and session.mode in ONLINE_MODES
            and session.status != SessionStatus.CANCELLED
        ):
            return session.online_url
        return ""

    def learner_may_cancel(self, now: datetime) -> bool:
        """Whether the learner may still cancel (`enrolments.states`: until the session starts)."""
        return can(
            self.status, EnrolmentStatus.CANCELLED, Actor.LEARNER, Moment.of(self.session, now)
        )

    def waitlist_position(self):
        """1 for the first in line; None when not waitlisted."""
        if self.status != EnrolmentStatus.WAITLISTED:
            return None
        return (
            Enrolment.objects.filter(pk=self.pk)
            .with_waitlist_place()
            .values_list("waitlist_place", flat=True)
            .get()
        )

    @property
    def has_ticket(self) -> bool:
        """Whether the learner is shown the ticket: they hold a seat and were not marked absent."""
        return self.status in ENROLLED


class AttendanceMethod(models.TextChoices):
    CHECK_IN = "check_in", _("Check-in")
    LIST = "list", _("Participant list")
    ADMIN = "admin", _("Admin")


class Attendance(models.Model):
    """Whether a learner was present at one meeting of their session.

    Written only by `enrolments.services.attendance`, which keeps the enrolment's status in step
    (attended once present at a meeting, no-show while only absences are recorded).
    """

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    meeting = models.ForeignKey(
        "courses.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    present = models.BooleanField(_("present"))
    # When the learner's ticket was scanned or typed at check-in, if it was.
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    method = models.CharField(_("recorded by way of"), max_length=20, choices=AttendanceMethod)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "meeting"], name="one_attendance_per_meeting"
            )
        ]
        indexes = [models.Index(fields=["meeting", "present"], name="attendance_meeting")]

    def __str__(self):
        return f"{self.enrolment_id} @ {self.meeting_id}: {'present' if self.present else 'absent'}"


class MessageAudience(models.TextChoices):
    """Whom an organiser's message goes to, among a session's learners."""

    CONFIRMED = "confirmed", _("Learners holding a seat")
    WAITLISTED = "waitlisted", _("Learners on the waiting list")
    ATTENDED = "attended", _("Learners who attended")
    ALL = "all", _("Everyone enrolled or waiting")


class SessionMessage(models.Model):
    """A message an organiser wrote to a session's participants.

    Each recipient is owed an email through the outbox (a `Notification` pointing here), and
    sees the message on their dashboard.
    """

    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = models.CharField(_("to"), max_length=20, choices=MessageAudience)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class NotificationKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Enrolment confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    PROMOTED = "promoted", _("Seat freed: enrolment confirmed")
    CANCELLED = "cancelled", _("Enrolment cancelled")
    SESSION_CHANGED = "session_changed", _("Session changed")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    REMINDER = "reminder", _("Reminder")
    COURSE_UNPUBLISHED = "course_unpublished", _("Course withdrawn")
    MESSAGE = "message", _("Message from the organisers")
    FEEDBACK_REQUEST = "feedback_request", _("How was it?")
    CERTIFICATE_READY = "certificate_ready", _("Certificate ready")


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
    # An organiser's message, for `MESSAGE`.
    message = models.ForeignKey(
        SessionMessage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # What the email of a kind defined by an app above needs (ids, codes), e.g. a certificate.
    data = models.JSONField(default=dict, blank=True)
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


def sessions_with_enrolments(session_ids) -> set[int]:
    """The sessions among `session_ids` that learners are or were enrolled in (any status).

    Such a session is never deleted: its enrolments are the learners' history, the ground of
    their certificates and of the programme's figures (`Enrolment.session` protects it in the
    database). It is cancelled instead. The course form asks here (`enrolments.extensions`).
    """
    return set(
        Enrolment.objects.filter(session_id__in=list(session_ids))
        .order_by()
        .values_list("session_id", flat=True)
        .distinct()
    )
