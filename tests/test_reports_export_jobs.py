"""The programme's exports: what the enrolments export holds, the threshold between a download
at once and a background job, the job's progress and file, and who may see them."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from enrolments.services.enrolment import enrol
from reports import exports
from reports.models import ExportJob, ExportStatus
from reports.tasks import purge_export_jobs, requeue_export_jobs, run_export
from tests import factories
from tests.accounts import log_in
from tests.s3 import moto_server, s3  # noqa: F401
from tests.shared_data import built_once, fresh
from tests.test_admin_permissions import editors_group, is_refused

BASE = "/admin/programme/exports/"
START = f"{BASE}start/"
ARABIC = "أمينة بنعلي"
# name, email, session key, learner's region, audience, organisation
LEARNERS = [
    (ARABIC, "amina@example.com", "intro", "souss-massa", "student", "Université Ibn Zohr"),
    ("Youssef Alaoui", "youssef@example.com", "intro", "oriental", "public_servant", "=cmd()"),
    ("Salma Idrissi", "salma@example.com", "intro_online", "", "", ""),
    ("Leila Chraibi", "leila@example.com", "llm", "fes-meknes", "researcher", "USMBA"),
]


@pytest.fixture(scope="module")
def network_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        rabat = factories.institute(tree, "Jazari Root", is_hub=True)
        fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
        intro = factories.course(tree, "Introduction au machine learning", rabat)
        llm = factories.course(tree, "LLM et langue arabe", fes, format="workshop")
        sessions = {
            "intro": factories.session(intro, starts_in=timedelta(days=10), capacity=10),
            "intro_online": factories.session(
                intro, starts_in=timedelta(days=20), mode="online", language="ar"
            ),
            "llm": factories.session(llm, starts_in=timedelta(days=30), institute=fes),
        }
        for name, email, key, region, audience, organisation in LEARNERS:
            learner = factories.learner(
                email, full_name=name, region=region, audience=audience, organisation=organisation
            )
            enrol(learner, sessions[key].pk)
        users = {
            "rabat": factories.learner("rabat-editor@jazari.ma"),
            "rabat2": factories.learner("rabat-second@jazari.ma"),
            "fes": factories.learner("fes-editor@jazari.ma"),
            "no_permission": factories.learner("page-editor@jazari.ma"),
            "admin": get_user_model().objects.create_superuser("admin", "admin@jazari.ma", "pw"),
        }
        rabat_group = editors_group("Jazari Root editors", rabat)
        users["rabat"].groups.add(rabat_group)
        users["rabat2"].groups.add(rabat_group)
        users["fes"].groups.add(editors_group("Jazari Fès editors", fes))
        pages_only = Group.objects.create(name="Page editors")
        pages_only.permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )
        users["no_permission"].groups.add(pages_only)
        for user in users.values():
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = "en"
            profile.save()
        yield users


@pytest.fixture
def users(network_once, db):
    return fresh(network_once)


def logged_in(client, user, **kwargs):
    log_in(client, user, **kwargs)
    return client


def csv_table(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def job_for(user, **fields):
    fields.setdefault("kind", "enrolments")
    fields.setdefault("file_format", "csv")
    fields.setdefault("language", "en")
    return ExportJob.objects.create(requested_by=user, **fields)


# What the enrolments export holds


def test_enrolments_export_has_the_dimensions_and_no_names(users):
    """One row per enrolment the editor may see, with the report's dimensions, labels in the
    active language, and neither names nor email addresses."""
    with translation.override("en"):
        headers, rows, total = exports.prepare(users["rabat"], "enrolments", {})
        rows = list(rows)
    assert total == len(rows) == 3  # Rabat's two sessions, not Fès's
    assert headers[:3] == ["Session", "Session start (Casablanca)", "Course"]
    by_region = {row[10]: row for row in rows}
    amina = by_region["Souss-Massa"]
    assert amina[2:10] == [
        "Introduction au machine learning",
        "Course",
        "In person",
        "Français",  # languages are named in themselves
        "Jazari Root",
        "Rabat-Sale-Kenitra",
        "Jazari Root",
        "Confirmed",
    ]
    assert amina[11:] == ["Student", "Université Ibn Zohr"]
    online = by_region[""]
    assert online[4:8] == ["Online", "العربية", None, ""]  # no venue online (an empty cell)
    cells = " ".join(str(cell) for row in rows for cell in row)
    for name, email, *_rest in LEARNERS:
        assert name not in cells and email not in cells


def test_enrolments_export_reads_in_a_fixed_number_of_queries(users):
    """The count, then the rows in one query, whatever their number."""
    with CaptureQueriesContext(connection) as queries:
        _headers, rows, _total = exports.prepare(users["admin"], "enrolments", {})
        assert len(list(rows)) == 4
    assert len(queries) == 2


def test_enrolments_export_by_session_start(users):
    """`starts_after` and `starts_before` bound the sessions' start date."""
    today = timezone.localdate()
    params = {
        "starts_after": str(today + timedelta(days=15)),
        "starts_before": str(today + timedelta(days=25)),
    }
    with translation.override("en"):
        _headers, rows, total = exports.prepare(users["admin"], "enrolments", params)
        assert total == 1 and [row[4] for row in rows] == ["Online"]


def test_bad_parameters_are_refused_with_a_message(users):
    """A date that can't be read, or an unknown export, is an ExportError saying why."""
    with pytest.raises(exports.ExportError) as error:
        exports.prepare(users["admin"], "enrolments", {"starts_after": "2026-13-45"})
    assert "2026-13-45" in str(error.value.message)
    with pytest.raises(exports.ExportError):
        exports.prepare(users["admin"], "payroll", {})


# Small exports: downloaded at once


def test_small_export_is_downloaded_at_once(client, users, settings):
    """At most REPORT_EXPORT_SYNC_ROWS rows: the XLSX comes back in the answer, no job."""
    settings.REPORT_EXPORT_SYNC_ROWS = 3
    response = logged_in(client, users["rabat"]).post(
        START, {"kind": "enrolments", "file_format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="enrolments-')
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    header, *rows = sheet.iter_rows()
    assert len(rows) == 3
    organisations = {row[12].value: row[12] for row in rows}
    assert organisations["=cmd()"].data_type == "s" and organisations["=cmd()"].quotePrefix
    assert "Université Ibn Zohr" in organisations
    assert not ExportJob.objects.exists()


def test_small_csv_export(client, users):
    """The CSV has the BOM and neutralised cells."""
    response = logged_in(client, users["rabat"]).post(
        START, {"kind": "enrolments", "file_format": "csv"}
    )
    header, *rows = csv_table(body(response))
    assert header[0] == "Session" and len(rows) == 3
    assert "'=cmd()" in [row[12] for row in rows]


def test_invalid_form_is_a_400_with_the_reason(client, users):
    """Unknown format, unreadable or inverted dates: 400 and the form saying why."""
    client = logged_in(client, users["rabat"])
    response = client.post(START, {"kind": "enrolments", "file_format": "ods"})
    assert response.status_code == 400
    response = client.post(
        START, {"kind": "enrolments", "starts_after": "2030-05-01", "starts_before": "2030-04-01"}
    )
    assert response.status_code == 400
    assert "must not be after" in BeautifulSoup(response.content, "html.parser").get_text()
    assert not ExportJob.objects.exists()


# Large exports: a job, its progress, its file


def test_large_export_becomes_a_job_written_after_commit(
    client, users, settings, django_capture_on_commit_callbacks
):
    """Above the threshold: a job, queued once it commits (run inline here), and a redirect to
    its page, which offers the file once written."""
    settings.REPORT_EXPORT_SYNC_ROWS = 2
    client = logged_in(client, users["rabat"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(START, {"kind": "enrolments", "file_format": "csv"})
    job = ExportJob.objects.get()
    assert response.status_code == 303 and response["Location"] == f"{BASE}{job.pk}/"
    assert (job.status, job.requested_by, job.language) == ("queued", users["rabat"], "en")
    assert len(callbacks) == 1  # nothing queued before the commit
    callbacks[0]()

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("done", 3, 3)
    assert job.file.name.startswith(f"private/exports/{job.token}/enrolments-")
    assert job.expires_at > timezone.now() + timedelta(days=6)

    page = client.get(f"{BASE}{job.pk}/")
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("meta", attrs={"http-equiv": "refresh"}) is None
    assert "Ready: 3 rows." in soup.get_text(" ", strip=True)
    link = soup.find("a", href=f"{BASE}{job.pk}/download/")
    assert link is not None

    download = client.get(link["href"])
    assert download.status_code == 200
    header, *rows = csv_table(body(download))
    assert len(rows) == 3 and header[9] == "Status"


def test_progress_page_reloads_itself_and_shows_rows(client, users):
    """While the job runs its page says how many rows are written and reloads itself."""
    job = job_for(users["rabat"], status=ExportStatus.RUNNING, rows_done=1500, rows_total=6000)
    page = logged_in(client, users["rabat"]).get(f"{BASE}{job.pk}/")
    soup = BeautifulSoup(page.content, "html.parser")
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None and refresh["content"] == "3"
    assert "1500 of 6000 rows" in soup.get_text(" ", strip=True)
    assert soup.find("progress")["value"] == "25"
    assert soup.find("a", href=f"{BASE}{job.pk}/download/") is None
    assert client.get(f"{BASE}{job.pk}/download/").status_code == 404


def test_progress_is_recorded_every_n_rows(users):
    """`counted` writes how many rows are done after every N rows, as they are written."""
    job = exports.claim(job_for(users["rabat"]).pk)
    rows = exports.counted(iter(range(5)), job, every=2)
    done = []
    for _row in rows:
        done.append(ExportJob.objects.get(pk=job.pk).rows_done)
    assert done == [0, 0, 2, 2, 4]
    assert job.rows_done == 5


def test_a_job_runs_once_however_often_its_task_is_delivered(users):
    """A second run of a written job does nothing; a job being written by a live worker is
    left to it; one whose worker went silent is taken over."""
    job = job_for(users["rabat"])
    assert run_export.apply(args=[job.pk]).get() == "done"
    job.refresh_from_db()
    first_file = job.file.name
    assert run_export.apply(args=[job.pk]).get() is None
    job.refresh_from_db()
    assert (job.status, job.file.name) == ("done", first_file)

    running = job_for(users["rabat"], status="running", heartbeat_at=timezone.now())
    assert exports.claim(running.pk) is None
    ExportJob.objects.filter(pk=running.pk).update(
        heartbeat_at=timezone.now() - exports.STALE_AFTER - timedelta(minutes=1)
    )
    assert run_export.apply(args=[running.pk]).get() == "done"


def test_a_failed_job_says_so(client, users):
    """A job that can't be written is marked failed, with a message on its page."""
    job = job_for(users["rabat"], kind="retired-kind")
    assert run_export.apply(args=[job.pk]).get() is None
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    page = logged_in(client, users["rabat"]).get(f"{BASE}{job.pk}/")
    assert "could not be written" in page.content.decode()
    assert (
        BeautifulSoup(page.content, "html.parser").find("meta", {"http-equiv": "refresh"}) is None
    )


def test_stranded_jobs_are_queued_again(users):
    """A job left queued by a broker outage is queued again by the periodic task."""
    job = job_for(users["rabat"], created_at=timezone.now() - timedelta(minutes=10))
    recent = job_for(users["rabat"])
    assert requeue_export_jobs.apply().get() == 1
    job.refresh_from_db()
    recent.refresh_from_db()
    assert (job.status, recent.status) == ("done", "queued")


def test_expired_jobs_and_their_files_are_purged(users):
    """Past `expires_at` the job and its file are deleted; the others stay."""
    expired = job_for(users["rabat"], status="done")
    expired.file.save("old.csv", ContentFile(b"x"), save=False)
    ExportJob.objects.filter(pk=expired.pk).update(
        file=expired.file.name, expires_at=timezone.now() - timedelta(minutes=1)
    )
    kept = job_for(users["rabat"])
    assert default_storage.exists(expired.file.name)
    assert purge_export_jobs.apply().get() == 1
    assert not default_storage.exists(expired.file.name)
    assert list(ExportJob.objects.all()) == [kept]


# Who may see what


def test_a_job_is_only_for_whoever_asked_and_administrators(client, users):
    """Another editor, even of the same institute, gets a 404 for the job and its file;
    an administrator gets both."""
    job = job_for(users["rabat"])
    run_export.apply(args=[job.pk])
    for name in ("rabat2", "fes"):
        other = logged_in(client, users[name])
        assert other.get(f"{BASE}{job.pk}/").status_code == 404
        assert other.get(f"{BASE}{job.pk}/download/").status_code == 404
    admin = logged_in(client, users["admin"])
    assert admin.get(f"{BASE}{job.pk}/").status_code == 200
    assert admin.get(f"{BASE}{job.pk}/download/").status_code == 200
    assert client.get(f"{BASE}{job.pk + 1000}/").status_code == 404


def test_staff_without_the_learners_permission_are_refused(client, users):
    """The exports need the permission that opens the Enrolments area (Wagtail refuses with a
    redirect to the dashboard)."""
    job = job_for(users["no_permission"])
    client = logged_in(client, users["no_permission"])
    assert is_refused(client.get(BASE))
    assert is_refused(client.post(START, {"kind": "enrolments", "file_format": "csv"}))
    assert is_refused(client.get(f"{BASE}{job.pk}/"))
    assert is_refused(client.get(f"{BASE}{job.pk}/download/"))
    assert ExportJob.objects.count() == 1


def test_start_and_download_need_a_recent_log_in(client, users):
    """An hour after logging in, exporting or downloading asks to confirm it's you first."""
    job = job_for(users["rabat"])
    run_export.apply(args=[job.pk])
    client = logged_in(client, users["rabat"], seconds_ago=3600)
    for response in (
        client.post(START, {"kind": "enrolments", "file_format": "csv"}),
        client.get(f"{BASE}{job.pk}/download/"),
    ):
        assert response.status_code == 302 and "/reauthenticate/" in response["Location"]
    assert client.get(f"{BASE}{job.pk}/").status_code == 200  # the progress shows no data
    assert ExportJob.objects.count() == 1


def test_start_is_post_only(client, users):
    """GET on the start URL is refused; the form is on the exports page, with the CSRF token."""
    client = logged_in(client, users["rabat"])
    assert client.get(START).status_code == 405
    page = client.get(BASE)
    soup = BeautifulSoup(page.content, "html.parser")
    form = soup.find("form", action=START)
    assert form["method"] == "post" and form.find("input", {"name": "csrfmiddlewaretoken"})


def test_export_file_on_object_storage_is_private(client, users, s3):  # noqa: F811
    """On S3 the file is a private object under private/exports/, handed over by a
    presigned redirect that expires within five minutes."""
    job = job_for(users["rabat"])
    run_export.apply(args=[job.pk])
    job.refresh_from_db()
    [key] = s3.keys()
    assert key == job.file.name and key.startswith(f"private/exports/{job.token}/")
    grants = s3.acl_grants(key)
    assert all("AllUsers" not in str(grant.get("Grantee", {})) for grant in grants)
    assert s3.read(key).startswith(b"\xef\xbb\xbf")
    response = logged_in(client, users["rabat"]).get(f"{BASE}{job.pk}/download/")
    assert response.status_code == 302
    assert "X-Amz-Expires=300" in response["Location"]


def test_exports_page_lists_only_the_users_own_jobs(client, users):
    """The exports page lists the jobs the user asked for, not their colleagues'."""
    mine = job_for(users["rabat"])
    theirs = job_for(users["rabat2"])
    page = logged_in(client, users["rabat"]).get(BASE)
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("a", href=f"{BASE}{mine.pk}/") is not None
    assert soup.find("a", href=f"{BASE}{theirs.pk}/") is None


def test_the_programme_pages_dates_carry_over_to_the_export_form(client, users):
    """The Programme page links here with its filters: the form starts with its dates."""
    page = logged_in(client, users["rabat"]).get(
        f"{BASE}?starts_after=2026-01-01&starts_before=2026-06-30&by=region"
    )
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("input", attrs={"name": "starts_after"})["value"] == "2026-01-01"
    assert soup.find("input", attrs={"name": "starts_before"})["value"] == "2026-06-30"


def test_beat_runs_the_catch_up_and_the_purge(settings):
    """Celery beat queues again the stranded jobs and purges the expired ones."""
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {requeue_export_jobs.name, purge_export_jobs.name} <= scheduled


def test_a_deleted_jobs_file_goes_with_it(users, django_capture_on_commit_callbacks):
    """When a job goes another way (its requester's account deleted), its file goes too."""
    job = job_for(users["rabat2"])
    run_export.apply(args=[job.pk])
    job.refresh_from_db()
    assert default_storage.exists(job.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        users["rabat2"].delete()
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(job.file.name)


def test_start_without_the_csrf_token_is_refused(users):
    """A cross-site form can't start an export for a logged-in editor."""
    client = logged_in(Client(enforce_csrf_checks=True), users["rabat"])
    response = client.post(START, {"kind": "enrolments", "file_format": "csv"})
    assert response.status_code == 403
    assert not ExportJob.objects.exists()
