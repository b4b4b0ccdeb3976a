"""A session whose lock is held too long: every entry point says "busy", none answers 500.

Another PostgreSQL connection holds the session's row (`SELECT … FOR UPDATE`) while a learner
enrols through the page, the API, or an editor acts in the admin. `lock_session` gives up after
the connection's `lock_timeout` (shortened here so the tests are quick) and raises `Busy`: the
page answers a 503 page with the message, the API a JSON 503 with `Retry-After`, the admin a
message; nothing is changed, and trying again works.
"""

import contextlib
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from courses.models import Session
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services.enrolment import enrol
from enrolments.services.locking import lock_session
from jazari.errors import Busy
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def session(tree):
    rabat = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", rabat)
    return factories.session(course, starts_in=timedelta(days=10), capacity=5)


@pytest.fixture
def short_lock_timeout():
    """This connection waits 300 ms for a lock instead of the configured 5 s."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


def busy_message(language):
    with translation.override(language):
        return str(Busy().message)


@contextlib.contextmanager
def session_locked_elsewhere(session):
    """Another connection holds the session's row until the block ends."""
    other = connections.create_connection("default")
    other.set_autocommit(False)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Session._meta.db_table} WHERE id = %s FOR UPDATE", [session.pk]
            )
        yield
    finally:
        other.rollback()
        other.close()


def test_the_enrol_page_answers_503_with_a_message_and_nothing_changes(
    client, session, short_lock_timeout
):
    """`POST /sessions/<id>/enrol/` while the session is locked: a 503 page saying why."""
    learner = factories.learner()
    client.force_login(learner)
    url = reverse("learners:enrol", args=[session.pk])
    with session_locked_elsewhere(session):
        busy = client.post(url, HTTP_REFERER=f"http://testserver{session.course.url}")
    assert busy.status_code == 503
    assert busy["Retry-After"] == "1"
    assert busy_message("fr") in busy.content.decode()
    assert session.course.url in busy.content.decode()  # a link back to the course page
    assert not Enrolment.objects.exists()
    assert client.post(url).status_code == 302
    assert Enrolment.objects.get().status == EnrolmentStatus.CONFIRMED


def test_the_api_answers_503_with_retry_after(session, short_lock_timeout):
    """`POST /api/v1/sessions/{id}/enrol/`: JSON 503, code `busy`, `Retry-After`."""
    learner = factories.learner()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {Token.objects.create(user=learner).key}")
    with session_locked_elsewhere(session):
        busy = api.post(f"/api/v1/sessions/{session.pk}/enrol/")
    assert busy.status_code == 503
    assert busy["Retry-After"] == "1"
    assert busy.json()["code"] == "busy" and busy.json()["detail"]
    assert not Enrolment.objects.exists()
    assert api.post(f"/api/v1/sessions/{session.pk}/enrol/").status_code == 201


def test_an_admin_bulk_action_reports_the_busy_session_and_changes_nothing(
    client, session, short_lock_timeout
):
    """Cancelling in the admin while the session is locked: a message, the enrolment stays."""
    enrolment = enrol(factories.learner(), session.pk).enrolment
    admin = get_user_model().objects.create_superuser("admin", "admin@jazari.ma", "pw")
    client.force_login(admin)
    url = reverse("wagtail_bulk_action", args=["enrolments", "enrolment", "cancel"])
    url = f"{url}?{urlencode({'id': enrolment.pk})}"
    with session_locked_elsewhere(session):
        response = client.post(url)
    assert response.status_code == 302
    texts = [str(message.message) for message in get_messages(response.wsgi_request)]
    assert any(busy_message("fr") in text for text in texts), texts
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CONFIRMED


def test_lock_session_refuses_to_run_outside_a_transaction(session):
    """Outside `transaction.atomic()` the lock would end at once: it is a programming error."""
    with pytest.raises(transaction.TransactionManagementError):
        lock_session(session.pk)
    with transaction.atomic():
        assert lock_session(session.pk).pk == session.pk
