"""Learning path pages: the courses in order, a learner's progress, following, the admin."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from enrolments.models import Enrolment, EnrolmentStatus
from paths.models import LearningPathPage, PathFollow
from paths.progress import StepStatus, step_status
from skills.models import SkillLevel
from tests import factories


@pytest.fixture
def path(small_network, tree):
    """The seminar, the introduction and the LLM workshop, in that order."""
    net = small_network
    return factories.learning_path(
        tree,
        "IA pour l'administration publique",
        [net["policy"], net["intro"], net["llm"]],
        role="Agent public référent IA",
        notes=["À suivre en premier.", "", "Pour aller plus loin."],
    )


def enrol(learner, session, status):
    return Enrolment.objects.create(session=session, learner=learner, status=status)


def test_step_status_rules():
    """Completed wins; confirmed or attended is in progress; waitlisted or no-show is not."""
    S = EnrolmentStatus
    assert step_status([S.CANCELLED, S.COMPLETED]) == StepStatus.COMPLETED
    assert step_status([S.CONFIRMED]) == StepStatus.IN_PROGRESS
    assert step_status([S.ATTENDED, S.CANCELLED]) == StepStatus.IN_PROGRESS
    assert step_status([S.WAITLISTED, S.NO_SHOW, S.CANCELLED]) == StepStatus.NOT_STARTED
    assert step_status([]) == StepStatus.NOT_STARTED


@pytest.mark.django_db
def test_path_page_lists_courses_in_order_with_sessions_hours_and_skills(client, path):
    """The courses come in the editor's order with their note and next session; the page sums
    the hours and lists each skill at the highest level the path teaches it."""
    response = client.get(path.url)
    assert response.status_code == 200
    html = response.content.decode()
    titles = ["IA pour l&#x27;administration publique", "Introduction au machine learning"]
    titles.append("LLM et langue arabe")
    positions = [html.index(f">{title}</a></h3>") for title in titles]
    assert positions == sorted(positions)
    assert "À suivre en premier." in html and "Pour aller plus loin." in html
    assert "21 heures au total" in html  # three courses of 7 hours
    steps = response.context["path"].steps
    assert [step.course.title for step in steps][1] == "Introduction au machine learning"
    assert steps[0].next_session is None  # the seminar has only a past session
    assert steps[1].next_session.mode == "in_person"  # the soonest of the introduction's two
    skills = {item.skill.slug: item.level for item in response.context["path"].skills}
    assert skills == {
        "apprentissage-supervise": SkillLevel.ADVANCED,
        "traitement-de-larabe": SkillLevel.ADVANCED,
    }
    assert "Connectez-vous pour suivre ce parcours" in html


@pytest.mark.django_db
def test_unpublished_course_is_left_out_of_the_path(client, small_network, path):
    """A course taken down no longer shows among the steps or in the hours."""
    small_network["llm"].unpublish()
    response = client.get(path.url)
    assert [s.course.slug for s in response.context["path"].steps] == [
        "ia-pour-ladministration-publique",
        "introduction-au-machine-learning",
    ]
    assert "LLM et langue arabe" not in response.content.decode()


@pytest.mark.django_db
def test_signed_in_learner_sees_progress_per_course(client, small_network, path):
    """Completed, in progress (confirmed) and not started (waitlisted only), 1 of 3 done."""
    learner = factories.learner()
    enrol(learner, small_network["policy_past"], EnrolmentStatus.COMPLETED)
    enrol(learner, small_network["intro_in_person"], EnrolmentStatus.CONFIRMED)
    enrol(learner, small_network["llm_full"], EnrolmentStatus.WAITLISTED)
    client.force_login(learner)

    response = client.get(path.url)

    view = response.context["path"]
    assert [step.status for step in view.steps] == [
        StepStatus.COMPLETED,
        StepStatus.IN_PROGRESS,
        StepStatus.NOT_STARTED,
    ]
    assert (view.progress.completed, view.progress.total, view.progress.percent) == (1, 3, 33)
    html = response.content.decode()
    assert "Formations terminées : 1 sur 3" in html
    assert 'class="path-step path-step--completed"' in html
    assert ">Suivre ce parcours</button>" in html


@pytest.mark.django_db
def test_follow_and_unfollow(client, path):
    """POST follows (twice is still one follow); `action=unfollow` stops following."""
    learner = factories.learner()
    client.force_login(learner)
    url = path.url + "follow/"

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == path.url
    client.post(url)
    assert PathFollow.objects.filter(learner=learner, path=path).count() == 1
    assert "Ne plus suivre ce parcours" in client.get(path.url).content.decode()

    client.post(url, {"action": "unfollow"})
    assert not PathFollow.objects.filter(learner=learner).exists()


@pytest.mark.django_db
def test_follow_needs_login_post_and_csrf(path):
    """Anonymous posts go to the log-in page, GET is refused, a post without token is 403."""
    anonymous = Client()
    response = anonymous.post(path.url + "follow/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not PathFollow.objects.exists()

    learner = factories.learner()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.get(path.url + "follow/").status_code == 405
    assert strict.post(path.url + "follow/").status_code == 403
    assert not PathFollow.objects.exists()

    page = strict.get(path.url)
    token = page.context["csrf_token"]
    assert strict.post(path.url + "follow/", {"csrfmiddlewaretoken": str(token)}).status_code == 302
    assert PathFollow.objects.filter(learner=learner, path=path).exists()


def _path_page_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_path_page_query_count_does_not_grow_with_the_path(client, tree, small_network):
    """A signed-in learner's path page runs as many queries with 12 courses as with 2."""
    rabat = small_network["rabat"]
    ml = small_network["ml"]
    courses = []
    for number in range(12):
        course = factories.course(
            tree, f"Parcours étape {number}", rabat, skills=[(ml, SkillLevel.FOUNDATION)]
        )
        factories.session(course, starts_in=timedelta(days=5 + number))
        factories.session(course, starts_in=timedelta(days=-20), mode="online")
        courses.append(course)
    short = factories.learning_path(tree, "Parcours court", courses[:2])
    long = factories.learning_path(tree, "Parcours long", courses)
    learner = factories.learner()
    for course in courses:
        enrol(learner, course.sessions.order_by("starts_at").first(), EnrolmentStatus.COMPLETED)
    client.force_login(learner)

    small, large = _path_page_queries(client, short.url), _path_page_queries(client, long.url)

    print(f"\npath page: {small} queries with 2 courses, {large} with 12")
    assert small == large
    assert "Formations terminées : 12 sur 12" in client.get(long.url).content.decode()


@pytest.mark.django_db
def test_paths_index_lists_paths_with_course_count_and_hours(client, path):
    """`/paths/` shows each live path with its number of courses and hours."""
    html = client.get("/paths/").content.decode()
    assert "IA pour l&#x27;administration publique" in html
    assert "3 formations" in html and "21 heures au total" in html


@pytest.mark.django_db
def test_admin_edits_a_path_with_at_least_one_course(client, tree, small_network, path):
    """The admin form needs one course at least, each course once, chosen among courses."""
    from django.contrib.auth import get_user_model
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(admin)
    index = path.get_parent()
    add_url = f"/admin/pages/add/paths/learningpathpage/{index.pk}/"
    edit = client.get(f"/admin/pages/{path.pk}/edit/")
    assert edit.status_code == 200
    assert 'name="path_courses-TOTAL_FORMS" value="3"' in edit.content.decode()
    assert "courses.coursepage" in edit.content.decode()  # the chooser offers courses only

    def form(courses):
        return nested_form_data(
            {
                "title": "Data analyst",
                "slug": "data-analyst",
                "role": "Analyste de données",
                "summary": "Des données aux décisions.",
                "body": "null",
                "path_courses": inline_formset(
                    [{"course": str(c.pk), "note": "", "id": ""} for c in courses], min=1
                ),
                "seo_title": "",
                "search_description": "",
                "go_live_at": "",
                "expire_at": "",
                "action-publish": "publish",
            }
        )

    for courses in ([], [small_network["intro"], small_network["intro"]]):
        refused = client.post(add_url, form(courses))
        assert refused.status_code == 200, courses  # the form again, with its errors
        assert not LearningPathPage.objects.filter(slug="data-analyst").exists()

    client.post(add_url, form([small_network["intro"], small_network["llm"]]))
    created = LearningPathPage.objects.get(slug="data-analyst")
    assert created.live
    assert [e.course_id for e in created.path_courses.all()] == [
        small_network["intro"].pk,
        small_network["llm"].pk,
    ]


def test_paths_sit_under_their_index_under_home():
    """Paths go under `/paths/` only, which goes under the home page only."""
    from home.models import HomePage
    from paths.models import LearningPathIndexPage

    assert LearningPathPage.allowed_parent_page_models() == [LearningPathIndexPage]
    assert LearningPathIndexPage.allowed_parent_page_models() == [HomePage]
    assert LearningPathIndexPage.allowed_subpage_models() == [LearningPathPage]
    assert LearningPathPage.allowed_subpage_models() == []
