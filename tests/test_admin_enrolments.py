"""The enrolments area as editors use it: listing, filters, search, CSV and XLSX exports, bulk
actions through the services, promotion by hand, the session roster, the audit history, and the
course page's rules for sessions that have enrolments."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from courses.models import Session
from enrolments.models import Enrolment, EnrolmentStatus, Notification
from enrolments.services.attendance import mark
from enrolments.services.enrolment import enrol
from jazari.time import CASABLANCA
from tests import factories
from tests.accounts import log_in
from tests.shared_data import built_once, fresh
from tests.test_admin_permissions import (
    INDEX,
    build_network,
    csv_rows,
    email_of,
    xlsx_rows,
)

W = EnrolmentStatus


@pytest.fixture(scope="module")
def network_once(django_db_setup, django_db_blocker):
    """The network of `test_admin_permissions`, built once for the module."""
    with built_once(django_db_blocker):
        yield build_network(factories.site_tree())


@pytest.fixture
def network(network_once, db):
    """The module's network, its objects read again for this test."""
    return fresh(network_once)


@pytest.fixture
def en_client(client):
    """A client for the admin; log in with `login_en` to read it in English."""
    return client


def login_en(client, user):
    """Log `user` in (just now, as allauth records it) with English as their admin language, so
    assertions read English text whatever translations exist (the admin otherwise speaks the
    site's default, French)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    log_in(client, user)


def first_names(response):
    return sorted(e.learner_name.split()[0] for e in response.context["object_list"])


def status_of(enrolment):
    enrolment.refresh_from_db()
    return enrolment.status


def messages_of(response):
    """(level tag, plain text) of the messages shown on a followed response."""
    return [
        (m.level_tag, BeautifulSoup(str(m.message), "html.parser").get_text(" ", strip=True))
        for m in response.context["messages"]
    ]


def bulk_url(action, *enrolments, **params):
    query = [("id", e.pk) for e in enrolments] + [("next", INDEX), *params.items()]
    url = reverse("wagtail_bulk_action", args=["enrolments", "enrolment", action])
    return f"{url}?{urlencode(query)}"


# Listing, filters, search


def test_listing_columns(en_client, network):
    """Rows show name, email, course, Casablanca start, status, position in line, enrolment."""
    Session.objects.filter(pk=network.intro.pk).update(
        starts_at=datetime(2030, 4, 15, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 4, 15, 16, 0, tzinfo=UTC),
    )
    login_en(en_client, network.admin)
    response = en_client.get(INDEX)
    assert response.status_code == 200
    assert first_names(response) == sorted(network.enrolments)
    soup = BeautifulSoup(response.content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in soup.select("table thead th")]
    for heading in ("Learner", "Email", "Course", "Session start (Casablanca)", "Status"):
        assert heading in headings
    karim = next(
        row for row in soup.select("table tbody tr") if "Karim Tazi" in row.get_text()
    ).get_text(" ", strip=True)
    for value in (
        email_of("Karim Tazi"),
        "Introduction au machine learning",
        "15/04/2030 09:00",  # 08:00 UTC is 09:00 in Casablanca (UTC+1 outside Ramadan)
        "On the waiting list",
        timezone.localtime(network.enrolments["Karim"].queued_at, CASABLANCA).strftime(
            "%d/%m/%Y %H:%M"
        ),
    ):
        assert value in karim
    positions = {e.learner_name: e.waitlist_place for e in response.context["object_list"]}
    assert positions["Salma Idrissi"] == 1
    assert positions["Karim Tazi"] == 2
    assert positions["Omar Fassi"] == 1
    assert positions["Amina Benali"] is None


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "waitlisted"}, ["Karim", "Omar", "Salma"]),
        ({"course": "llm"}, ["Leila", "Omar"]),
        ({"session": "intro_in_fes"}, ["Nadia"]),
        ({"institute": "fes"}, ["Leila", "Nadia", "Omar"]),  # venue or organiser
        ({"institute": "rabat", "status": "confirmed"}, ["Amina", "Nadia", "Youssef"]),
    ],
)
def test_filters(en_client, network, filters, expected):
    """Filters by course, session, status and institute narrow the listing."""
    ids = {
        "llm": network.llm.course_id,
        "intro_in_fes": network.intro_in_fes.pk,
        "fes": network.fes.pk,
        "rabat": network.rabat.pk,
    }
    query = {name: ids.get(value, value) for name, value in filters.items()}
    login_en(en_client, network.admin)
    response = en_client.get(INDEX, query)
    assert response.status_code == 200
    assert first_names(response) == expected


def test_search_by_name_or_email(en_client, network):
    """Searching finds learners by part of their name or email address."""
    login_en(en_client, network.admin)
    assert first_names(en_client.get(INDEX, {"q": "idris"})) == ["Salma"]
    assert first_names(en_client.get(INDEX, {"q": "omar.fassi@"})) == ["Omar"]
    login_en(en_client, network.rabat_editor)
    assert first_names(en_client.get(INDEX, {"q": "leila"})) == []


def test_listing_queries_do_not_grow_with_rows(en_client, network):
    """The listing runs a fixed number of queries, however many enrolments it shows."""
    login_en(en_client, network.admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert en_client.get(INDEX).status_code == 200
        return len(queries)

    before = count()
    for i in range(5):
        enrol(factories.learner(f"extra{i}@example.com"), network.intro_in_fes.pk)
    assert count() == before


# Exports


def test_csv_export_of_the_filtered_listing(en_client, network):
    """The CSV holds the filtered rows with the listing's columns, times in Casablanca."""
    Session.objects.filter(pk=network.intro.pk).update(
        starts_at=datetime(2030, 4, 15, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 4, 15, 16, 0, tzinfo=UTC),
    )
    login_en(en_client, network.admin)
    response = en_client.get(INDEX, {"export": "csv", "status": "waitlisted"})
    assert response["Content-Disposition"] == 'attachment; filename="enrolments.csv"'
    rows = {row["Learner"]: row for row in csv_rows(response)}
    assert sorted(rows) == ["Karim Tazi", "Omar Fassi", "Salma Idrissi"]
    salma = rows["Salma Idrissi"]
    assert salma["Email"] == email_of("Salma Idrissi")
    assert salma["Course"] == "Introduction au machine learning"
    assert salma["Session start"] == "2030-04-15 09:00"
    assert salma["Status"] == "On the waiting list"
    assert (salma["Position"], rows["Karim Tazi"]["Position"]) == ("1", "2")
    queued = timezone.localtime(network.enrolments["Salma"].queued_at, CASABLANCA)
    assert salma["Enrolled"] == queued.strftime("%Y-%m-%d %H:%M")


def test_csv_headings(en_client, network):
    """The CSV starts with UTF-8's byte order mark, then a line naming the columns."""
    login_en(en_client, network.admin)
    response = en_client.get(INDEX, {"export": "csv"})
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    first_line = content.decode("utf-8-sig").splitlines()[0]
    assert first_line == (
        "Learner,Email,Course,Session start (Casablanca),Status,"
        "Position on the waiting list,Enrolled at (Casablanca)"
    )


def test_xlsx_export(en_client, network):
    """The XLSX opens with openpyxl; dates are real cells in Casablanca's wall-clock time."""
    Session.objects.filter(pk=network.llm.pk).update(
        starts_at=datetime(2030, 4, 15, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 4, 15, 16, 0, tzinfo=UTC),
    )
    login_en(en_client, network.admin)
    response = en_client.get(INDEX, {"export": "xlsx", "course": network.llm.course_id})
    assert "enrolments.xlsx" in response["Content-Disposition"]
    rows = {row["Learner"]: row for row in xlsx_rows(response)}
    assert sorted(rows) == ["Leila Chraibi", "Omar Fassi"]
    assert rows["Omar Fassi"]["Session start"] == datetime(2030, 4, 15, 9, 0)
    assert rows["Omar Fassi"]["Position"] == 1
    assert rows["Leila Chraibi"]["Position"] is None
    assert rows["Leila Chraibi"]["Status"] == "Confirmed"


# Bulk actions


def test_bulk_confirmation_lists_the_selection(en_client, network):
    """The confirmation page names the selected learners before anything changes."""
    login_en(en_client, network.rabat_editor)
    amina, youssef = network.enrolments["Amina"], network.enrolments["Youssef"]
    response = en_client.get(bulk_url("mark_attended", amina, youssef))
    assert response.status_code == 200
    assert "Amina Benali" in response.text and "Youssef Alaoui" in response.text
    assert status_of(amina) == W.CONFIRMED


def test_bulk_mark_attended_reports_done_and_refused(en_client, network):
    """Marking attended goes through the service; a waitlisted learner is refused by name."""
    factories.hold(network.intro)  # attendance is recorded once the session has taken place
    login_en(en_client, network.rabat_editor)
    amina, youssef, salma = (network.enrolments[n] for n in ("Amina", "Youssef", "Salma"))
    response = en_client.post(bulk_url("mark_attended", amina, youssef, salma), follow=True)
    assert response.redirect_chain[-1][0] == INDEX
    assert [status_of(e) for e in (amina, youssef, salma)] == [W.ATTENDED, W.ATTENDED, W.WAITLISTED]
    messages = messages_of(response)
    assert ("success", "2 learners marked present at every meeting so far.") in messages
    [refusal] = [text for level, text in messages if level == "error"]
    assert "1 enrolment was left unchanged" in refusal
    assert "Salma Idrissi" in refusal and "on the waiting list, without a seat" in refusal
    entry = ModelLogEntry.objects.filter(action="jazari.enrolment.attended").get(
        object_id=str(amina.pk)
    )
    assert entry.user == network.rabat_editor


def test_bulk_mark_no_show_and_completed(en_client, network):
    """No-show and completed follow the attendance rules; completed is final."""
    factories.hold(network.intro)  # attendance is recorded once the session has taken place
    login_en(en_client, network.rabat_editor)
    amina, youssef = network.enrolments["Amina"], network.enrolments["Youssef"]
    en_client.post(bulk_url("mark_no_show", amina))
    en_client.post(bulk_url("mark_completed", youssef))
    assert (status_of(amina), status_of(youssef)) == (W.NO_SHOW, W.COMPLETED)
    response = en_client.post(bulk_url("mark_no_show", youssef), follow=True)
    assert status_of(youssef) == W.COMPLETED
    assert any(level == "error" for level, _text in messages_of(response))


def test_bulk_cancel_promotes_the_first_waitlisted(en_client, network):
    """Cancelling by the organisers frees the seat for the first in line, who is told."""
    login_en(en_client, network.rabat_editor)
    amina, salma, karim = (network.enrolments[n] for n in ("Amina", "Salma", "Karim"))
    response = en_client.post(bulk_url("cancel", amina), follow=True)
    assert ("success", "1 enrolment cancelled.") in messages_of(response)
    assert [status_of(e) for e in (amina, salma, karim)] == [
        W.CANCELLED,
        W.CONFIRMED,
        W.WAITLISTED,
    ]
    assert Notification.objects.filter(enrolment=salma, kind="promoted").exists()
    assert Notification.objects.filter(enrolment=amina, kind="cancelled").exists()
    assert ModelLogEntry.objects.get(
        action="jazari.enrolment.cancelled", object_id=str(amina.pk)
    ).user == (network.rabat_editor)


def test_bulk_cancel_refuses_recorded_attendance(en_client, network):
    """An enrolment with attendance recorded can't be cancelled; the editor is told why."""
    factories.hold(network.intro)  # attendance is recorded once the session has taken place
    youssef = network.enrolments["Youssef"]
    mark(youssef.pk, W.ATTENDED, actor=network.admin)
    login_en(en_client, network.rabat_editor)
    response = en_client.post(bulk_url("cancel", youssef), follow=True)
    assert status_of(youssef) == W.ATTENDED
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "Attendance has been recorded for this enrolment" in text


def test_bulk_action_on_all_rows_of_a_filtered_listing(en_client, network):
    """ "Select all" acts on the filtered listing only, within the editor's institutes."""
    factories.hold(network.intro)  # attendance is recorded once the session has taken place
    login_en(en_client, network.rabat_editor)
    url = bulk_url("mark_attended", session=network.intro.pk, status="confirmed")
    en_client.post(url.replace("?", "?id=all&", 1))
    statuses = {n: status_of(e) for n, e in network.enrolments.items()}
    assert statuses["Amina"] == statuses["Youssef"] == W.ATTENDED
    assert statuses["Nadia"] == statuses["Leila"] == W.CONFIRMED
    assert statuses["Salma"] == W.WAITLISTED


def snapshot():
    """Every enrolment's status and the number of emails owed or sent, to show nothing moved."""
    return dict(Enrolment.objects.values_list("pk", "status")), Notification.objects.count()


def refused(client, url, method):
    """The bulk action answered as a refusal: 400, its message, nothing changed, no email."""
    before = snapshot()
    response = getattr(client, method)(url)
    assert response.status_code == 400
    assert snapshot() == before and not mail.outbox
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find(attrs={"role": "alert"}).get_text(" ", strip=True)


BULK_USERS = ["rabat_editor", "admin"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("user", BULK_USERS)
@pytest.mark.parametrize("filters", [{"session": "999999"}, {"status": "bogus"}, {"course": "x"}])
def test_bulk_all_with_an_invalid_filter_selects_nothing(en_client, network, user, method, filters):
    """ "Select all" with an invalid filter value is refused, never widened to all visible."""
    factories.hold(network.intro)  # attendance could be recorded: only the filter stops it
    login_en(en_client, getattr(network, user))
    url = bulk_url("cancel", **filters).replace("?", "?id=all&", 1)
    message = refused(en_client, url, method)
    assert "The listing's filters are not valid, so no enrolment was selected" in message
    assert "Select a valid choice" in message


@pytest.mark.parametrize("method", ["get", "post"])
def test_bulk_all_filtered_by_another_institutes_session_selects_nothing(
    en_client, network, method
):
    """An editor's filter on a session of another institute is invalid for them: refused."""
    login_en(en_client, network.rabat_editor)
    url = bulk_url("cancel", session=network.llm.pk).replace("?", "?id=all&", 1)
    assert "Session: Select a valid choice" in refused(en_client, url, method)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("user", BULK_USERS)
@pytest.mark.parametrize("value", ["²", "٣", "1x", "-1", "", " 1", "9" * 30, "0"])
def test_bulk_with_a_malformed_id_is_a_400(en_client, network, user, method, value):
    """A malformed id (other scripts' digits, signs, too long) is a 400 saying so, not a 500,
    even beside a good id."""
    login_en(en_client, getattr(network, user))
    url = f"{bulk_url('cancel', network.enrolments['Amina'])}&{urlencode({'id': value})}"
    message = refused(en_client, url, method)
    assert f"“{value}” is not an enrolment id, so no enrolment was selected" in message


# Promote by hand, session roster


def promote_url(enrolment):
    return f"{INDEX}{enrolment.pk}/promote/"


def test_promote_needs_a_free_seat(en_client, network):
    """In a full session, promoting by hand is refused: raise the capacity first."""
    login_en(en_client, network.rabat_editor)
    karim = network.enrolments["Karim"]
    page = en_client.get(promote_url(karim))
    assert page.status_code == 200 and "Karim Tazi" in page.text
    response = en_client.post(promote_url(karim), {"next": INDEX}, follow=True)
    assert status_of(karim) == W.WAITLISTED
    assert ("error", "No seat is free: raise the session's capacity first.") in messages_of(
        response
    )


def test_promote_by_hand_ahead_of_the_line(en_client, network):
    """With a seat free, the chosen learner is confirmed ahead of those before them."""
    Session.objects.filter(pk=network.intro.pk).update(capacity=3)  # saved, not yet synced
    karim, salma = network.enrolments["Karim"], network.enrolments["Salma"]
    login_en(en_client, network.rabat_editor)
    response = en_client.post(promote_url(karim), follow=True)
    assert response.redirect_chain[-1][0] == f"{INDEX}sessions/{network.intro.pk}/"
    assert (status_of(karim), status_of(salma)) == (W.CONFIRMED, W.WAITLISTED)
    assert any(level == "success" for level, _ in messages_of(response))
    entry = ModelLogEntry.objects.get(action="jazari.enrolment.promoted", object_id=str(karim.pk))
    assert entry.user == network.rabat_editor


def test_promote_refuses_a_learner_not_waiting(en_client, network):
    """Only waitlisted learners can be promoted."""
    login_en(en_client, network.rabat_editor)
    response = en_client.post(promote_url(network.enrolments["Amina"]), follow=True)
    assert ("error", "This learner is not on the waiting list.") in messages_of(response)


def test_session_roster(en_client, network):
    """The session page shows capacity, seats taken and the waiting list in arrival order."""
    login_en(en_client, network.rabat_editor)
    listing = en_client.get(INDEX, {"session": network.intro.pk})
    roster_url = f"{INDEX}sessions/{network.intro.pk}/"
    assert roster_url in listing.text  # "Session overview" button of the filtered listing
    response = en_client.get(roster_url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    figures = {
        name: soup.select_one(f"[data-{name}]").get_text(strip=True)
        for name in ("capacity", "held", "seats-left", "waiting")
    }
    assert figures == {"capacity": "2", "held": "2", "seats-left": "0", "waiting": "2"}
    waiting = [
        [td.get_text(" ", strip=True) for td in row.select("td")][:2]
        for row in soup.select("[data-waiting-list] tbody tr")
    ]
    assert waiting == [["1", "Salma Idrissi"], ["2", "Karim Tazi"]]
    holders = soup.select_one("[data-seat-holders]").get_text(" ", strip=True)
    assert "Amina Benali" in holders and "Youssef Alaoui" in holders


# Audit history


def test_history_shows_who_did_what_and_when(en_client, network):
    """The history lists the audit entries: who (learner, editor), what and when; marking
    attended records the learner present at the session's meeting."""
    factories.hold(network.intro)  # attendance is recorded once the session has taken place
    amina = network.enrolments["Amina"]
    login_en(en_client, network.rabat_editor)
    en_client.post(bulk_url("mark_attended", amina))
    response = en_client.get(f"{INDEX}{amina.pk}/history/")
    assert response.status_code == 200
    entries = [(entry.action, entry.user) for entry in response.context["object_list"]]
    assert entries == [
        ("jazari.enrolment.attended", network.rabat_editor),
        ("jazari.attendance.present", network.rabat_editor),
        ("jazari.enrolment.confirmed", amina.learner),
    ]
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "Marked attended" in text and "Enrolled, seat confirmed" in text
    assert "Marked present at a meeting" in text
    assert "rabat_editor" in text


def test_details_page(en_client, network):
    """The details page shows the learner, the session and the position in line."""
    login_en(en_client, network.rabat_editor)
    response = en_client.get(f"{INDEX}{network.enrolments['Karim'].pk}/")
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    for value in ("Karim Tazi", email_of("Karim Tazi"), "Jazari Root", "On the waiting list"):
        assert value in text
    assert "Position on the waiting list 2" in text


# The course page: sessions with enrolments


def local(value):
    return timezone.localtime(value, CASABLANCA).strftime("%Y-%m-%d %H:%M")


def course_edit_data(network, **changes):
    """The intro course's edit form as published, with per-session `changes` (by session pk)."""
    sessions = []
    for session in (network.intro, network.intro_in_fes, *changes.pop("extra", ())):
        session.refresh_from_db()
        form = factories.session_form(
            session.institute,
            id=str(session.pk),
            starts_at=local(session.starts_at),
            ends_at=local(session.ends_at),
            capacity=str(session.capacity),
        )
        form.update(changes.get(str(session.pk), {}))
        sessions.append(form)
    data = factories.course_form(network.intro.course.title, network.rabat, sessions=sessions)
    data["sessions-INITIAL_FORMS"] = str(len(sessions))
    data["action-publish"] = "action-publish"
    return data


def edit_url(network):
    return reverse("wagtailadmin_pages:edit", args=[network.intro.course_id])


def test_deleting_a_session_with_enrolments_is_refused(en_client, network):
    """Deleting an enrolled session from the inline is refused with a message, not a 500."""
    login_en(en_client, network.admin)
    data = course_edit_data(network, **{str(network.intro.pk): {"DELETE": "1"}})
    response = en_client.post(edit_url(network), data)
    assert response.status_code == 200
    messages = " ".join(text for _level, text in messages_of(response))
    assert "This session has enrolments: cancel it instead of deleting it." in messages
    assert Session.objects.filter(pk=network.intro.pk).exists()
    assert Enrolment.objects.filter(session=network.intro).count() == 4


def test_deleting_a_session_without_enrolments_still_works(en_client, network):
    """A session nobody enrolled in can still be deleted from the course page."""
    empty = factories.session(network.intro.course, starts_in=timedelta(days=50))
    login_en(en_client, network.admin)
    data = course_edit_data(network, extra=[empty], **{str(empty.pk): {"DELETE": "1"}})
    response = en_client.post(edit_url(network), data)
    assert response.status_code == 302
    assert not Session.objects.filter(pk=empty.pk).exists()


def test_capacity_below_seats_taken_is_refused(en_client, network):
    """The capacity can't go below the seats already taken."""
    login_en(en_client, network.admin)
    data = course_edit_data(network, **{str(network.intro.pk): {"capacity": "1"}})
    response = en_client.post(edit_url(network), data)
    assert response.status_code == 200
    assert "2 seats are taken: the capacity can&#x27;t be lower." in response.text
    network.intro.refresh_from_db()
    assert network.intro.capacity == 2


def test_capacity_increase_on_the_course_page_promotes(
    en_client, network, django_capture_on_commit_callbacks
):
    """Publishing the course with more seats promotes the waiting list in arrival order."""
    login_en(en_client, network.admin)
    data = course_edit_data(network, **{str(network.intro.pk): {"capacity": "3"}})
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(edit_url(network), data)
    assert response.status_code == 302
    salma, karim = network.enrolments["Salma"], network.enrolments["Karim"]
    assert (status_of(salma), status_of(karim)) == (W.CONFIRMED, W.WAITLISTED)
    network.intro.refresh_from_db()
    assert (network.intro.capacity, network.intro.confirmed_count) == (3, 3)
    entry = ModelLogEntry.objects.get(action="jazari.enrolment.promoted", object_id=str(salma.pk))
    assert entry.user == network.admin


def test_deleting_a_course_page_with_enrolments_is_refused(en_client, network):
    """Deleting an enrolled course's page (alone, in bulk, or its parent) is refused, not a 500."""
    login_en(en_client, network.admin)
    course_id = network.intro.course_id
    catalogue_id = network.intro.course.get_parent().pk
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    for url in (
        reverse("wagtailadmin_pages:delete", args=[course_id]),
        reverse("wagtailadmin_pages:delete", args=[catalogue_id]),
        f"{bulk}?id={course_id}&next=/admin/",
    ):
        response = en_client.post(url, follow=True)
        assert response.status_code == 200, url
        [(level, text)] = messages_of(response)
        assert level == "error"
        assert "Learners are enrolled in sessions of Introduction au machine learning" in text
    assert Session.objects.filter(course_id=course_id).count() == 2


def test_deleting_a_course_page_without_enrolments_still_works(en_client, network):
    """A course nobody enrolled in can still be deleted."""
    course = factories.course(factories.site_tree(), "Atelier sans inscrits", network.rabat)
    factories.session(course)
    login_en(en_client, network.admin)
    response = en_client.post(reverse("wagtailadmin_pages:delete", args=[course.pk]))
    assert response.status_code == 302
    assert not Session.objects.filter(course_id=course.pk).exists()


def test_bulk_refusal_speaks_the_editors_language(client, network):
    """The 400 page is in the admin's language (French by default)."""
    client.force_login(network.rabat_editor)
    message = refused(
        client, bulk_url("cancel", session="999999").replace("?", "?id=all&", 1), "get"
    )
    assert "Les filtres de la liste ne sont pas valides" in message
