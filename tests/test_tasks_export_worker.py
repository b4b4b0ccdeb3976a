"""A real Celery worker against Redis writes a large programme export, once.

As in `test_tasks_celery_worker`, the worker runs in a thread of the test process on a private
`redis-server`; the test's rows are committed (`transaction=True`) for it to see them.
"""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from enrolments.services.enrolment import enrol
from jazari.queuing import queue
from reports.models import ExportJob
from reports.tasks import run_export
from tests import factories
from tests.accounts import log_in

# The worker of the Celery tests, on its own Redis server.
from tests.test_tasks_celery_worker import broker_url, worker  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RUN = "reports.run_export"
BASE = "/admin/programme/exports/"


@pytest.fixture
def admin(db):
    tree = factories.site_tree()
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    session = factories.session(course, starts_in=timedelta(days=10), capacity=10)
    for i in range(5):
        learner = factories.learner(f"learner{i}@example.com", region="souss-massa")
        enrol(learner, session.pk)
    return get_user_model().objects.create_superuser("admin", "admin@jazari.ma", "pw")


def test_worker_writes_a_large_export_once(worker, admin, client, settings):  # noqa: F811
    """Above the threshold the export is a job; the worker writes its file after the commit,
    the job's page offers it, and the task delivered again changes nothing."""
    settings.REPORT_EXPORT_SYNC_ROWS = 3
    log_in(client, admin)
    response = client.post(f"{BASE}start/", {"kind": "enrolments", "file_format": "csv"})
    assert response.status_code == 303
    job = ExportJob.objects.get()

    assert worker.wait_for(RUN) == ["done"]
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("done", 5, 5)
    page = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    link = page.find("a", href=f"{BASE}{job.pk}/download/")
    assert link is not None
    download = client.get(link["href"])
    content = b"".join(download.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    _header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    assert len(rows) == 5

    queue(run_export, job.pk)  # delivered twice (a redelivery, the catch-up…)
    assert worker.wait_for(RUN, count=2) == ["done", None]
    again = ExportJob.objects.get(pk=job.pk)
    assert (again.file.name, again.finished_at) == (job.file.name, job.finished_at)
