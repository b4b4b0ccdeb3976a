"""The learner dashboard: skills portfolio, followed paths with progress, suggested sessions."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate
from courses.models import CourseSkill
from enrolments.models import Enrolment, EnrolmentStatus
from learners.portfolio import gained_levels, skills_portfolio
from paths.models import PathFollow
from paths.progress import followed_paths, suggested_sessions
from skills.models import SkillLevel
from tests import factories

S = EnrolmentStatus


def enrol(learner, session, status):
    return Enrolment.objects.create(session=session, learner=learner, status=status)


def certificate(enrolment, code, **fields):
    session = enrolment.session
    return Certificate.objects.create(
        enrolment=enrolment,
        code=code,
        language="fr",
        holder_name="Amina",
        course_title=session.course.title,
        institute_name="Jazari Root",
        starts_on=session.starts_at.date(),
        ends_on=session.ends_at.date(),
        minutes=session.course.duration_hours * 60,
        **fields,
    )


@pytest.fixture
def completed(small_network):
    """Amina completed the introduction (supervised learning, foundation; data culture,
    awareness) and the LLM workshop (both skills, advanced); the workshop has a certificate."""
    net = small_network
    data = factories.skill("Culture des données", category="Données")
    CourseSkill.objects.create(course=net["intro"], skill=data, level=SkillLevel.AWARENESS)
    learner = factories.learner()
    intro_past = factories.session(net["intro"], starts_in=timedelta(days=-60))
    llm_past = factories.session(net["llm"], starts_in=timedelta(days=-20), mode="online")
    intro_done = enrol(learner, intro_past, S.COMPLETED)
    llm_done = enrol(learner, llm_past, S.COMPLETED)
    enrol(learner, net["policy_past"], S.NO_SHOW)
    return {"learner": learner, "data": data, "intro_done": intro_done, "llm_done": llm_done, **net}


@pytest.mark.django_db
def test_portfolio_keeps_the_highest_level_and_its_certificate(completed):
    """Each skill once, at the highest level of the completed courses, with the certificate of
    the enrolment behind that level; a skill whose certificate is not issued has none."""
    certificate(completed["llm_done"], "JZ-LLM-0001")
    certificate(completed["intro_done"], "JZ-OLD-0001", revoked_at=timezone.now())

    portfolio = {item.skill.slug: item for item in skills_portfolio(completed["learner"])}

    assert set(portfolio) == {
        "apprentissage-supervise",
        "traitement-de-larabe",
        "culture-des-donnees",
    }
    ml = portfolio["apprentissage-supervise"]
    assert (ml.level, ml.level_label, ml.certificate_code) == (
        4,
        SkillLevel.ADVANCED.label,
        "JZ-LLM-0001",
    )
    assert ml.course.pk == completed["llm"].pk
    data = portfolio["culture-des-donnees"]
    assert (data.level, data.certificate_code) == (SkillLevel.AWARENESS, None)  # revoked
    assert gained_levels(portfolio.values())[completed["nlp"].pk] == SkillLevel.ADVANCED


@pytest.mark.django_db
def test_portfolio_costs_two_queries(completed, django_assert_num_queries):
    """Two queries, however many courses and skills."""
    certificate(completed["llm_done"], "JZ-LLM-0002")
    with django_assert_num_queries(2):
        assert len(skills_portfolio(completed["learner"])) == 3


@pytest.mark.django_db
def test_only_completed_enrolments_count(small_network):
    """Attended, confirmed or no-show enrolments gain nothing."""
    learner = factories.learner()
    enrol(learner, small_network["intro_in_person"], S.CONFIRMED)
    enrol(learner, small_network["policy_past"], S.ATTENDED)
    assert skills_portfolio(learner) == []


@pytest.mark.django_db
def test_dashboard_shows_portfolio_with_certificate_link(client, completed):
    """The dashboard lists the skills with level labels, a PDF link or "being issued"."""
    certificate(completed["llm_done"], "JZ-LLM-0003")
    client.force_login(completed["learner"])
    html = client.get("/dashboard/").content.decode()
    assert "Mes compétences" in html
    assert 'href="/certificates/JZ-LLM-0003/pdf/"' in html
    assert "Certificat en cours d'émission" in html
    assert "Traitement de l&#x27;arabe" in html


def certificates_section(html):
    soup = BeautifulSoup(html, "html.parser")
    return soup.find(id="certificates-title").find_parent("section")


@pytest.mark.django_db
def test_dashboard_lists_every_certificate_once(client, completed):
    """Each certificate once, with a course without skills too: valid ones with their PDF and
    verification links, a revoked one marked revoked without its PDF."""
    policy_done = enrol(
        completed["learner"],
        factories.session(completed["policy"], starts_in=timedelta(days=-10)),
        S.COMPLETED,
    )
    certificate(completed["llm_done"], "JZ-LLM-0004", revoked_at=timezone.now())
    valid = [
        certificate(completed["llm_done"], "JZ-LLM-0005"),
        certificate(completed["intro_done"], "JZ-INT-0001"),
        certificate(policy_done, "JZ-POL-0001"),
    ]
    client.force_login(completed["learner"])
    html = client.get("/dashboard/").content.decode()
    section = certificates_section(html)

    items = section.select("li.certificate-item")
    assert [item["id"] for item in items] == [
        "certificate-JZ-POL-0001",
        "certificate-JZ-INT-0001",
        "certificate-JZ-LLM-0005",
        "certificate-JZ-LLM-0004",
    ]
    for item in valid:
        entry = section.find(id=f"certificate-{item.code}")
        assert item.course_title in entry.get_text()
        hrefs = [a["href"] for a in entry.find_all("a")]
        assert hrefs == [f"/certificates/{item.code}/pdf/", f"/certificates/{item.code}/"]
    revoked = section.find(id="certificate-JZ-LLM-0004")
    assert "certificate-item--revoked" in revoked["class"]
    assert "Révoqué" in revoked.get_text()
    assert [a["href"] for a in revoked.find_all("a")] == ["/certificates/JZ-LLM-0004/"]
    assert html.count("/certificates/JZ-POL-0001/pdf/") == 1  # its course teaches no skill


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_certificates(client, completed):
    """One certificate or four: the dashboard makes the same number of queries."""
    certificate(completed["llm_done"], "JZ-LLM-0006")
    client.force_login(completed["learner"])

    def dashboard_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/").status_code == 200
        return len(queries)

    dashboard_queries()  # caches warmed (site root paths, language)
    one = dashboard_queries()
    certificate(completed["llm_done"], "JZ-LLM-0007", revoked_at=timezone.now())
    certificate(completed["intro_done"], "JZ-INT-0002")
    certificate(completed["intro_done"], "JZ-INT-0003", revoked_at=timezone.now())
    assert dashboard_queries() == one
    assert len(certificates_section(client.get("/dashboard/").content).select("li")) == 4


@pytest.fixture
def suggestion_setup(tree, small_network):
    """A followed path: X (a skill already gained higher), Y (the same skill, higher), Z (a
    new skill, one session the learner is waitlisted in), W (a new skill, soonest session)."""
    net = small_network
    rabat, ml, nlp = net["rabat"], net["ml"], net["nlp"]
    data = factories.skill("Ingénierie des données", category="Données")
    learner = factories.learner()
    gained_from = factories.course(
        tree, "Déjà suivie", rabat, skills=[(ml, SkillLevel.INTERMEDIATE)]
    )
    enrol(learner, factories.session(gained_from, starts_in=timedelta(days=-40)), S.COMPLETED)

    def course(title, skill, level):
        return factories.course(tree, title, rabat, skills=[(skill, level)])

    x = course("Étape X", ml, SkillLevel.FOUNDATION)
    y = course("Étape Y", ml, SkillLevel.ADVANCED)
    z = course("Étape Z", nlp, SkillLevel.FOUNDATION)
    w = course("Étape W", data, SkillLevel.INTERMEDIATE)
    now = timezone.now()
    sessions = {
        "x_open": factories.session(x, starts_in=timedelta(days=3)),
        "y_open": factories.session(y, starts_in=timedelta(days=10)),
        "y_full_waitlist": factories.session(
            y, starts_in=timedelta(days=15), capacity=2, confirmed_count=2
        ),
        "y_full_no_waitlist": factories.session(
            y, starts_in=timedelta(days=16), capacity=2, confirmed_count=2, waitlist_enabled=False
        ),
        "y_past": factories.session(y, starts_in=timedelta(days=-5)),
        "y_closed": factories.session(
            y, starts_in=timedelta(days=20), enrolment_closes_at=now - timedelta(days=1)
        ),
        "y_not_open": factories.session(
            y, starts_in=timedelta(days=30), enrolment_opens_at=now + timedelta(days=5)
        ),
        "y_cancelled": factories.session(y, starts_in=timedelta(days=12), status="cancelled"),
        "z_waitlisted": factories.session(z, starts_in=timedelta(days=4)),
        "z_open": factories.session(z, starts_in=timedelta(days=25)),
        "w_open": factories.session(w, starts_in=timedelta(days=2)),
    }
    enrol(learner, sessions["z_waitlisted"], S.WAITLISTED)
    path = factories.learning_path(tree, "Parcours suivi", [x, y, z, w])
    unfollowed = course("Hors parcours", data, SkillLevel.EXPERT)
    factories.session(unfollowed, starts_in=timedelta(days=1))
    factories.learning_path(tree, "Parcours non suivi", [unfollowed])
    PathFollow.objects.create(learner=learner, path=path)
    return {"learner": learner, "path": path, **sessions}


@pytest.mark.django_db
def test_suggestions_follow_path_order_and_leave_out_what_does_not_fit(suggestion_setup):
    """Sessions of the followed path only, by path order then date; no course teaching only
    skills already gained at that level, no session past, closed, not yet open, cancelled, full
    without waiting list, or already enrolled in."""
    learner = suggestion_setup["learner"]
    followed = followed_paths(learner)
    gained = gained_levels(skills_portfolio(learner))

    sessions = suggested_sessions(learner, followed, gained, timezone.now())

    assert [s.pk for s in sessions] == [
        suggestion_setup[name].pk for name in ("y_open", "y_full_waitlist", "z_open", "w_open")
    ]
    assert len(suggested_sessions(learner, followed, gained, timezone.now(), limit=2)) == 2


@pytest.mark.django_db
def test_course_in_progress_or_completed_is_not_suggested(suggestion_setup):
    """Once the learner holds a seat in Y, none of Y's sessions is suggested."""
    learner = suggestion_setup["learner"]
    enrol(learner, suggestion_setup["y_open"], S.CONFIRMED)
    followed = followed_paths(learner)
    sessions = suggested_sessions(learner, followed, {}, timezone.now())
    assert suggestion_setup["y_full_waitlist"].pk not in [s.pk for s in sessions]
    assert followed[0].progress.total == 4 and followed[0].progress.completed == 0


@pytest.mark.django_db
def test_dashboard_lists_followed_paths_and_suggestions(client, suggestion_setup):
    """The dashboard shows the followed path with its progress and the suggested sessions."""
    client.force_login(suggestion_setup["learner"])
    response = client.get("/dashboard/")
    html = response.content.decode()
    assert "Mes parcours d'apprentissage" in html and "Parcours suivi" in html
    assert "Formations terminées : 0 sur 4" in html
    assert "Suggestions pour mes parcours d'apprentissage" in html
    assert f"#session-{suggestion_setup['w_open'].pk}" in html
    assert len(response.context["suggestions"]) == 4
