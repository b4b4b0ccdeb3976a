"""Content in French, Arabic and English: translations made with wagtail-localize, served
under their language's prefix; the original wherever a translation is missing, marked with its
own language and direction; sessions, enrolments and the rest belonging to the original."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.models import GroupPagePermission, PageViewRestriction

from courses.models import CoursePage, InstituteCoursesPage, Instructor, Session
from enrolments.models import Enrolment
from institutes.models import InstitutePage
from tests import factories
from tests.shared_data import built_once, fresh

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "مدخل إلى تعلم الآلة"
ENGLISH_TITLE = "Introduction to machine learning"
FRENCH_TITLE = "Introduction au machine learning"


@pytest.fixture(scope="module")
def translated_network(django_db_setup, django_db_blocker):
    """The small network, its introduction course translated into Arabic and English, its
    skill into Arabic only, its institute into Arabic."""
    with built_once(django_db_blocker):
        network = factories.small_network(factories.site_tree())
        intro, ml = network["intro"], network["ml"]
        factories.translate(intro, "ar", title=ARABIC_TITLE, summary="دورة تمهيدية")
        factories.translate(intro, "en", title=ENGLISH_TITLE, summary="A first course")
        factories.translate(ml, "ar", name="التعلم الخاضع للإشراف")
        factories.translate(network["rabat"], "ar", title="جزري روت")
        yield network


@pytest.fixture
def network(translated_network, db):
    return fresh(translated_network)


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_a_translated_course_reads_in_each_language(client, network):
    path = network["intro"].url
    for prefix, title, language, direction in [
        ("", FRENCH_TITLE, "fr", "ltr"),
        ("/ar", ARABIC_TITLE, "ar", "rtl"),
        ("/en", ENGLISH_TITLE, "en", "ltr"),
    ]:
        soup = soup_of(client.get(prefix + path))
        assert (soup.html["lang"], soup.html["dir"]) == (language, direction)
        assert soup.h1.get_text(strip=True) == title
        # Written in the page's language: no mark of its own.
        assert not soup.h1.has_attr("lang"), prefix


def test_a_course_without_translation_is_its_original_marked_in_its_language(client, network):
    """The workshop has no Arabic translation: `/ar/…` shows the French text, marked `lang="fr"
    dir="ltr"` inside the right-to-left page."""
    soup = soup_of(client.get("/ar" + network["llm"].url))
    assert soup.html["dir"] == "rtl"
    assert soup.h1.get_text(strip=True) == "LLM et langue arabe"
    assert (soup.h1["lang"], soup.h1["dir"]) == ("fr", "ltr")


def test_snippets_and_institutes_in_the_reader_language_or_marked(client, network):
    path = network["intro"].url
    arabic = soup_of(client.get("/ar" + path))
    skill = arabic.select_one(".skill-levels li a, .skill-levels li span")
    assert skill.get_text(strip=True) == "التعلم الخاضع للإشراف"
    assert not skill.has_attr("lang")
    assert "جزري روت" in arabic.select_one(".course-head__organiser").get_text()

    english = soup_of(client.get("/en" + path))
    skill = english.select_one(".skill-levels li a, .skill-levels li span")
    assert skill.get_text(strip=True) == "Apprentissage supervisé"
    assert (skill["lang"], skill["dir"]) == ("fr", "ltr")


def test_sessions_belong_to_the_original_course(client, network):
    intro = network["intro"]
    translations = CoursePage.objects.filter(translation_key=intro.translation_key)
    assert translations.count() == 3
    assert not Session.objects.filter(course__in=translations.exclude(pk=intro.pk)).exists()
    client.force_login(factories.learner())
    soup = soup_of(client.get("/ar" + intro.url))
    # The Arabic page lists the original's sessions, whose enrol buttons post to them.
    forms = {form["action"] for form in soup.select("form[action*='/enrol/']")}
    expected = {
        reverse("learners:enrol", args=[network[name].pk])
        for name in ("intro_in_person", "intro_online")
    }
    assert {action.removeprefix("/ar") for action in forms} == {
        action.removeprefix("/ar") for action in expected
    }


def test_enrolling_from_the_arabic_page_enrols_in_the_same_session(client, network):
    learner = factories.learner()
    client.force_login(learner)
    session = network["intro_in_person"]
    with translation.override("ar"):
        url = reverse("learners:enrol", args=[session.pk])
    response = client.post(url, HTTP_REFERER="/ar" + network["intro"].url)
    assert response.status_code in (200, 302, 303)
    enrolment = Enrolment.objects.get(learner=learner)
    assert enrolment.session_id == session.pk
    assert enrolment.session.course_id == network["intro"].pk


def test_translations_keep_what_belongs_to_the_original(network):
    """An institute's translation makes no editors group or folder of its own; its folder's
    translation gives the institute's editors the same permissions; an instructor's translation
    leaves the account link to the original."""
    rabat = network["rabat"]
    arabic = InstitutePage.objects.get(
        translation_key=rabat.translation_key, locale__language_code="ar"
    )
    assert arabic.editors_id == rabat.editors_id
    assert Group.objects.filter(name__endswith=" editors").count() == 2
    assert InstituteCoursesPage.objects.originals().filter(institute__isnull=False).count() == 2

    folder = InstituteCoursesPage.objects.originals().get(institute=rabat)
    arabic_folder = InstituteCoursesPage.objects.get(
        translation_key=folder.translation_key, locale__language_code="ar"
    )
    granted = set(
        GroupPagePermission.objects.filter(page=arabic_folder, group=rabat.editors).values_list(
            "permission__codename", flat=True
        )
    )
    assert granted == {"add_page", "change_page", "publish_page"}

    trainer = factories.learner("trainer@example.com")
    instructor = Instructor.objects.create(name="Salma Idrissi", user=trainer)
    translation = factories.translate(instructor, "ar", role="مدربة")
    assert translation.user_id is None
    assert Instructor.objects.originals().get(user=trainer) == instructor


def test_a_private_course_is_private_in_every_language(client, network):
    """A view restriction added to the original after it was translated guards the Arabic page
    and keeps the translation out of search at once."""
    intro = network["intro"]
    path = intro.url

    def found_by_search():
        search = soup_of(client.get("/ar/search/", {"q": ARABIC_TITLE}))
        return ARABIC_TITLE in {link.get_text(strip=True) for link in search.select("main a")}

    assert found_by_search()
    PageViewRestriction.objects.create(page=intro, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/ar" + path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "Cache-Control" in response and "no-cache" in response["Cache-Control"]
    assert not CoursePage.objects.visible().filter(translation_key=intro.translation_key)
    assert not found_by_search()

    client.force_login(factories.learner())
    assert soup_of(client.get("/ar" + path)).h1.get_text(strip=True) == ARABIC_TITLE
