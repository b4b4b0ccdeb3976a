"""The programme's exports: what each kind holds, and the jobs that write the large ones.

An exporter is a function `(user, params) -> (headers, rows, total)`, registered under its kind
in `EXPORTERS` (`@exporter("enrolments", label=…)`): `params` is the query's dictionary of
strings (a form's, a job's `parameters`), `rows` an iterator that touches the database only
when it is read, `total` the number of rows it will give. A parameter it can't read raises
`ExportError` (a 400 with its message). Rows are written by `jazari.spreadsheets`, so they follow
the site's rules for spreadsheets.

`prepare` counts the rows of an export; one of at most `REPORT_EXPORT_SYNC_ROWS` rows is
written while the request waits (`spreadsheet_file`). A larger one becomes an `ExportJob`
(`start_job`), written by `reports.tasks.run_export`, queued once the job's row commits
(`reports.receivers`): the task
calls `run_job`, which claims the job (a job already done, failed or being written by a live
worker is left alone, so a task delivered twice does nothing the second time), records
progress every `PROGRESS_EVERY` rows, stores the file and marks the job done. A worker that
died leaves its job "running" without progress; after `STALE_AFTER` it may be claimed again.
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.core.files import File
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.models import TEACHING_LANGUAGES, CourseFormat, SessionMode
from enrolments.models import EnrolmentStatus
from enrolments.permissions import visible_enrolments
from institutes.regions import Region
from jazari.errors import DomainError
from jazari.spreadsheets import spreadsheet_file
from learners.models import LearnerAudience
from reports.models import KEEP_FOR, ExportJob, ExportStatus

logger = logging.getLogger("jazari.reports")

# Progress is recorded after every this many rows.
PROGRESS_EVERY = 500
# Rows read from the database at a time.
CHUNK_SIZE = 2000
# A running job without progress for this long lost its worker: it may be claimed again.
STALE_AFTER = datetime.timedelta(minutes=15)


class ExportError(DomainError):
    """An export that can't be made as asked (an unknown kind, a parameter that can't be read)."""


@dataclasses.dataclass(frozen=True)
class Exporter:
    kind: str
    label: str
    function: Callable


# Kind → exporter, filled by `@exporter`.
EXPORTERS: dict[str, Exporter] = {}


def exporter(kind, *, label):
    """Register the decorated function as the exporter of `kind`."""

    def register(function):
        EXPORTERS[kind] = Exporter(kind, label, function)
        return function

    return register


def prepare(user, kind, params) -> tuple[list, Iterator, int]:
    """The headers, lazy rows and number of rows of the export `kind` for `user`."""
    if kind not in EXPORTERS:
        raise ExportError(_("There is no export of this kind."), "unknown_export")
    return EXPORTERS[kind].function(user, params or {})


def sync_rows() -> int:
    """The most rows an export may have to be written while the request waits."""
    return settings.REPORT_EXPORT_SYNC_ROWS


def is_small(total: int) -> bool:
    """Whether an export of `total` rows is written while the request waits."""
    return total <= sync_rows()


def label_of(kind) -> str:
    exporter = EXPORTERS.get(kind)
    return str(exporter.label) if exporter else kind


# The jobs


def start_job(user, kind, file_format, params) -> ExportJob:
    """Record the export as a job, in the active language; `reports.receivers` queues
    `reports.tasks.run_export` for it once the row commits."""
    return ExportJob.objects.create(
        requested_by=user,
        kind=kind,
        file_format=file_format,
        parameters=dict(params),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def claim(job_id, now=None) -> ExportJob | None:
    """Mark the job running for this worker; None when it is not to be written (gone, finished,
    expired, or being written by a live worker)."""
    now = now or timezone.now()
    claimed = (
        ExportJob.objects.filter(pk=job_id, expires_at__gt=now)
        .filter(
            Q(status=ExportStatus.QUEUED)
            | Q(status=ExportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        )
        .update(status=ExportStatus.RUNNING, started_at=now, heartbeat_at=now, rows_done=0)
    )
    if not claimed:
        return None
    return ExportJob.objects.select_related("requested_by").get(pk=job_id)


def counted(rows: Iterable, job: ExportJob, every: int = PROGRESS_EVERY) -> Iterator:
    """`rows`, recording on the job after every `every` rows how many have been written."""
    done = 0
    for done, row in enumerate(rows, start=1):
        yield row
        if done % every == 0:
            ExportJob.objects.filter(pk=job.pk, started_at=job.started_at).update(
                rows_done=done, heartbeat_at=timezone.now()
            )
    job.rows_done = done


def run_job(job_id) -> str | None:
    """Write the job's file if it is still to be written; its status afterwards, or None."""
    job = claim(job_id)
    if job is None:
        return None
    with translation.override(job.language):
        headers, rows, total = prepare(job.requested_by, job.kind, job.parameters)
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
        output = spreadsheet_file(
            job.file_format, headers, counted(rows, job), title=label_of(job.kind)
        )
    with output:
        name = job.file.field.generate_filename(job, job.filename)
        stored = job.file.storage.save(name, File(output), max_length=255)
    now = timezone.now()
    finished = ExportJob.objects.filter(
        pk=job.pk, status=ExportStatus.RUNNING, started_at=job.started_at
    ).update(
        status=ExportStatus.DONE,
        file=stored,
        rows_done=job.rows_done,
        rows_total=job.rows_done,
        finished_at=now,
        heartbeat_at=now,
        expires_at=now + KEEP_FOR,
    )
    if not finished:  # another worker claimed it meanwhile (this one looked dead): theirs wins
        job.file.storage.delete(stored)
        return None
    return ExportStatus.DONE.value


def fail_job(job_id, message) -> None:
    """Mark the job failed with `message`, an untranslated text (`gettext_noop`) that its page
    translates into the reader's language."""
    ExportJob.objects.filter(pk=job_id).exclude(status=ExportStatus.DONE).update(
        status=ExportStatus.FAILED, error=str(message), finished_at=timezone.now()
    )


def release_job(job_id) -> None:
    """Put a job whose attempt failed back in the queue (the task will try again)."""
    ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
        status=ExportStatus.QUEUED, rows_done=0
    )


def purge_expired(now=None) -> int:
    """Delete the expired jobs and their files; how many were deleted.

    A file the storage can't delete now keeps its job until the next run.
    """
    deleted = 0
    for job in ExportJob.objects.expired(now).order_by("pk").iterator():
        if job.file:
            try:
                job.file.storage.delete(job.file.name)
            except Exception:
                logger.warning("Export file %s not deleted, kept for later", job.file.name)
                continue
        job.delete()
        deleted += 1
    return deleted


def stranded_jobs(now=None, grace=datetime.timedelta(minutes=2)):
    """Jobs whose task was lost (the broker was down when queued, or the worker died)."""
    now = now or timezone.now()
    return ExportJob.objects.filter(expires_at__gt=now).filter(
        Q(status=ExportStatus.QUEUED, created_at__lt=now - grace)
        | Q(status=ExportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    )


# The exporters


def _date_param(params, name, label):
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is None:
        raise ExportError(
            _("%(field)s: “%(value)s” is not a date (YYYY-MM-DD).")
            % {"field": label, "value": value[:40]},
            "invalid_date",
        )
    return day


def enrolment_headers():
    return [
        gettext("Session"),
        gettext("Session start (Casablanca)"),
        gettext("Course"),
        gettext("Format"),
        gettext("Mode"),
        gettext("Language"),
        gettext("Venue"),
        gettext("Venue region"),
        gettext("Organising institute"),
        gettext("Status"),
        gettext("Learner's region"),
        gettext("Learner's audience"),
        gettext("Learner's organisation"),
    ]


ENROLMENT_FIELDS = [
    "session_id",
    "session__starts_at",
    "session__course__title",
    "session__course__format",
    "session__mode",
    "session__language",
    "session__institute__title",
    "session__institute__region",
    "session__course__institute__title",
    "status",
    "learner__profile__region",
    "learner__profile__audience",
    "learner__profile__organisation",
]
# Columns holding a choice's value, shown by its label (by position in ENROLMENT_FIELDS).
ENROLMENT_LABELS = {
    3: CourseFormat,
    4: SessionMode,
    5: TEACHING_LANGUAGES,
    7: Region,
    9: EnrolmentStatus,
    10: Region,
    11: LearnerAudience,
}


def _labels(choices):
    pairs = choices.choices if hasattr(choices, "choices") else choices
    return {value: str(label) for value, label in pairs}


@exporter("enrolments", label=_("Enrolments"))
def enrolments_export(user, params):
    """One row per enrolment `user` may see, with the dimensions of the programme's figures
    (session, course, venue, organiser, status, the learner's region, audience and
    organisation) and nothing that names a learner. `starts_after` and `starts_before` (dates,
    in Casablanca) bound the sessions' start.

    Two queries whatever the number of rows: the count, then the rows read in chunks.
    """
    queryset = visible_enrolments(user)
    starts_after = _date_param(params, "starts_after", gettext("Sessions starting from"))
    starts_before = _date_param(params, "starts_before", gettext("Sessions starting until"))
    if starts_after:
        queryset = queryset.filter(session__starts_at__date__gte=starts_after)
    if starts_before:
        queryset = queryset.filter(session__starts_at__date__lte=starts_before)
    total = queryset.count()
    values = queryset.order_by("session__starts_at", "session_id", "pk").values_list(
        *ENROLMENT_FIELDS
    )

    def rows():
        labels = {i: _labels(choices) for i, choices in ENROLMENT_LABELS.items()}
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            row = list(row)
            for i, by_value in labels.items():
                row[i] = by_value.get(row[i], row[i] or "")
            yield row

    return enrolment_headers(), rows(), total
