"""Programme exports too large to download at once: written by a Celery task, then kept a while.

An `ExportJob` records who asked for which export (its kind, its parameters, the format and the
language of its headings), how far the task got (`rows_done` of `rows_total`), and the file it
wrote. The file sits in the default storage under `private/exports/<random token>/`: on object
storage it is private like every object (no ACL, presigned URLs of five minutes), and it is only
ever handed over by the download view, to the person who asked or an administrator
(`ExportJob.objects.downloadable_by`). Jobs and their files are deleted once `expires_at` passes
(`reports.tasks.purge_export_jobs`); a job deleted any other way (with its requester's account)
takes its file along (`reports.receivers`). The rules of the work are in `reports/exports.py`.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Where export files are stored, under a random folder per job.
EXPORT_FOLDER = "private/exports"
# How long a job and its file are kept, from its creation and again from its completion.
KEEP_FOR = timedelta(days=7)


def new_token():
    return secrets.token_hex(16)


def export_file_path(job, filename):
    return f"{EXPORT_FOLDER}/{job.token}/{filename}"


def export_filename(kind, file_format, day=None):
    """What an export's file is called: its kind and the day it was asked for."""
    return f"{kind}-{day or timezone.localdate():%Y-%m-%d}.{file_format}"


def default_expiry():
    return timezone.now() + KEEP_FOR


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"  # the names of jazari.spreadsheets' formats
    XLSX = "xlsx", "XLSX"


class ExportJobQuerySet(models.QuerySet):
    def downloadable_by(self, user):
        """The jobs `user` may follow and download: their own; every job for administrators."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(requested_by=user)

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class ExportJob(models.Model):
    """One export written in the background: who asked, what, how far it got, and its file."""

    # What was asked, and by whom
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField(_("export"), max_length=40)
    file_format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)

    # How far the task got
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
        db_index=True,
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)

    # The file, in private storage
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    file = models.FileField(_("file"), upload_to=export_file_path, max_length=255, blank=True)

    # When
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Touched with every progress update: a running job silent for long lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), default=default_expiry, db_index=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def is_downloadable(self):
        return self.status == ExportStatus.DONE and bool(self.file) and not self.is_expired

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def percent(self):
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def filename(self):
        return export_filename(self.kind, self.file_format, timezone.localdate(self.created_at))


class UnansweredSearch(models.Model):
    """How many searches for one query found nothing on one day: the demand the catalogue
    doesn't meet yet, for the programme's report.

    Nothing personal is kept: no account, no address, no time of day; the query is folded
    (`jazari.search.fold`: lower case, no accents, Arabic letters in one form) so that
    variants count together. Counted by `reports.demand.count_unanswered_search`.
    """

    query = models.CharField(_("search"), max_length=200)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="unanswered_search_per_day")
        ]
        indexes = [models.Index(fields=["day"], name="unanswered_search_day")]

    def __str__(self):
        return f"{self.query} ({self.day:%Y-%m-%d}: {self.count})"
