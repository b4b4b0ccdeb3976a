"""Attendance per meeting and completion in the admin: the session overview's grid and forms,
the completions to confirm (overview and admin home), the bulk actions' wording, and the course
form keeping the meetings at which attendance was recorded."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Meeting, Session
from enrolments.models import Attendance, AttendanceMethod, Enrolment
from enrolments.services.attendance import record
from enrolments.services.enrolment import enrol
from institutes.models import InstitutePage
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from jazari.time import CASABLANCA, in_casablanca
from learners.admin.dashboard import CompletionsDuePanel
from tests import factories
from tests.shared_data import built_once, fresh
from tests.test_admin_enrolments import bulk_url, login_en, messages_of
from tests.test_admin_permissions import editors_group, staff

INDEX = "/admin/enrolments/"


def day(offset: int) -> date:
    return timezone.localtime(timezone.now(), CASABLANCA).date() + timedelta(days=offset)


def at(offset: int, hour: int, minute: int = 0) -> datetime:
    return in_casablanca(datetime.combine(day(offset), time(hour, minute)))


def schedule(*offsets) -> str:
    """Meetings from 09:00 to 12:00 on the days `offsets` from today (Casablanca)."""
    return "\n".join(f"{day(offset):%d/%m/%Y} 09:00-12:00" for offset in offsets)


@dataclass
class Data:
    rabat: InstitutePage
    bootcamp: Session  # three meetings: the day before yesterday, yesterday, tomorrow
    ended: Session  # two meetings, last week: Hiba and Jamal meet the rule, Ilyas doesn't
    people: dict  # first name → Enrolment
    admin: object
    rabat_editor: object
    fes_editor: object
    manager: object


def held_session(course, offsets, capacity=10):
    session = factories.session(course, capacity=capacity)
    session.schedule = schedule(*offsets)
    session.starts_at, session.ends_at = at(offsets[0], 9), at(offsets[-1], 12)
    session.save()  # its meetings follow the schedule
    return session


def build():
    tree = factories.site_tree()
    rabat = factories.institute(tree, "Jazari Root", is_hub=True)
    fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
    course = factories.course(tree, "Bootcamp data", rabat, format="bootcamp")
    workshop = factories.course(tree, "Atelier IA", rabat, format="workshop")
    bootcamp = held_session(course, (-2, -1, 1))
    ended = held_session(workshop, (-5, -4))
    people = {}
    for session, names in (
        (bootcamp, ("Amina", "Bilal", "Chaima")),
        (ended, ("Hiba", "Ilyas", "Jamal")),
    ):
        for name in names:
            learner = factories.learner(f"{name.lower()}@example.com", full_name=f"{name} Test")
            people[name] = enrol(learner, session.pk, now=at(-10, 9)).enrolment
    rabat_editor = staff("rabat_editor", editors_group("Jazari Root editors", rabat))
    rabat_editor.first_name = "Rachid"
    rabat_editor.save()
    first, second = Meeting.objects.filter(session=ended).order_by("starts_at")
    for name, presence in (
        ("Hiba", (True, True)),
        ("Ilyas", (True, False)),
        ("Jamal", (True, True)),
    ):
        for meeting, present in zip((first, second), presence, strict=True):
            record(people[name].pk, meeting.pk, present, actor=rabat_editor, now=at(-4, 13))
    return Data(
        rabat=rabat,
        bootcamp=bootcamp,
        ended=ended,
        people=people,
        admin=get_user_model().objects.create_superuser("admin", "admin@jazari.ma", "pw"),
        rabat_editor=rabat_editor,
        fes_editor=staff("fes_editor", editors_group("Jazari Fès editors", fes)),
        manager=staff("manager", Group.objects.get(name=PROGRAMME_MANAGERS_GROUP)),
    )


@pytest.fixture(scope="module")
def data_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build()


@pytest.fixture
def data(data_once, db):
    return fresh(data_once)


def meetings_of(session):
    return list(Meeting.objects.filter(session=session).order_by("starts_at"))


def overview_url(session):
    return f"{INDEX}sessions/{session.pk}/"


def attendance_url(session, meeting):
    return f"{INDEX}sessions/{session.pk}/meetings/{meeting.pk}/attendance/"


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def section(soup, meeting):
    return soup.select_one(f"[data-meeting='{meeting.pk}']")


def rows(section_soup):
    """{learner: (state, cells' text)} of a meeting's table."""
    result = {}
    for row in section_soup.select("[data-attendance] tbody tr"):
        cells = [" ".join(td.get_text(" ").split()) for td in row.select("td")]
        result[cells[0].split()[0]] = (row["data-state"], cells[1:])
    return result


def status(enrolment):
    return Enrolment.objects.values_list("status", flat=True).get(pk=enrolment.pk)


# The session overview: meetings and attendance


def test_overview_shows_each_meetings_attendance_and_its_form(client, data):
    """Three meetings with their dates; the first's check-in time and who recorded what; the
    two started have a form with a row per seat holder, tomorrow's says why it has none; each
    links its sign-in sheet; the page links the participant list and the session's feedback."""
    first, second, third = meetings_of(data.bootcamp)
    amina, bilal = data.people["Amina"], data.people["Bilal"]
    record(amina.pk, first.pk, True, actor=None, method="check_in", now=at(-2, 8, 52))
    record(bilal.pk, first.pk, False, actor=data.rabat_editor, now=at(-2, 10))
    login_en(client, data.rabat_editor)
    response = client.get(overview_url(data.bootcamp))
    assert response.status_code == 200
    soup = soup_of(response)
    links = {a.get_text(strip=True): a["href"] for a in soup.select("a.button")}
    participants = f"/en/dashboard/teaching/sessions/{data.bootcamp.pk}/"  # the admin's language
    assert links["Participant list and check-in"] == participants
    assert links["Learners' feedback"] == f"/admin/feedback/sessions/{data.bootcamp.pk}/"
    headings = [h.get_text(" ", strip=True) for h in soup.select("[data-meeting] h3")]
    assert headings == [
        f"Meeting 1 of 3: {day(-2):%d/%m/%Y} 09:00–12:00",
        f"Meeting 2 of 3: {day(-1):%d/%m/%Y} 09:00–12:00",
        f"Meeting 3 of 3: {day(1):%d/%m/%Y} 09:00–12:00",
    ]
    monday = rows(section(soup, first))
    assert monday["Amina"][0] == "present" and monday["Amina"][1][1] == "08:52"
    assert "(Check-in)" in monday["Amina"][1][2]
    assert monday["Bilal"][0] == "absent" and monday["Bilal"][1][2] == "Rachid (Participant list)"
    assert monday["Chaima"] == ("", ["Present Absent", "—", "—"])
    for meeting in (first, second):
        form = section(soup, meeting).find("form")
        assert form["action"] == attendance_url(data.bootcamp, meeting)
        assert len(form.select("input[type=radio]")) == 6  # present and absent, 3 learners
    assert (
        section(soup, first).select_one(f"input[name=enrolment-{amina.pk}][value=present]")[
            "checked"
        ]
        is not None
    )
    tomorrow = section(soup, third)
    assert tomorrow.find("form") is None and not tomorrow.select("input")
    assert "once the meeting has started" in tomorrow.select_one("[data-closed]").get_text()
    for meeting in (first, second, third):
        sheet = section(soup, meeting).select_one("[data-sign-in-sheet]")["href"]
        assert sheet.endswith(
            f"/dashboard/teaching/sessions/{data.bootcamp.pk}/meetings/{meeting.pk}/sign-in-sheet.pdf"
        )
    present = {
        row.select("td")[0].get_text(strip=True): row.select_one("[data-present-count]").text
        for row in soup.select("[data-seat-holders] tbody tr")
    }
    assert present == {"Amina Test": "1 / 3", "Bilal Test": "0 / 3", "Chaima Test": "0 / 3"}


def test_the_form_records_the_whole_meeting_through_the_service(client, data):
    """Posting yesterday's form records each learner present or absent, by way of the admin
    and by the editor; their enrolments follow."""
    _first, second, _third = meetings_of(data.bootcamp)
    people = data.people
    login_en(client, data.rabat_editor)
    response = client.post(
        attendance_url(data.bootcamp, second),
        {
            f"enrolment-{people['Amina'].pk}": "present",
            f"was-{people['Amina'].pk}": "",
            f"enrolment-{people['Bilal'].pk}": "absent",
            f"was-{people['Bilal'].pk}": "",
            f"was-{people['Chaima'].pk}": "",  # left unanswered: nothing recorded
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{overview_url(data.bootcamp)}#meeting-{second.pk}"
    assert ("success", f"Meeting of {day(-1):%d/%m/%Y} 09:00–12:00: 2 changes recorded.") in (
        messages_of(response)
    )
    recorded = {
        a.enrolment_id: (a.present, a.method, a.recorded_by)
        for a in Attendance.objects.filter(meeting=second)
    }
    assert recorded == {
        people["Amina"].pk: (True, AttendanceMethod.ADMIN, data.rabat_editor),
        people["Bilal"].pk: (False, AttendanceMethod.ADMIN, data.rabat_editor),
    }
    assert [status(people[n]) for n in ("Amina", "Bilal", "Chaima")] == [
        "attended",
        "no_show",
        "confirmed",
    ]


def test_a_form_loaded_before_a_check_in_does_not_undo_it(client, data):
    """Only rows the editor changed are recorded: Amina, absent when the form was loaded and
    checked in since, stays present."""
    first = meetings_of(data.bootcamp)[0]
    amina = data.people["Amina"]
    record(amina.pk, first.pk, False, actor=data.rabat_editor, now=at(-2, 9, 30))
    record(amina.pk, first.pk, True, actor=None, method="check_in", now=at(-2, 9, 40))
    login_en(client, data.rabat_editor)
    response = client.post(
        attendance_url(data.bootcamp, first),
        {f"enrolment-{amina.pk}": "absent", f"was-{amina.pk}": "absent"},
        follow=True,
    )
    assert ("info", "Nothing was changed.") in messages_of(response)
    assert Attendance.objects.get(enrolment=amina, meeting=first).present is True


def test_refusals_are_shown_by_name(client, data):
    """A meeting that has not started refuses each learner, by name and why; nothing changes.
    Another session's learner in the form is ignored."""
    third = meetings_of(data.bootcamp)[2]
    amina, hiba = data.people["Amina"], data.people["Hiba"]
    login_en(client, data.rabat_editor)
    response = client.post(
        attendance_url(data.bootcamp, third),
        {f"enrolment-{amina.pk}": "present", f"enrolment-{hiba.pk}": "absent"},
        follow=True,
    )
    [(level, text)] = messages_of(response)
    assert level == "error" and "1 learner was left unchanged" in text
    assert "Amina Test: Attendance can't be recorded before the meeting starts." in text
    assert not Attendance.objects.filter(meeting=third).exists()
    assert Attendance.objects.filter(enrolment=hiba).count() == 2  # untouched


def test_programme_managers_read_the_grid_and_act_on_nothing(client, data):
    """A manager sees the meetings and who was present, without forms, sheets or the
    completion button; posting is refused."""
    first = meetings_of(data.bootcamp)[0]
    amina = data.people["Amina"]
    record(amina.pk, first.pk, True, actor=data.rabat_editor, now=at(-2, 10))
    login_en(client, data.manager)
    soup = soup_of(client.get(overview_url(data.bootcamp)))
    assert rows(section(soup, first))["Amina"][0] == "present"
    assert not soup.select("[data-meeting] form, [data-sign-in-sheet], [data-closed]")
    ended = soup_of(client.get(overview_url(data.ended)))
    assert ended.select("[data-proposals] li") and not ended.select("[data-complete]")
    posted = client.post(attendance_url(data.bootcamp, first), {f"enrolment-{amina.pk}": "absent"})
    assert posted.status_code in (302, 403) and posted.get("Location", "/admin/") == "/admin/"
    assert client.post(f"{INDEX}sessions/{data.ended.pk}/complete/").status_code in (302, 403)
    assert Attendance.objects.get(enrolment=amina, meeting=first).present is True
    assert status(data.people["Hiba"]) == "attended"


def test_another_institutes_editor_gets_nothing(client, data):
    """Fès's editor: the overview, the form and the completion are 404."""
    first = meetings_of(data.bootcamp)[0]
    login_en(client, data.fes_editor)
    assert client.get(overview_url(data.bootcamp)).status_code == 404
    amina = data.people["Amina"]
    response = client.post(
        attendance_url(data.bootcamp, first), {f"enrolment-{amina.pk}": "present"}
    )
    assert response.status_code == 404
    assert client.post(f"{INDEX}sessions/{data.ended.pk}/complete/").status_code == 404
    assert not Attendance.objects.filter(meeting=first).exists()


def test_a_meeting_of_another_session_is_not_found(client, data):
    """The meeting in the URL must be the session's."""
    login_en(client, data.rabat_editor)
    other = meetings_of(data.ended)[0]
    assert client.post(attendance_url(data.bootcamp, other), {}).status_code == 404
    assert (
        client.get(attendance_url(data.bootcamp, meetings_of(data.bootcamp)[0])).status_code == 405
    )


def overview_queries(client, session):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(overview_url(session)).status_code == 200
    return len(queries)


def test_the_overview_costs_a_fixed_number_of_queries(client, data):
    """More learners, more attendance recorded: the same number of queries."""
    login_en(client, data.rabat_editor)
    before = overview_queries(client, data.bootcamp)
    first, second, _third = meetings_of(data.bootcamp)
    for number in range(4):
        learner = factories.learner(f"more{number}@example.com")
        enrolment = enrol(learner, data.bootcamp.pk, now=at(-10, 9)).enrolment
        record(
            enrolment.pk, first.pk, True, actor=data.rabat_editor, method="check_in", now=at(-2, 8)
        )
        record(enrolment.pk, second.pk, False, actor=data.rabat_editor, now=at(-1, 10))
    assert overview_queries(client, data.bootcamp) == before


# Completion


def test_the_overview_proposes_completions_once_the_session_has_ended(client, data):
    """The ended workshop proposes Hiba and Jamal (2 of 2), not Ilyas (1 of 2); the running
    bootcamp proposes nobody yet and says when it will."""
    login_en(client, data.rabat_editor)
    soup = soup_of(client.get(overview_url(data.ended)))
    proposals = [li.get_text(" ", strip=True) for li in soup.select("[data-proposals] li")]
    assert proposals == ["Hiba Test (2 / 2)", "Jamal Test (2 / 2)"]
    assert soup.select_one("[data-complete]").get_text(" ", strip=True) == "Complete 2 learners"
    running = soup_of(client.get(overview_url(data.bootcamp)))
    assert running.select_one("[data-completion-pending]") and not running.select("[data-complete]")


def test_one_button_completes_the_proposed_learners(client, data):
    """Posting the button completes Hiba and Jamal at once; the overview then proposes nobody."""
    login_en(client, data.rabat_editor)
    response = client.post(f"{INDEX}sessions/{data.ended.pk}/complete/", follow=True)
    assert ("success", "2 learners completed the session.") in messages_of(response)
    assert [status(data.people[n]) for n in ("Hiba", "Ilyas", "Jamal")] == [
        "completed",
        "attended",
        "completed",
    ]
    assert soup_of(response).select_one("[data-no-proposals]")


def test_completing_a_running_session_is_refused(client, data):
    """Before the end the button isn't there, and posting anyway says why."""
    login_en(client, data.rabat_editor)
    first = meetings_of(data.bootcamp)[0]
    record(data.people["Amina"].pk, first.pk, True, actor=None, now=at(-2, 10))
    response = client.post(f"{INDEX}sessions/{data.bootcamp.pk}/complete/", follow=True)
    assert ("error", "An enrolment can't be completed before the session ends.") in messages_of(
        response
    )
    assert status(data.people["Amina"]) == "attended"


def home_rows(client, user):
    login_en(client, user)
    soup = soup_of(client.get("/admin/"))
    table = soup.find("table", attrs={"data-panel": "completions_due"})
    return (
        None
        if table is None
        else [" ".join(r.get_text(" ").split()) for r in table.select("tbody tr")]
    )


def test_the_admin_home_lists_completions_to_confirm(client, data):
    """Rabat's editor and the manager see the workshop with 2 learners to complete; Fès's
    editor has no such panel; once completed it leaves the panel."""
    [row] = home_rows(client, data.rabat_editor)
    assert "Atelier IA" in row and "2 learners to complete" in row
    assert home_rows(client, data.manager) == [row]
    assert home_rows(client, data.fes_editor) is None
    login_en(client, data.rabat_editor)
    client.post(f"{INDEX}sessions/{data.ended.pk}/complete/")
    assert home_rows(client, data.rabat_editor) is None


def test_the_completions_panel_costs_a_fixed_number_of_queries(data):
    """More ended sessions with proposals: the panel's queries stay the same."""
    panel = CompletionsDuePanel(data.rabat_editor)
    with CaptureQueriesContext(connection) as before:
        panel.render_html({})
    for number in range(3):
        session = held_session(data.ended.course, (-8 - number,))
        learner = factories.learner(f"extra{number}@example.com")
        enrolment = enrol(learner, session.pk, now=at(-20, 9)).enrolment
        record(enrolment.pk, meetings_of(session)[0].pk, True, actor=None, now=at(-1, 9))
    with CaptureQueriesContext(connection) as after:
        html = panel.render_html({})
    assert len(after) == len(before) <= 2
    assert html.count("data-proposals") == 4


# The bulk actions


@pytest.mark.parametrize(
    ("action", "label", "note"),
    [
        (
            "mark_attended",
            "Mark present at every meeting so far",
            "recorded present at every meeting",
        ),
        ("mark_no_show", "Mark absent at every meeting so far", "recorded absent at every meeting"),
    ],
)
def test_bulk_attendance_says_it_means_every_meeting_so_far(client, data, action, label, note):
    """The confirmation page names the action and says what it records."""
    login_en(client, data.rabat_editor)
    response = client.get(bulk_url(action, data.people["Amina"]))
    text = " ".join(soup_of(response).get_text(" ").split())
    assert label in text and note in text and "Meetings still to come are left" in text


def test_bulk_present_reports_per_meeting(client, data):
    """ "Present at every meeting so far" records the two started meetings, not tomorrow's."""
    login_en(client, data.rabat_editor)
    amina = data.people["Amina"]
    response = client.post(bulk_url("mark_attended", amina), follow=True)
    assert ("success", "1 learner marked present at every meeting so far.") in messages_of(response)
    days = sorted(
        timezone.localtime(a.meeting.starts_at, CASABLANCA).date()
        for a in Attendance.objects.filter(enrolment=amina, present=True)
    )
    assert days == [day(-2), day(-1)]


# The course form keeps the meetings with attendance


def local(value):
    return timezone.localtime(value, CASABLANCA).strftime("%Y-%m-%d %H:%M")


def edit(client, data, **session_fields):
    session = data.bootcamp
    form = factories.session_form(
        session.institute,
        id=str(session.pk),
        starts_at=local(session.starts_at),
        ends_at=local(session.ends_at),
        capacity=str(session.capacity),
        schedule=session.schedule,
    )
    form.update(session_fields)
    post = factories.course_form(session.course.title, data.rabat, sessions=[form])
    post["sessions-INITIAL_FORMS"] = "1"
    post["action-publish"] = "action-publish"
    login_en(client, data.admin)
    return client.post(reverse("wagtailadmin_pages:edit", args=[session.course_id]), post)


def test_the_course_form_refuses_to_drop_a_meeting_with_attendance(client, data):
    """A schedule without yesterday's meeting, at which Amina was present, is refused on the
    schedule field; the same meeting at a later end is accepted, and kept."""
    _first, second, _third = meetings_of(data.bootcamp)
    record(data.people["Amina"].pk, second.pk, True, actor=None, now=at(-1, 10))
    response = edit(client, data, schedule=schedule(-2, 1))
    assert response.status_code == 200
    errors = " ".join(
        e.get_text(" ", strip=True)
        for e in soup_of(response).select(".error-message, .w-field__errors")
    )
    assert f"Attendance was recorded at the meeting of {day(-1):%d/%m/%Y} 09:00" in errors
    assert [m.pk for m in meetings_of(data.bootcamp)][1] == second.pk
    later = schedule(-2, 1).replace("\n", f"\n{day(-1):%d/%m/%Y} 09:00-12:30\n")
    response = edit(client, data, schedule=later)
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.ends_at, len(meetings_of(data.bootcamp))) == (at(-1, 12, 30), 3)


def test_the_course_form_refuses_new_dates_that_drop_it(client, data):
    """With an empty schedule (one meeting a day), moving the session a week later would drop
    the day before yesterday's meeting, where Bilal was absent: refused."""
    first = meetings_of(data.bootcamp)[0]
    record(data.people["Bilal"].pk, first.pk, False, actor=None, now=at(-2, 10))
    response = edit(
        client,
        data,
        schedule="",
        starts_at=local(at(5, 9)),
        ends_at=local(at(7, 12)),
    )
    assert response.status_code == 200
    assert "Attendance was recorded at the meeting of" in response.content.decode()
    assert Meeting.objects.filter(pk=first.pk).exists()
    assert Session.objects.get(pk=data.bootcamp.pk).starts_at == at(-2, 9)
