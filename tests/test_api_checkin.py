"""Check-in through the API (`POST /api/v1/checkin/`) and the ticket and meetings of
`GET /api/v1/me/enrolments/`.

Called in process through DRF's `APIClient` (see `tests.api_client`); the check-in's rules
themselves are pinned down in `test_service_checkin`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from courses.models import CourseInstructor, Instructor, Meeting, Session
from enrolments.models import Attendance, Enrolment
from enrolments.services.enrolment import enrol
from jazari.errors import Busy
from jazari.time import CASABLANCA
from tests import factories
from tests.api_client import InProcessApi
from tests.shared_data import built_once, fresh

# Noon today in Casablanca: the session's one meeting runs 12:00-13:00 today, so a check-in
# now is on its day whatever the hour the tests run at.
NOON = timezone.localtime(timezone.now(), CASABLANCA).replace(
    hour=12, minute=0, second=0, microsecond=0
)


@dataclass
class Desk:
    today: Session  # Jazari Root's session, one meeting today 12:00-13:00
    later: Session  # the same course in a month, three days 12:00-13:00
    amina: Enrolment  # a seat today
    youssef: Enrolment  # waiting today
    later_seat: Enrolment  # Amina's seat next month
    tokens: dict  # role → token


@pytest.fixture(scope="module")
def desk_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        root = factories.institute(tree, "Jazari Root", is_hub=True)
        fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
        course = factories.course(tree, "Introduction au machine learning", root)
        factories.session(factories.course(tree, "Vision par ordinateur", fes))
        today = factories.session(course, capacity=1)
        today.starts_at, today.ends_at = NOON, NOON + timedelta(hours=1)
        today.save()
        later = factories.session(course)
        later.starts_at = NOON + timedelta(days=30)
        later.ends_at = later.starts_at + timedelta(days=2, hours=1)
        later.save()
        amina = factories.learner("amina@example.com", full_name="Amina Benali")
        youssef = factories.learner("youssef@example.com", full_name="Youssef Alami")
        early = NOON - timedelta(days=3)
        seat = enrol(amina, today.pk, now=early).enrolment
        waiting = enrol(youssef, today.pk, now=early).enrolment
        later_seat = enrol(amina, later.pk).enrolment
        users = {
            "root_editor": factories.learner("editor-root@example.com"),
            "fes_editor": factories.learner("editor-fes@example.com"),
            "trainer": factories.learner("trainer@example.com"),
            "learner": amina,
        }
        users["root_editor"].groups.add(Group.objects.get(pk=root.editors_id))
        users["fes_editor"].groups.add(Group.objects.get(pk=fes.editors_id))
        CourseInstructor.objects.create(
            course=course,
            instructor=Instructor.objects.create(name="Nadia", user=users["trainer"]),
        )
        tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}
        yield Desk(today, later, seat, waiting, later_seat, tokens)


@pytest.fixture
def desk(desk_once, db):
    return fresh(desk_once)


@pytest.fixture
def api():
    return InProcessApi()


def checkin(api, desk, role, body, **kwargs):
    return api.post("checkin/", json=body, token=desk.tokens[role], **kwargs)


def assert_error(response, status, code=None):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    if code is not None:
        assert body["code"] == code
    return body


def test_a_trainer_checks_a_learner_in(api, desk):
    """200 with the learner's name, the session, the meeting and the time, in Casablanca's
    time with its offset; the attendance is recorded by check-in."""
    meeting = Meeting.objects.get(session=desk.today)
    typed = desk.amina.ticket.lower()
    response = checkin(api, desk, "trainer", {"ticket": typed, "session": desk.today.pk})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["learner"] == "Amina Benali"
    assert body["session"] == {
        "id": desk.today.pk,
        "course": "Introduction au machine learning",
        "starts_at": NOON.isoformat(),
    }
    assert body["meeting"] == {
        "id": meeting.pk,
        "starts_at": NOON.isoformat(),
        "ends_at": (NOON + timedelta(hours=1)).isoformat(),
    }
    checked_in_at = datetime.fromisoformat(body["checked_in_at"])
    assert checked_in_at.utcoffset() == NOON.utcoffset()
    assert abs(checked_in_at - timezone.now()) < timedelta(minutes=1)
    attendance = Attendance.objects.get(enrolment=desk.amina)
    assert attendance.method == "check_in" and attendance.present


def test_the_institutes_editor_checks_in_without_naming_the_session(api, desk):
    """The session is optional: the ticket names it."""
    response = checkin(api, desk, "root_editor", {"ticket": desk.amina.ticket})
    assert response.status_code == 200, response.text
    assert response.json()["session"]["id"] == desk.today.pk


def test_refusals_are_409_with_the_reason(api, desk):
    """Twice ("already checked in at HH:MM"), another session, not today, waitlisted: 409
    with `detail` and `code`; nothing recorded but the first."""
    first = checkin(api, desk, "trainer", {"ticket": desk.amina.ticket})
    assert first.status_code == 200
    at = datetime.fromisoformat(first.json()["checked_in_at"]).strftime("%H:%M")
    again = assert_error(
        checkin(
            api, desk, "trainer", {"ticket": desk.amina.ticket}, headers={"Accept-Language": "en"}
        ),
        409,
        "already_checked_in",
    )
    assert at in again["detail"]
    other = {"ticket": desk.amina.ticket, "session": desk.later.pk}
    assert_error(checkin(api, desk, "trainer", other), 409, "other_session")
    assert_error(
        checkin(api, desk, "trainer", {"ticket": desk.later_seat.ticket}), 409, "not_today"
    )
    assert_error(checkin(api, desk, "trainer", {"ticket": desk.youssef.ticket}), 409, "not_in_seat")
    assert Attendance.objects.count() == 1


def test_other_institutes_staff_and_learners_get_403(api, desk):
    """Fès's editor and a learner are refused, and nothing is recorded."""
    for role in ("fes_editor", "learner"):
        body = assert_error(
            checkin(api, desk, role, {"ticket": desk.amina.ticket}), 403, "not_allowed"
        )
        assert "Amina" not in body["detail"]
    assert not Attendance.objects.exists()


def test_an_unknown_code_is_404(api, desk):
    assert_error(checkin(api, desk, "trainer", {"ticket": "ABCDE-FGHJK"}), 404, "unknown_ticket")
    assert_error(checkin(api, desk, "trainer", {"ticket": "???"}), 404, "unknown_ticket")


def test_malformed_bodies_are_400_and_no_token_is_401(api, desk):
    """No ticket, a ticket that is not text or too long, a session that is not an id, a list:
    400 naming the field; without a token, 401."""
    for body in (
        {},
        {"ticket": ""},
        {"ticket": None},
        {"ticket": {"code": "x"}},
        {"ticket": "A" * 65},
        {"ticket": desk.amina.ticket, "session": "x"},
        {"ticket": desk.amina.ticket, "session": 0},
        {"ticket": desk.amina.ticket, "session": 2**64},
        [desk.amina.ticket],
    ):
        assert_error(checkin(api, desk, "trainer", body), 400)
    assert_error(
        checkin(
            api, desk, "trainer", None, data="ticket=x", headers={"Content-Type": "text/plain"}
        ),
        415,
    )
    assert_error(api.post("checkin/", json={"ticket": desk.amina.ticket}), 401)
    assert_error(api.get("checkin/", token=desk.tokens["trainer"]), 405)
    assert not Attendance.objects.exists()


def test_a_busy_session_is_503_with_retry_after(api, desk):
    """A lock not had in time: 503 saying to try again, nothing recorded."""
    with mock.patch("enrolments.services.checkin.lock_session", side_effect=Busy()):
        response = checkin(api, desk, "trainer", {"ticket": desk.amina.ticket})
    assert_error(response, 503, "busy")
    assert response.headers["Retry-After"]
    assert not Attendance.objects.exists()


# The learner's side: the ticket and the meetings


def test_my_enrolments_carry_the_ticket_once_seated_and_the_meetings(api, desk):
    """A seat: its code; the waiting list: null; every item lists its session's meetings in
    order, ISO 8601 with the offset."""
    mine = api.my_enrolments(desk.tokens["learner"])["results"]
    by_id = {item["id"]: item for item in mine}
    assert by_id[desk.amina.pk]["ticket"] == desk.amina.ticket
    later = by_id[desk.later_seat.pk]
    assert [m["id"] for m in later["meetings"]] == list(
        Meeting.objects.filter(session=desk.later)
        .order_by("starts_at")
        .values_list("pk", flat=True)
    )
    assert len(later["meetings"]) == 3
    first = Meeting.objects.filter(session=desk.later).order_by("starts_at").first()
    assert later["meetings"][0] == {
        "id": first.pk,
        "starts_at": timezone.localtime(first.starts_at, CASABLANCA).isoformat(),
        "ends_at": timezone.localtime(first.ends_at, CASABLANCA).isoformat(),
    }
    youssef = Token.objects.create(user=desk.youssef.learner).key
    [waiting] = api.my_enrolments(youssef)["results"]
    assert waiting["status"] == "waitlisted" and waiting["ticket"] is None
    assert len(waiting["meetings"]) == 1


def test_my_enrolments_cost_a_fixed_number_of_queries(api, desk):
    """One enrolment or ten, each with its meetings: the same number of queries."""
    learner = desk.amina.learner
    token = desk.tokens["learner"]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = api.get("me/enrolments/", token=token)
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    api.get("me/enrolments/", token=token)  # warm Wagtail's cached site root paths
    before, count = queries()
    course = desk.today.course
    for day in range(40, 48):
        enrol(learner, factories.session(course, starts_in=timedelta(days=day), hours=30).pk)
    after, more = queries()
    assert (count, more) == (2, 10)
    assert before == after
