"""The catalogue of the JSON API: sessions, courses, skills, institutes.

Called in process through DRF's `APIClient` (see `tests.api_client`), where queries can be
counted too, on one small network built for the module; over real HTTP: `test_api_over_http`.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Session
from skills.models import SkillLevel
from tests import factories
from tests.api_client import InProcessApi
from tests.shared_data import fresh

CASABLANCA = ZoneInfo("Africa/Casablanca")

SESSION_KEYS = {
    "id",
    "course",
    "starts_at",
    "ends_at",
    "mode",
    "institute",
    "language",
    "capacity",
    "seats_left",
    "waitlist_length",
    "enrolment_open",
}
PAGE_KEYS = {"count", "next", "previous", "results"}


@pytest.fixture
def api(db):
    return InProcessApi()


@pytest.fixture
def network(small_network_once, db):
    """The small network of the factories, built once for the module, read again here."""
    return fresh(small_network_once)


def ids(response):
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["results"]]


def assert_error(response, status, *words):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    for word in words:
        assert word in body["detail"], body
    return body


def local(value):
    return timezone.localtime(value, CASABLANCA)


# Sessions


def test_sessions_are_upcoming_sessions_of_live_courses_soonest_first(api, network):
    """Past, cancelled and unpublished courses' sessions are left out; the soonest comes first."""
    factories.session(network["intro"], starts_in=timedelta(days=7), status="cancelled")
    draft = factories.course(factories.site_tree(), "Brouillon", network["rabat"])
    draft.unpublish()
    factories.session(draft, starts_in=timedelta(days=3))
    started = factories.session(network["intro"], starts_in=timedelta(hours=-1), hours=5)

    response = api.get("sessions/")

    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == PAGE_KEYS
    assert body["count"] == 3 and body["next"] is None and body["previous"] is None
    expected = [network[name].pk for name in ("intro_in_person", "llm_full", "intro_online")]
    assert ids(response) == expected
    assert started.pk not in ids(response)


def test_enrolment_open_follows_the_session_state(api, network):
    """Not open yet, closed, and full without a waiting list are all `false`."""
    course = network["policy"]
    now = timezone.now()
    later = factories.session(
        course, starts_in=timedelta(days=20), enrolment_opens_at=now + timedelta(days=2)
    )
    closed = factories.session(
        course, starts_in=timedelta(days=21), enrolment_closes_at=now - timedelta(hours=1)
    )
    full = factories.session(
        course,
        starts_in=timedelta(days=22),
        capacity=3,
        confirmed_count=3,
        waitlist_enabled=False,
    )
    open_ = factories.session(course, starts_in=timedelta(days=23))
    items = {
        item["id"]: item for item in api.get("sessions/", {"page_size": 100}).json()["results"]
    }
    assert items[later.pk]["enrolment_open"] is False
    assert items[closed.pk]["enrolment_open"] is False
    assert items[full.pk]["enrolment_open"] is False
    assert items[open_.pk]["enrolment_open"] is True


def test_session_filters(api, network):
    """Each filter alone, then combined; slugs, choices, words and ISO 8601 bounds."""
    arabic = factories.session(
        network["llm"], starts_in=timedelta(days=30), language="ar", mode="hybrid"
    )
    intro_in_person = network["intro_in_person"].pk
    intro_online = network["intro_online"].pk
    llm_full = network["llm_full"].pk

    def only(**params):
        return ids(api.get("sessions/", params))

    assert only(skill="traitement-de-larabe") == [llm_full, arabic.pk]
    assert only(skill="apprentissage-supervise") == [
        intro_in_person,
        llm_full,
        arabic.pk,
        intro_online,
    ]
    assert only(level="advanced") == [llm_full, arabic.pk]
    assert only(format="workshop") == [llm_full, arabic.pk]
    assert only(format="seminar") == []
    # An institute's sessions: held there, or organised by it (online ones).
    assert only(institute="jazari-institute-fes") == [llm_full, arabic.pk]
    assert only(institute="jazari-root") == [intro_in_person, intro_online]
    assert only(mode="online") == [llm_full, intro_online]
    assert only(mode="hybrid") == [arabic.pk]
    assert only(language="ar") == [arabic.pk]
    assert only(language="fr") == [intro_in_person, llm_full, intro_online]
    assert only(q="machine") == [intro_in_person, intro_online]
    assert only(q="   ") == [intro_in_person, llm_full, arabic.pk, intro_online]
    assert only(mode="online", institute="jazari-root") == [intro_online]
    assert only(skill="apprentissage-supervise", level="beginner", mode="in_person") == [
        intro_in_person
    ]


def test_session_date_filters_take_dates_and_datetimes(api, network):
    """Dates are whole days in Casablanca; datetimes are instants, with or without offset."""
    in_person = Session.objects.get(pk=network["intro_in_person"].pk)  # in 5 days
    online = Session.objects.get(pk=network["intro_online"].pk)  # in 40 days
    full = network["llm_full"].pk  # in 12 days
    day = local(in_person.starts_at).date()

    def only(**params):
        return ids(api.get("sessions/", params))

    assert only(starts_after=day.isoformat()) == [in_person.pk, full, online.pk]
    assert only(starts_after=(day + timedelta(days=1)).isoformat()) == [full, online.pk]
    assert only(starts_before=day.isoformat()) == [in_person.pk]
    assert only(starts_before=(day - timedelta(days=1)).isoformat()) == []
    window = {
        "starts_after": (day + timedelta(days=1)).isoformat(),
        "starts_before": (day + timedelta(days=30)).isoformat(),
    }
    assert only(**window) == [full]

    # Instants: with an offset (URL-encoded), with Z, naive (Casablanca time).
    exact = local(in_person.starts_at).isoformat()
    assert only(starts_after=exact) == [in_person.pk, full, online.pk]
    assert only(starts_before=exact) == [in_person.pk]
    a_second_later = in_person.starts_at + timedelta(seconds=1)
    utc = a_second_later.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")
    assert only(starts_after=utc) == [full, online.pk]
    naive = local(a_second_later).replace(tzinfo=None).isoformat()
    assert only(starts_after=naive) == [full, online.pk]
    # A `+` left unencoded in the query string arrives as a space: still understood.
    raw = api.get(f"sessions/?starts_before={exact}")
    assert ids(raw) == [in_person.pk]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("skill", "no-such-skill"),
        ("level", "expert"),
        ("format", "podcast"),
        ("institute", "jazari-nowhere"),
        ("mode", "telepathy"),
        ("language", "xx"),
        ("starts_after", "2026-13-01"),
        ("starts_after", "2026-02-30"),
        ("starts_after", "tomorrow"),
        ("starts_before", "2026-03-01T25:00:00"),
        ("starts_before", "01/03/2026"),
        ("starts_after", "0001-01-01"),
        ("starts_before", "9999-12-31"),
        ("starts_after", "2026-03-01T09:00:00+99:00"),
        ("q", "x" * 201),
        ("skill", "a\x00b"),
    ],
)
def test_session_filters_reject_bad_values_naming_the_parameter(api, network, param, value):
    response = api.get("sessions/", {param: value})
    assert_error(response, 400, param)


def test_session_filters_repeated_mean_any_of_their_values(api, network):
    """`?level=beginner&level=advanced` is either level, for every facet; facets still AND;
    an invalid value among valid ones is a 400 naming the parameter and the value."""
    arabic = factories.session(
        network["llm"], starts_in=timedelta(days=30), language="ar", mode="hybrid"
    )
    intro_in_person = network["intro_in_person"].pk
    intro_online = network["intro_online"].pk
    llm_full = network["llm_full"].pk
    everything = [intro_in_person, llm_full, arabic.pk, intro_online]

    def only(**params):
        return ids(api.get("sessions/", params))

    assert only(level=["beginner", "advanced"]) == everything
    assert only(format=["workshop", "seminar"]) == [llm_full, arabic.pk]
    assert only(skill=["traitement-de-larabe", "apprentissage-supervise"]) == everything
    assert only(institute=["jazari-root", "jazari-institute-fes"]) == everything
    assert only(mode=["hybrid", "in_person"]) == [intro_in_person, arabic.pk]
    assert only(language=["ar", "en"]) == [arabic.pk]
    assert only(mode=["online", "hybrid"], institute="jazari-root") == [intro_online]
    assert only(mode=["online", "hybrid"], level=["advanced", "intermediate"]) == [
        llm_full,
        arabic.pk,
    ]
    assert only(level=["beginner", "beginner", ""]) == [intro_in_person, intro_online]
    assert_error(api.get("sessions/", {"level": ["beginner", "expert"]}), 400, "level", "expert")
    assert_error(
        api.get("sessions/", {"skill": ["apprentissage-supervise", "nope"]}), 400, "skill", "nope"
    )
    assert_error(api.get("sessions/", {"mode": ["online", "x\x00"]}), 400, "mode")


def test_course_filters_repeated_mean_any_of_their_values(api, network):
    """Every facet of the courses list takes several values (OR); facets and the session
    filters still AND, `mode` and `free` holding for one session."""

    def titles(**params):
        response = api.get("courses/", params)
        assert response.status_code == 200, response.text
        return [course["title"] for course in response.json()["results"]]

    intro, llm, policy = (
        "Introduction au machine learning",
        "LLM et langue arabe",
        "IA pour l'administration publique",
    )
    assert titles(format=["workshop", "seminar"]) == [policy, llm]
    assert titles(level=["beginner", "advanced"]) == [policy, intro, llm]
    assert titles(skill=["traitement-de-larabe", "apprentissage-supervise"]) == [intro, llm]
    assert titles(category=["langues"], format=["course", "workshop"]) == [llm]
    assert titles(institute=["jazari-root", "jazari-institute-fes"], level="advanced") == [llm]
    assert titles(region=["fes-meknes", "oriental"]) == [llm]
    assert titles(language=["ar", "en"], format=["course", "seminar"]) == [intro]
    assert titles(audience=["researchers", "public-servants"]) == [policy, llm]
    assert titles(mode=["online", "hybrid"]) == [intro, llm]
    # The workshop's only online session is full: not "online or hybrid with free seats".
    assert titles(mode=["online", "hybrid"], free="true") == [intro]
    assert_error(api.get("courses/", {"format": ["workshop", "podcast"]}), 400, "format", "podcast")
    assert_error(
        api.get("courses/", {"audience": ["students", "aliens"]}), 400, "audience", "aliens"
    )


def test_unknown_parameters_and_empty_values_are_ignored(api, network):
    everything = ids(api.get("sessions/"))
    assert ids(api.get("sessions/", {"colour": "blue", "skill": "", "starts_after": ""})) == (
        everything
    )


# Pagination


def test_pagination_pages_links_and_caps(api, network):
    """`page` and `page_size`; above 100 a page is capped; beyond the last page is a 404."""
    course = network["policy"]
    start = timezone.now() + timedelta(days=50)
    Session.objects.bulk_create(
        Session(
            course=course,
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n, minutes=30),
            institute=network["rabat"],
            sort_order=n,
        )
        for n in range(102)
    )
    total = 105

    first = api.get("sessions/", {"page_size": 2}).json()
    assert first["count"] == total
    assert len(first["results"]) == 2 and first["previous"] is None
    second = api.get(first["next"]).json()
    assert second["previous"] and len(second["results"]) == 2
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])

    default = api.get("sessions/").json()
    assert len(default["results"]) == 20
    capped = api.get("sessions/", {"page_size": 1000}).json()
    assert len(capped["results"]) == 100
    last = api.get("sessions/", {"page_size": 100, "page": 2}).json()
    assert len(last["results"]) == 5 and last["next"] is None
    for weird_size in ("0", "-3", "abc", "1e3"):
        assert len(api.get("sessions/", {"page_size": weird_size}).json()["results"]) == 20

    assert_error(api.get("sessions/", {"page_size": 100, "page": 3}), 404)
    for bad_page in ("0", "-1", "abc", "99999999999999999999999", "1.5"):
        assert_error(api.get("sessions/", {"page": bad_page}), 404)
    assert len(api.get("sessions/", {"page": "last", "page_size": 100}).json()["results"]) == 5


# Courses


def test_courses_list_and_detail(api, network):
    """Live courses by title with skills, organiser, languages, audiences, upcoming sessions."""
    factories.session(network["intro"], starts_in=timedelta(days=8), status="cancelled")
    body = api.get("courses/").json()
    assert set(body) == PAGE_KEYS
    titles = [course["title"] for course in body["results"]]
    assert titles == [
        "IA pour l'administration publique",
        "Introduction au machine learning",
        "LLM et langue arabe",
    ]
    llm = body["results"][2]
    assert set(llm) == {
        "id",
        "title",
        "text_language",
        "url",
        "format",
        "level",
        "summary",
        "duration_hours",
        "institute",
        "skills",
        "languages",
        "audiences",
        "sessions",
    }
    assert llm["url"] == f"{api.base_url}/courses/jazari-institute-fes/llm-et-langue-arabe/"
    assert (llm["format"], llm["level"], llm["duration_hours"]) == ("workshop", "advanced", 7)
    assert llm["summary"] == "Résumé de LLM et langue arabe."
    assert llm["institute"] == {
        "slug": "jazari-institute-fes",
        "name": "Jazari Institute Fès",
        "text_language": "fr",
    }
    assert llm["skills"] == [
        {
            "slug": "apprentissage-supervise",
            "name": "Apprentissage supervisé",
            "text_language": "fr",
            "level": 4,
        },
        {
            "slug": "traitement-de-larabe",
            "name": "Traitement de l'arabe",
            "text_language": "fr",
            "level": 4,
        },
    ]
    assert [language["code"] for language in llm["languages"]] == ["ar"]
    assert [audience["slug"] for audience in llm["audiences"]] == ["researchers"]
    [session] = llm["sessions"]
    assert session["id"] == network["llm_full"].pk
    assert set(session) == SESSION_KEYS - {"course"}
    assert session["institute"]["slug"] == "jazari-institute-fes"
    # The seminar's only session is past; the cancelled session of the intro is left out.
    assert body["results"][0]["sessions"] == []
    assert [s["id"] for s in body["results"][1]["sessions"]] == [
        network["intro_in_person"].pk,
        network["intro_online"].pk,
    ]

    detail = api.get(f"courses/{network['llm'].pk}/")
    assert detail.status_code == 200
    assert detail.json() == llm


def test_course_filters(api, network):
    def titles(**params):
        response = api.get("courses/", params)
        assert response.status_code == 200, response.text
        return [course["title"] for course in response.json()["results"]]

    assert titles(format="workshop") == ["LLM et langue arabe"]
    assert titles(skill="traitement-de-larabe") == ["LLM et langue arabe"]
    assert titles(institute="jazari-root", level="beginner") == [
        "IA pour l'administration publique",
        "Introduction au machine learning",
    ]
    assert titles(language="ar") == ["Introduction au machine learning", "LLM et langue arabe"]
    assert titles(mode="online", free="true") == ["Introduction au machine learning"]
    day = local(network["intro_online"].starts_at).date()
    assert titles(starts_after=day.isoformat()) == ["Introduction au machine learning"]
    assert_error(api.get("courses/", {"starts_after": "soon"}), 400, "starts_after")
    assert_error(api.get("courses/", {"audience": "aliens"}), 400, "audience")
    assert_error(api.get("courses/", {"region": "atlantis"}), 400, "region")


def test_course_detail_unknown_unpublished_and_malformed_ids_are_404(api, network):
    network["policy"].unpublish()
    assert_error(api.get(f"courses/{network['policy'].pk}/"), 404)
    assert_error(api.get("courses/999999/"), 404)
    assert_error(api.get("courses/99999999999999999999999/"), 404)
    assert_error(api.get(f"courses/{network['rabat'].pk}/"), 404)  # a page, not a course
    assert_error(api.get("courses/abc/"), 404)
    assert_error(api.get("courses/-1/"), 404)


# Skills and institutes


def test_skills_with_their_category(api, network):
    body = api.get("skills/").json()
    assert body["count"] == 2
    by_slug = {skill["slug"]: skill for skill in body["results"]}
    assert by_slug["traitement-de-larabe"] == {
        "slug": "traitement-de-larabe",
        "name": "Traitement de l'arabe",
        "description": "",
        "esco_uri": "",
        "text_language": "fr",
        "category": {
            "slug": "langues",
            "name": "Langues",
            "description": "",
            "text_language": "fr",
        },
    }
    only = api.get("skills/", {"category": "langues"}).json()["results"]
    assert [skill["slug"] for skill in only] == ["traitement-de-larabe"]
    assert_error(api.get("skills/", {"category": "astrology"}), 400, "category")


def test_institutes_of_the_network(api, network):
    network["rabat"].latitude = "34.020882"
    network["rabat"].longitude = "-6.841650"
    network["rabat"].address = "Avenue Mohammed VI, Rabat"
    network["rabat"].save()
    body = api.get("institutes/").json()
    assert [institute["slug"] for institute in body["results"]] == [
        "jazari-root",
        "jazari-institute-fes",
    ]
    root = body["results"][0]
    assert root == {
        "slug": "jazari-root",
        "name": "Jazari Root",
        "text_language": "fr",
        "region": "rabat-sale-kenitra",
        "city": "Rabat",
        "address": "Avenue Mohammed VI, Rabat",
        "latitude": pytest.approx(34.020882),
        "longitude": pytest.approx(-6.84165),
        "is_hub": True,
        "url": f"{api.base_url}/institutes/jazari-root/",
    }
    assert body["results"][1]["latitude"] is None
    fes = api.get("institutes/", {"region": "fes-meknes"}).json()["results"]
    assert [institute["slug"] for institute in fes] == ["jazari-institute-fes"]
    assert_error(api.get("institutes/", {"region": "mars"}), 400, "region")


# Errors anywhere under /api/v1/


def test_unknown_paths_methods_and_tokens_answer_json(api, network):
    assert_error(api.get("nothing-here/"), 404)
    missing_slash = assert_error(api.get("sessions"), 404)
    assert "/api/v1/sessions/" in missing_slash["detail"]
    assert_error(api.get("sessions/%0Anewline/"), 404)
    assert_error(api.call("POST", "me/enrolments/%C3%94%0A/cancel/"), 404)
    assert_error(api.call("DELETE", "sessions/"), 405)
    assert_error(api.call("POST", "courses/"), 405)
    # A public list with a wrong token is refused rather than served anonymously.
    wrong = api.get("sessions/", headers={"Authorization": "Bearer not-a-token"})
    assert_error(wrong, 401)
    assert wrong.headers["WWW-Authenticate"] == "Bearer"


# A fixed number of queries per page (in process, where queries can be counted)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.django_db
def test_lists_run_a_fixed_number_of_queries_whatever_the_page_size(network, tree):
    skills = [network["ml"], network["nlp"]]
    institutes = [network["rabat"], network["fes"]]
    for number in range(30):
        course = factories.course(
            tree,
            f"Formation {number:02d}",
            institutes[number % 2],
            skills=[(skills[number % 2], SkillLevel.FOUNDATION)],
            languages=("fr", "ar"),
            audiences=("students", "researchers"),
        )
        factories.session(course, starts_in=timedelta(days=3 + number), mode="in_person")
        factories.session(course, starts_in=timedelta(days=4 + number), mode="online")
    client = Client()
    client.get("/api/v1/sessions/")  # warm Wagtail's cached site root paths

    for path in ("sessions/", "courses/", "skills/", "institutes/"):
        small = count_queries(client, f"/api/v1/{path}?page_size=1")
        large = count_queries(client, f"/api/v1/{path}?page_size=60")
        assert small == large, path
        assert large <= 8, path
    filtered = "/api/v1/sessions/?skill=apprentissage-supervise&institute=jazari-root&q=formation"
    client.get(filtered)  # the first search loads what the search backend caches
    assert count_queries(client, filtered + "&page_size=1") == count_queries(
        client, filtered + "&page_size=60"
    )
    # Several values of a filter cost what one does.
    one = "skill=apprentissage-supervise&institute=jazari-root&level=beginner&language=fr"
    several = (
        f"{one}&skill=traitement-de-larabe&institute=jazari-institute-fes&level=advanced"
        "&language=ar"
    )
    for path in ("sessions/", "courses/"):
        assert count_queries(client, f"/api/v1/{path}?{several}") == count_queries(
            client, f"/api/v1/{path}?{one}"
        ), path
    # A course's page costs the same with one session or twenty.
    busy = network["policy"]
    for day in range(20):
        factories.session(busy, starts_in=timedelta(days=60 + day))
    assert count_queries(client, f"/api/v1/courses/{network['llm'].pk}/") == count_queries(
        client, f"/api/v1/courses/{busy.pk}/"
    )
