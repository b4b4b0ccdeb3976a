"""The feedback form behind the emailed link (no log-in), the dashboard's link to it and the
course page's scores, shown from five answers."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.utils import timezone

from enrolments.models import Enrolment
from feedback import extensions, links
from feedback.models import Feedback
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(tree):
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    return factories.course(tree, "Introduction au machine learning", root)


@pytest.fixture
def held(course):
    """A session that ended yesterday."""
    return factories.hold(factories.session(course), ended_ago=timedelta(days=1))


def attendee(session, email="amina@example.com", status="attended"):
    learner = factories.learner(email)
    return Enrolment.objects.create(session=session, learner=learner, status=status)


@pytest.fixture
def enrolment(held):
    return attendee(held)


def form_url(enrolment, language="fr"):
    return links.feedback_path(enrolment.pk, language)


def page(response):
    return BeautifulSoup(response.content, "html.parser")


ANSWER = {"rating": "4", "useful": "Les notebooks", "improve": "", "would_recommend": "yes"}


def test_the_link_opens_the_form_without_log_in(client, enrolment):
    """The course, the session, five rating buttons in a fieldset with its legend, two texts,
    yes or no; kept out of caches and search engines."""
    response = client.get(form_url(enrolment))
    assert response.status_code == 200
    html = page(response)
    assert html.h1.get_text(strip=True) == "Introduction au machine learning"
    form = html.select_one("form.feedback-form")
    assert form["method"] == "post"
    fieldsets = form.select("fieldset")
    assert len(fieldsets) == 2 and all(fieldset.legend for fieldset in fieldsets)
    ratings = fieldsets[0].select('input[type="radio"][name="rating"]')
    assert [radio["value"] for radio in ratings] == ["1", "2", "3", "4", "5"]
    assert all(form.select_one(f'label[for="{radio["id"]}"]') for radio in ratings)
    assert [r["value"] for r in fieldsets[1].select('input[name="would_recommend"]')] == [
        "yes",
        "no",
    ]
    assert form.select_one('textarea[name="useful"]') and form.select_one(
        'textarea[name="improve"]'
    )
    assert html.select_one('meta[name="robots"]')["content"] == "noindex"
    assert response["X-Robots-Tag"] == "noindex"
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert "amina" not in response.content.decode().lower()  # no name or address shown


def test_posting_saves_and_thanks_and_posting_again_changes_the_one_answer(client, enrolment):
    """The first answer is saved and thanked for; the same link later changes it."""
    response = client.post(form_url(enrolment, "en"), ANSWER)
    assert response.status_code == 200
    assert "Thank you: your feedback is saved." in response.content.decode()
    saved = Feedback.objects.get(enrolment=enrolment)
    assert (saved.rating, saved.useful, saved.would_recommend) == (4, "Les notebooks", True)

    again = client.get(form_url(enrolment, "en"))
    checked = page(again).select_one('input[name="rating"][checked]')
    assert checked["value"] == "4"  # the answer as given, to change
    response = client.post(
        form_url(enrolment, "en"), {**ANSWER, "rating": "2", "would_recommend": "no"}
    )
    assert "your changes are saved" in response.content.decode()
    [saved] = Feedback.objects.all()
    assert (saved.rating, saved.would_recommend) == (2, False)


@pytest.mark.parametrize(
    "data",
    [
        {"useful": "Très concret", "would_recommend": "yes"},
        {"rating": "9", "useful": "Très concret", "would_recommend": "yes"},
        {"rating": "trois", "useful": "Très concret", "would_recommend": "yes"},
        {"rating": "3", "useful": "Très concret"},
        {"rating": "3", "useful": "Très concret", "would_recommend": "peut-être"},
        {"rating": "3", "useful": "Très concret" + "x" * 3000, "would_recommend": "yes"},
    ],
)
def test_bad_input_answers_400_with_messages_and_keeps_what_was_typed(client, enrolment, data):
    """Missing or out-of-range answers: 400, the messages, the text as typed; nothing saved."""
    response = client.post(form_url(enrolment), data)
    assert response.status_code == 400
    html = page(response)
    assert html.select_one("#form-errors[role=alert]")
    assert html.select(".field__error")
    assert html.select_one('textarea[name="useful"]').get_text().strip().startswith("Très concret")
    assert not Feedback.objects.exists()


def test_a_changed_or_junk_link_is_refused_with_400(client, enrolment):
    """One character changed, another salt, junk: 400 saying the link is not valid, never 500."""
    token = links.token_for(enrolment.pk)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    other = signing.dumps({"e": enrolment.pk}, salt="learners.account-deletion")
    for bad in (tampered, other, "not-a-token", "x" * 300, "%00"):
        for method in (client.get, client.post):
            response = method(f"/feedback/{bad}/", ANSWER)
            assert response.status_code == 400, (bad, response.status_code)
            assert page(response).select_one('[data-code="bad_link"]')
            assert "no-store" in response["Cache-Control"]
    assert not Feedback.objects.exists()


def test_an_expired_link_says_so(client, enrolment, monkeypatch):
    """Made 31 days ago: 400, "expired", with the way to the dashboard."""
    made = timezone.now().timestamp() - 31 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: made)
    token = links.token_for(enrolment.pk)
    monkeypatch.undo()
    response = client.get(f"/en/feedback/{token}/")
    assert response.status_code == 400
    assert page(response).select_one('[data-code="expired_link"]')
    assert "expired" in response.content.decode()


@pytest.mark.parametrize("status", ["no_show", "confirmed", "cancelled", "waitlisted"])
def test_a_learner_who_did_not_attend_is_refused(client, held, status):
    """Only those present at a meeting answer: 403 with the reason, for GET and POST."""
    enrolment = attendee(held, status=status)
    assert client.get(form_url(enrolment)).status_code == 403
    response = client.post(form_url(enrolment), ANSWER)
    assert response.status_code == 403
    assert page(response).select_one('[data-code="not_attended"]')
    assert not Feedback.objects.exists()


def test_a_session_not_over_is_refused(client, course):
    """Feedback opens once the session has ended."""
    running = factories.session(course, starts_in=timedelta(hours=-1), hours=7)
    response = client.get(form_url(attendee(running)))
    assert response.status_code == 403
    assert page(response).select_one('[data-code="session_not_ended"]')


def test_an_enrolment_gone_is_a_404(client, enrolment):
    """The learner's account deleted outright: the link leads nowhere, 404."""
    url = form_url(enrolment)
    enrolment.learner.delete()
    assert client.get(url).status_code == 404


def test_after_14_days_the_answer_shows_read_only_and_a_change_is_refused(client, enrolment):
    """The answer as it stands, no form; a POST is refused with a message, nothing changes."""
    given = timezone.now() - timedelta(days=14, minutes=1)
    Feedback.objects.create(
        enrolment=enrolment,
        rating=5,
        would_recommend=True,
        useful="Tout",
        submitted_at=given,
        updated_at=given,
    )
    response = client.get(form_url(enrolment, "en"))
    assert response.status_code == 200
    html = page(response)
    assert html.select_one("form.feedback-form") is None
    assert "5 out of 5" in html.select_one(".feedback-answer").get_text()
    response = client.post(form_url(enrolment, "en"), {**ANSWER, "rating": "1"})
    assert response.status_code == 403
    assert page(response).select_one('[data-code="edit_closed"]')
    assert "can no longer be changed" in response.content.decode()
    assert Feedback.objects.get().rating == 5


def test_the_form_in_arabic_reads_right_to_left(client, enrolment):
    """Under /ar/: the page is in Arabic, right to left, and posts to itself."""
    response = client.get(form_url(enrolment, "ar"))
    assert response.status_code == 200
    html = page(response)
    assert (html.html["lang"], html.html["dir"]) == ("ar", "rtl")
    assert client.post(form_url(enrolment, "ar"), ANSWER).status_code == 200


# The course page


def answer(session, email, rating, recommends=True):
    Feedback.objects.create(
        enrolment=attendee(session, email), rating=rating, would_recommend=recommends
    )


def test_the_course_page_shows_the_scores_from_five_answers(client, course, held):
    """Four answers over two sessions: nothing shown; the fifth: 4.2 / 5, 5 answers, 80 %."""
    other = factories.hold(factories.session(course), ended_ago=timedelta(days=40))
    for number, rating in enumerate([5, 5, 4]):
        answer(held, f"a{number}@example.com", rating)
    answer(other, "b0@example.com", 4)
    french_url = course.url
    english = "/en" + french_url
    assert page(client.get(english)).select_one(".course-feedback") is None

    answer(other, "b1@example.com", 3, recommends=False)
    shown = page(client.get(english)).select_one(".course-feedback")
    text = " ".join(shown.get_text().split())
    assert "4.2 / 5 (5 answers)" in text and "80 % would recommend it" in text
    french = page(client.get(french_url))
    assert "4,2 / 5" in french.select_one(".course-feedback").get_text()


def test_the_course_scores_cost_one_query(course, held, django_assert_num_queries):
    """Counted in one query whatever the number of answers."""
    for number in range(6):
        answer(held, f"a{number}@example.com", 4)
    with django_assert_num_queries(1):
        scores = extensions.course_feedback(course, None)["feedback_scores"]
    assert scores.answers == 6


# The dashboard


def test_the_dashboard_links_attended_past_sessions_to_the_form(client, course, held):
    """ "Give feedback" beside a session attended, none beside a no-show; once answered, "Edit
    your feedback"."""
    attended = attendee(held)
    absent_session = factories.hold(factories.session(course), ended_ago=timedelta(days=3))
    absent = Enrolment.objects.create(
        session=absent_session, learner=attended.learner, status="no_show"
    )
    client.force_login(attended.learner)

    html = page(client.get("/en/dashboard/"))
    link = html.select_one(f"#enrolment-{attended.pk} .enrolment__feedback a")
    assert link.get_text(strip=True) == "Give feedback"
    assert html.select_one(f"#enrolment-{absent.pk} .enrolment__feedback") is None
    client.logout()  # the link works for anyone holding it
    assert client.post(link["href"], ANSWER).status_code == 200

    client.force_login(attended.learner)
    html = page(client.get("/en/dashboard/"))
    link = html.select_one(f"#enrolment-{attended.pk} .enrolment__feedback a")
    assert link.get_text(strip=True) == "Edit your feedback"
