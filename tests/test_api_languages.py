"""The JSON API in the reader's language: `?lang=`, else `Accept-Language`, else French.

Translated text comes in the requested language where a translation exists, else in French,
and each object says which (`text_language`); ids and slugs are the originals'.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Audience
from jazari.i18n import strip_language_prefix
from skills.models import SkillCategory
from tests import factories
from tests.api_client import InProcessApi
from tests.shared_data import built_once, fresh

pytestmark = pytest.mark.django_db

FRENCH_TITLE = "Introduction au machine learning"
ARABIC_TITLE = "مدخل إلى تعلم الآلة"
ENGLISH_TITLE = "Introduction to machine learning"
ARABIC_SKILL = "التعلم الخاضع للإشراف"
ARABIC_INSTITUTE = "جزري روت"
ARABIC_AUDIENCE = "الطلبة"
ENGLISH_CATEGORY = "Languages"


@pytest.fixture(scope="module")
def translated_network(django_db_setup, django_db_blocker):
    """The small network with its introduction course in Arabic and English, a skill, the hub
    and an audience in Arabic, a skill category in English; the rest only in French."""
    with built_once(django_db_blocker):
        network = factories.small_network(factories.site_tree())
        factories.translate(network["intro"], "ar", title=ARABIC_TITLE, summary="دورة تمهيدية")
        factories.translate(network["intro"], "en", title=ENGLISH_TITLE, summary="A first course")
        factories.translate(network["ml"], "ar", name=ARABIC_SKILL, description="وصف")
        factories.translate(network["rabat"], "ar", title=ARABIC_INSTITUTE, city="الرباط")
        factories.translate(Audience.objects.originals().get(slug="students"), "ar", name="الطلبة")
        languages = SkillCategory.objects.originals().get(slug="langues")
        factories.translate(languages, "en", name=ENGLISH_CATEGORY)
        yield network


@pytest.fixture
def network(translated_network, db):
    return fresh(translated_network)


@pytest.fixture
def api():
    return InProcessApi()


def body(response, language):
    assert response.status_code == 200, response.text
    assert response.headers["Content-Language"] == language
    return response.json()


def by_id(items):
    return {item["id"]: item for item in items}


def by_slug(items):
    return {item["slug"]: item for item in items}


# Courses


@pytest.mark.parametrize(
    ("language", "title", "summary"),
    [
        ("fr", FRENCH_TITLE, f"Résumé de {FRENCH_TITLE}."),
        ("ar", ARABIC_TITLE, "دورة تمهيدية"),
        ("en", ENGLISH_TITLE, "A first course"),
    ],
)
def test_courses_list_in_each_language_with_the_originals_ids(
    api, network, language, title, summary
):
    """The translated course in the language asked; the untranslated workshop in French."""
    courses = by_id(body(api.get("courses/", params={"lang": language}), language)["results"])
    intro, llm = courses[network["intro"].pk], courses[network["llm"].pk]
    assert (intro["title"], intro["summary"], intro["text_language"]) == (title, summary, language)
    assert (llm["title"], llm["text_language"]) == ("LLM et langue arabe", "fr")
    prefix = "" if language == "fr" else f"/{language}"
    assert intro["url"].endswith(prefix + strip_language_prefix(network["intro"].url))


def test_a_course_in_arabic_with_its_skills_organiser_audiences_and_venues(api, network):
    """Each part of a course in Arabic where it is translated, else French, saying which."""
    intro = body(api.get(f"courses/{network['intro'].pk}/", params={"lang": "ar"}), "ar")
    assert intro["id"] == network["intro"].pk
    assert intro["institute"] == {
        "slug": network["rabat"].slug,
        "name": ARABIC_INSTITUTE,
        "text_language": "ar",
    }
    assert [(s["slug"], s["name"], s["text_language"]) for s in intro["skills"]] == [
        (network["ml"].slug, ARABIC_SKILL, "ar")
    ]
    assert intro["audiences"] == [
        {"slug": "students", "name": ARABIC_AUDIENCE, "text_language": "ar"}
    ]
    assert {s["institute"]["name"] for s in intro["sessions"]} == {ARABIC_INSTITUTE}

    llm = body(api.get(f"courses/{network['llm'].pk}/", params={"lang": "ar"}), "ar")
    assert (llm["title"], llm["text_language"]) == ("LLM et langue arabe", "fr")
    assert [(s["name"], s["text_language"]) for s in llm["skills"]] == [
        (ARABIC_SKILL, "ar"),
        ("Traitement de l'arabe", "fr"),
    ]
    assert (llm["institute"]["name"], llm["institute"]["text_language"]) == (
        "Jazari Institute Fès",
        "fr",
    )


def test_a_course_in_english_falls_back_where_only_arabic_exists(api, network):
    """The skill translated into Arabic only is French in an English answer."""
    intro = body(api.get(f"courses/{network['intro'].pk}/", params={"lang": "en"}), "en")
    assert (intro["title"], intro["text_language"]) == (ENGLISH_TITLE, "en")
    assert (intro["skills"][0]["name"], intro["skills"][0]["text_language"]) == (
        "Apprentissage supervisé",
        "fr",
    )
    assert intro["institute"]["name"] == "Jazari Root"


# Sessions, skills, institutes


@pytest.mark.parametrize(
    ("language", "title", "institute"),
    [
        ("fr", FRENCH_TITLE, "Jazari Root"),
        ("ar", ARABIC_TITLE, ARABIC_INSTITUTE),
        ("en", ENGLISH_TITLE, "Jazari Root"),
    ],
)
def test_sessions_name_their_course_and_venue_in_each_language(
    api, network, language, title, institute
):
    sessions = by_id(body(api.get("sessions/", params={"lang": language}), language)["results"])
    intro = sessions[network["intro_in_person"].pk]
    assert intro["course"]["id"] == network["intro"].pk
    assert (intro["course"]["title"], intro["course"]["text_language"]) == (title, language)
    assert intro["institute"]["name"] == institute
    assert intro["institute"]["slug"] == network["rabat"].slug
    assert intro["language"] == network["intro_in_person"].language  # taught in, unchanged
    llm = sessions[network["llm_full"].pk]
    assert (llm["course"]["title"], llm["course"]["text_language"]) == ("LLM et langue arabe", "fr")


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_skills_and_categories_in_each_language(api, network, language):
    skills = by_slug(body(api.get("skills/", params={"lang": language}), language)["results"])
    ml, nlp = skills[network["ml"].slug], skills[network["nlp"].slug]
    expected_ml = (ARABIC_SKILL, "ar") if language == "ar" else ("Apprentissage supervisé", "fr")
    assert (ml["name"], ml["text_language"]) == expected_ml
    assert (nlp["name"], nlp["text_language"]) == ("Traitement de l'arabe", "fr")
    expected_category = (ENGLISH_CATEGORY, "en") if language == "en" else ("Langues", "fr")
    assert (nlp["category"]["name"], nlp["category"]["text_language"]) == expected_category
    assert nlp["category"]["slug"] == "langues"


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_institutes_in_each_language(api, network, language):
    institutes = by_slug(
        body(api.get("institutes/", params={"lang": language}), language)["results"]
    )
    rabat, fes = institutes[network["rabat"].slug], institutes[network["fes"].slug]
    if language == "ar":
        assert (rabat["name"], rabat["city"], rabat["text_language"]) == (
            ARABIC_INSTITUTE,
            "الرباط",
            "ar",
        )
        assert rabat["url"].split("/", 3)[3].startswith("ar/")
    else:
        assert (rabat["name"], rabat["text_language"]) == ("Jazari Root", "fr")
    assert (fes["name"], fes["city"], fes["text_language"]) == ("Jazari Institute Fès", "Fès", "fr")


# Choosing the language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ar-MA,ar;q=0.9,fr;q=0.5", "ar"),
        ("de-DE, en;q=0.8, fr;q=0.5", "en"),
        ("de, it", "fr"),
        ("", "fr"),
        ("*", "fr"),
    ],
)
def test_accept_language_chooses_when_lang_is_not_given(api, network, header, language):
    response = api.get(f"courses/{network['intro'].pk}/", headers={"Accept-Language": header})
    title = {"fr": FRENCH_TITLE, "ar": ARABIC_TITLE, "en": ENGLISH_TITLE}[language]
    assert body(response, language)["title"] == title
    assert "Accept-Language" in response.headers["Vary"]


def test_lang_wins_over_accept_language(api, network):
    response = api.get(
        f"courses/{network['intro'].pk}/", params={"lang": "en"}, headers={"Accept-Language": "ar"}
    )
    assert body(response, "en")["title"] == ENGLISH_TITLE


@pytest.mark.parametrize("value", ["de", "arabic", "fr-FR", "x" * 300])
def test_a_lang_the_site_does_not_speak_answers_400(api, network, value):
    """Named in `errors.lang`, whichever endpoint, before any other check."""
    for method, path in [
        ("GET", "courses/"),
        ("GET", "sessions/"),
        ("GET", "skills/"),
        ("GET", f"courses/{network['intro'].pk}/"),
        ("POST", f"sessions/{network['intro_in_person'].pk}/enrol/"),
    ]:
        response = api.call(method, path, params={"lang": value})
        assert response.status_code == 400, (path, response.text)
        assert "lang" in response.json()["errors"]
        assert "fr, ar, en" in response.json()["detail"]


def test_messages_follow_the_requested_language(api, network):
    """A 404's `detail` is in the language asked, like the content."""
    english = api.get("courses/999999/", params={"lang": "en"})
    french = api.get("courses/999999/", params={"lang": "fr"})
    assert english.status_code == french.status_code == 404
    assert english.headers["Content-Language"] == "en"
    assert french.headers["Content-Language"] == "fr"


# What it costs


def count_queries(api, path, **params):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    return len(queries)


def test_a_translated_answer_costs_one_query_per_translated_model(api, network):
    """None in French; in Arabic or English one per model shown, whatever the page size."""
    api.get("sessions/")  # warm Wagtail's cached site root paths
    translated_models = {
        "courses/": 4,  # courses, institutes, skills, audiences
        f"courses/{network['intro'].pk}/": 4,
        "sessions/": 2,  # courses, institutes
        "skills/": 2,  # skills, categories
        "institutes/": 1,
    }
    for path, models in translated_models.items():
        plain = count_queries(api, path)
        assert count_queries(api, path, lang="fr") == plain, path
        for language in ("ar", "en"):
            # A page of one course without skills has no query for skills.
            assert count_queries(api, path, lang=language, page_size=1) <= plain + models, path
            assert count_queries(api, path, lang=language, page_size=60) == plain + models, path


# The OpenAPI document


def test_every_operation_documents_lang_accept_language_and_its_400(api):
    schema = api.get("openapi.json").json()
    operations = [
        (path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "delete")
    ]
    assert len(operations) >= 14
    for path, operation in operations:
        parameters = {(p["name"], p["in"]): p for p in operation.get("parameters", [])}
        lang = parameters[("lang", "query")]
        assert set(lang["schema"]["enum"]) == {"fr", "ar", "en"}, path
        assert "400" in lang["description"] and "text_language" in lang["description"]
        assert ("Accept-Language", "header") in parameters, path
        assert "400" in operation["responses"], path
    components = schema["components"]["schemas"]
    text_language = components["Course"]["properties"]["text_language"]
    [reference] = text_language["allOf"]  # read only, described here, the enum shared
    text_language = components[reference["$ref"].rsplit("/", 1)[-1]]
    assert set(text_language["enum"]) == {"fr", "ar", "en"}
