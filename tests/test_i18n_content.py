"""Content in French, Arabic and English: translations made with wagtail-localize, served
under their language's prefix; the original wherever a translation is missing, marked with its
own language and direction; sessions, enrolments and the rest belonging to the original."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import GroupPagePermission, PageViewRestriction

from courses.models import Audience, CoursePage, InstituteCoursesPage, Instructor, Session
from enrolments.models import Enrolment
from institutes.models import InstitutePage
from jazari.i18n import localize_path
from skills.models import Skill
from tests import factories
from tests.shared_data import built_once, fresh

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "مدخل إلى تعلم الآلة"
ENGLISH_TITLE = "Introduction to machine learning"
FRENCH_TITLE = "Introduction au machine learning"
ARABIC_SKILL = "التعلم الخاضع للإشراف"
ARABIC_CATEGORY = "تعلم الآلة"
ARABIC_INSTITUTE = "جزري روت"
ARABIC_PATH = "مسار الذكاء الاصطناعي"


@pytest.fixture(scope="module")
def translated_network(django_db_setup, django_db_blocker):
    """The small network, its introduction course translated into Arabic and English, its
    skill, the skill's category and the students audience into Arabic only, its institute into
    Arabic; a learning path of its first two courses, translated into Arabic."""
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        network = factories.small_network(tree)
        intro, ml = network["intro"], network["ml"]
        factories.translate(intro, "ar", title=ARABIC_TITLE, summary="دورة تمهيدية")
        factories.translate(intro, "en", title=ENGLISH_TITLE, summary="A first course")
        factories.translate(ml.category, "ar", name=ARABIC_CATEGORY)
        factories.translate(ml, "ar", name=ARABIC_SKILL)
        factories.translate(network["rabat"], "ar", title=ARABIC_INSTITUTE)
        factories.translate(Audience.objects.originals().get(slug="students"), "ar", name="الطلبة")
        path = factories.learning_path(tree, "Parcours IA", [intro, network["llm"]])
        factories.translate(path, "ar", title=ARABIC_PATH)
        network["path"] = path
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
    assert skill.get_text(strip=True) == ARABIC_SKILL
    assert not skill.has_attr("lang")
    assert ARABIC_INSTITUTE in arabic.select_one(".course-head__organiser").get_text()
    # The venue of the next session and of the sessions' list, too.
    assert ARABIC_INSTITUTE in arabic.select_one(".next-session__where").get_text()
    venues = [cell.get_text(strip=True) for cell in arabic.select("td[data-label] a")]
    assert ARABIC_INSTITUTE in venues, venues

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


# Listings: originals decide what is listed, their translations give the text.


def main_text(response):
    return soup_of(response).select_one("main").get_text(" ", strip=True)


def marked_french(element):
    return (element.get("lang"), element.get("dir")) == ("fr", "ltr")


def test_the_catalogue_lists_each_course_once_in_the_reader_language(client, network):
    soup = soup_of(client.get("/ar/courses/"))
    text = soup.select_one("main").get_text(" ", strip=True)
    assert text.count(ARABIC_TITLE) == 1
    assert FRENCH_TITLE not in text
    assert CoursePage.objects.listed().count() == 3


def test_filters_and_links_name_the_originals(client, network):
    """A skill's slug is the same in every language; filters find the original's courses."""
    ml = network["ml"]
    arabic = Skill.objects.get(translation_key=ml.translation_key, locale__language_code="ar")
    assert arabic.slug == ml.slug
    soup = soup_of(client.get("/ar/courses/", {"skill": ml.slug}))
    text = soup.select_one("main").get_text(" ", strip=True)
    assert ARABIC_TITLE in text


def facet_labels(soup, name):
    """{value: label element} of one facet of the catalogue's form."""
    return {
        box["value"]: box.find_next_sibling(class_="facet__label")
        for box in soup.select(f".facet input[name='{name}']")
    }


def test_catalogue_facets_in_the_reader_language(client, network):
    """Audiences, categories, skills and institutes are named in Arabic where translated, in
    French marked `lang="fr"` where not; the options stay keyed by the originals' slugs."""
    soup = soup_of(client.get("/ar/courses/"))
    ml, nlp = network["ml"], network["nlp"]
    expected = {
        "audience": {"students": "الطلبة", "researchers": None},
        "category": {ml.category.slug: ARABIC_CATEGORY, nlp.category.slug: None},
        "skill": {ml.slug: ARABIC_SKILL, nlp.slug: None},
        "institute": {network["rabat"].slug: ARABIC_INSTITUTE, network["fes"].slug: None},
    }
    for name, values in expected.items():
        labels = facet_labels(soup, name)
        for value, arabic in values.items():
            label = labels[value]
            if arabic:
                assert label.get_text(strip=True) == arabic, (name, value)
                assert not label.has_attr("lang"), (name, value)
            else:
                assert marked_french(label), (name, value)
    # Skills sorted by their label as read: the French one (Latin script) first.
    assert list(facet_labels(soup, "skill")) == [nlp.slug, ml.slug]


def test_catalogue_cards_and_chips_in_the_reader_language(client, network):
    soup = soup_of(client.get("/ar/courses/", {"skill": network["ml"].slug}))
    titles = {card.get_text(strip=True): card for card in soup.select(".course-card__title")}
    assert not titles[ARABIC_TITLE].has_attr("lang")
    assert marked_french(titles["LLM et langue arabe"])
    tags = [tag.get_text(strip=True) for tag in soup.select(".course-card .tag-list li")]
    assert ARABIC_SKILL in tags and "Apprentissage supervisé" not in tags
    chip = soup.select_one(".active-filters .chip")
    assert ARABIC_SKILL in chip.get_text()
    # French: the originals, nothing marked.
    soup = soup_of(client.get("/courses/"))
    assert not soup.select(".catalogue [lang]")
    assert FRENCH_TITLE in soup.select_one("main").get_text()


def test_a_translation_saved_retires_the_cached_catalogue(client, network):
    """The catalogue is cached per language; a snippet's or a page's translation saved shows
    at once."""
    nlp, policy = network["nlp"], network["policy"]
    assert "معالجة العربية" not in main_text(client.get("/ar/courses/"))
    factories.translate(nlp, "ar", name="معالجة العربية")
    factories.translate(Audience.objects.originals().get(slug="researchers"), "ar", name="الباحثون")
    factories.translate(policy, "ar", title="الذكاء الاصطناعي للإدارة العمومية")
    text = main_text(client.get("/ar/courses/"))
    assert "معالجة العربية" in text and "الباحثون" in text
    assert "الذكاء الاصطناعي للإدارة العمومية" in text
    assert "LLM et langue arabe" in text and "Traitement de l'arabe" not in text


def test_home_page_in_the_reader_language(client, network):
    soup = soup_of(client.get("/ar/"))
    session_titles = [title.get_text(strip=True) for title in soup.select(".session-card__title")]
    assert ARABIC_TITLE in session_titles and FRENCH_TITLE not in session_titles
    institutes = {a.get_text(strip=True): a for a in soup.select(".region__institutes a")}
    assert not institutes[ARABIC_INSTITUTE].has_attr("lang")
    assert marked_french(institutes["Jazari Institute Fès"])
    categories = [tile.get_text(strip=True) for tile in soup.select(".category-tile__name")]
    assert ARABIC_CATEGORY in categories


def test_institutes_in_the_reader_language(client, network):
    soup = soup_of(client.get("/ar/institutes/"))
    names = [title.get_text(strip=True) for title in soup.select(".institute-card__title")]
    assert ARABIC_INSTITUTE in names and "Jazari Root" not in names
    # The Arabic institute page lists the original's courses, in Arabic where translated.
    soup = soup_of(client.get(localize_path(network["rabat"].url, "ar")))
    assert soup.h1.get_text(strip=True) == ARABIC_INSTITUTE
    cards = {card.get_text(strip=True): card for card in soup.select(".course-card__title")}
    assert ARABIC_TITLE in cards
    assert marked_french(cards["IA pour l'administration publique"])
    sessions = [title.get_text(strip=True) for title in soup.select(".session-card__title")]
    assert ARABIC_TITLE in sessions


def test_skills_in_the_reader_language(client, network):
    ml = network["ml"]
    soup = soup_of(client.get("/ar/skills/"))
    skills = {a.get_text(strip=True): a for a in soup.select(".skill-list__name")}
    assert not skills[ARABIC_SKILL].has_attr("lang")
    assert marked_french(skills["Traitement de l'arabe"])
    assert ARABIC_CATEGORY in [h2.get_text(strip=True) for h2 in soup.select(".skill-category h2")]
    soup = soup_of(client.get(f"/ar/skills/{ml.slug}/"))
    assert soup.h1.get_text(strip=True) == ARABIC_SKILL
    cards = {card.get_text(strip=True): card for card in soup.select(".course-card__title")}
    assert set(cards) == {ARABIC_TITLE, "LLM et langue arabe"}
    assert marked_french(cards["LLM et langue arabe"])
    assert ARABIC_PATH in main_text(client.get(f"/ar/skills/{ml.slug}/"))


def test_learning_paths_in_the_reader_language(client, network):
    soup = soup_of(client.get("/ar/paths/"))
    assert [h2.get_text(strip=True) for h2 in soup.select(".path-card h2")] == [ARABIC_PATH]
    soup = soup_of(client.get(localize_path(network["path"].url, "ar")))
    assert soup.h1.get_text(strip=True) == ARABIC_PATH
    steps = [step.get_text(strip=True) for step in soup.select(".path-step__title")]
    assert steps == [ARABIC_TITLE, "LLM et langue arabe"]
    assert marked_french(soup.select(".path-step__title")[1])
    # The course's card in the catalogue names the path in Arabic.
    assert ARABIC_PATH in main_text(client.get("/ar/courses/"))


def test_dashboard_in_the_reader_language(client, network):
    learner = factories.learner()
    Enrolment.objects.create(
        session=network["intro_in_person"], learner=learner, status="confirmed"
    )
    client.force_login(learner)
    with translation.override("ar"):
        url = reverse("learners:dashboard")
    soup = soup_of(client.get(url))
    title = soup.select_one(".enrolment__title")
    assert title.get_text(strip=True) == ARABIC_TITLE
    assert not title.has_attr("lang")


def test_a_translation_takes_no_sessions_in_the_admin_form(network):
    """Sessions added to a translation would be nobody's: the course form refuses them there,
    pointing to the original, and accepts the same translation without."""
    from django.contrib.auth import get_user_model

    rabat = network["rabat"]
    arabic = CoursePage.objects.get(
        translation_key=network["intro"].translation_key, locale__language_code="ar"
    )
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    form_class = CoursePage.get_edit_handler().get_form_class()

    def form(sessions):
        data = factories.course_form(ARABIC_TITLE, rabat, sessions=sessions, slug=arabic.slug)
        return form_class(data, instance=arabic, parent_page=arabic.get_parent(), for_user=admin)

    refused = form([factories.session_form(rabat)])
    assert not refused.is_valid()
    assert refused.formsets["sessions"].non_form_errors() == [
        gettext("Sessions are added on the original course; its translations show them.")
    ]
    accepted = form([])
    assert accepted.is_valid(), (accepted.errors, accepted.formsets["sessions"].non_form_errors())


def test_pages_not_yet_translated_mark_their_own_text(client, network):
    """The catalogue page above a translated course exists in Arabic only as an alias of the
    French page (wagtail-localize makes one): its French title is marked as French; the
    translated course's card in it is not."""
    soup = soup_of(client.get("/ar/courses/"))
    assert (soup.h1["lang"], soup.h1["dir"]) == ("fr", "ltr")
    home = soup_of(client.get("/ar/"))
    assert home.select_one("#hero-title")["lang"] == "fr"
