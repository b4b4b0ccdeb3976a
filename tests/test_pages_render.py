"""What the public pages show: home, catalogue, course, institute and skill pages."""

import json
import re
from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from courses.filters import CatalogueFilter
from courses.models import CourseFormat, CourseLevel, SessionMode
from tests import factories

pytestmark = pytest.mark.django_db

OFFSET = re.compile(r"T\d\d:\d\d(:\d\d(\.\d+)?)?[+-]\d\d:\d\d$")


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def text(element):
    return " ".join(element.get_text(" ", strip=True).split())


def card_titles(soup, selector=".course-card__title"):
    return [text(title) for title in soup.select(selector)]


def fr(label):
    """A lazy label as French pages (the default language, no prefix) print it."""
    with translation.override("fr"):
        return str(label)


def numbers(element):
    """The integers in an element's text: "7 places restantes sur 12" → [7, 12]."""
    return [int(n) for n in re.findall(r"\d+", text(element))]


def seats_cell(row):
    """The "seats" cell of a row of the course page's sessions table."""
    return row.find_all("td")[3]


def facet_options(soup, name):
    """{label: count} of the facet `name` as shown in the catalogue's sidebar."""
    summary = soup.find("summary", id=f"facet-{name}")
    assert summary is not None, f"no facet {name}"
    options = {}
    for option in summary.find_parent("details").select(".facet__option"):
        label = text(option.select_one(".facet__label"))
        count = text(option.select_one(".facet__count")).strip("()")
        options[label] = int(count.replace("\u202f", "").replace(",", ""))
    return options


# Home


def test_home_shows_the_network_in_figures(client, small_network):
    """The home page counts live courses, upcoming sessions, open seats, institutes, regions."""
    soup = soup_of(client.get("/"))
    values = [text(v) for v in soup.select(".figures__value")]
    # 3 courses; 3 upcoming sessions; 7 + 20 + 0 open seats; 2 institutes in 2 regions.
    assert values == ["3", "3", "27", "2", "2"]


def test_home_figures_ignore_unpublished_courses(client, small_network):
    """An unpublished course and its sessions leave the home page's figures."""
    small_network["intro"].unpublish()
    soup = soup_of(client.get("/"))
    assert [text(v) for v in soup.select(".figures__value")][:3] == ["2", "1", "0"]


def test_home_lists_upcoming_sessions_soonest_first(client, small_network):
    """Upcoming sessions appear soonest first; past sessions and their courses don't."""
    soup = soup_of(client.get("/"))
    section = soup.find(id="upcoming-title").find_parent("section")
    assert card_titles(section, ".session-card__title") == [
        "Introduction au machine learning",
        "LLM et langue arabe",
        "Introduction au machine learning",
    ]
    assert [numbers(seats) for seats in section.select(".seats")] == [[7, 12], [2], [20, 20]]
    assert "IA pour l'administration publique" not in text(section)


def test_home_shows_an_empty_state_without_sessions(client, tree):
    """With no upcoming session the home page says so instead of an empty list."""
    soup = soup_of(client.get("/"))
    section = soup.find(id="upcoming-title").find_parent("section")
    assert section.select(".session-card") == []
    assert section.select_one(".empty") is not None


# Catalogue


def test_catalogue_lists_every_live_course(client, small_network):
    """`/courses/` lists the three courses, next session first, with their count."""
    response = client.get("/courses/")
    assert response.status_code == 200
    soup = soup_of(response)
    assert card_titles(soup) == [
        "Introduction au machine learning",
        "LLM et langue arabe",
        "IA pour l'administration publique",
    ]
    assert text(soup.find(id="results-title")).startswith("3 ")
    links = [a["href"] for a in soup.select(".course-card__title a")]
    assert links[0] == "/courses/jazari-root/introduction-au-machine-learning/"


def test_catalogue_shows_facet_counts(client, small_network):
    """Facets show how many courses each value gives."""
    soup = soup_of(client.get("/courses/"))
    formats = facet_options(soup, "format")
    assert formats == {fr(label): 0 for label in CourseFormat.labels} | {
        fr(CourseFormat.COURSE.label): 1,
        fr(CourseFormat.WORKSHOP.label): 1,
        fr(CourseFormat.SEMINAR.label): 1,
    }
    assert facet_options(soup, "level") == {
        fr(CourseLevel.BEGINNER.label): 2,
        fr(CourseLevel.INTERMEDIATE.label): 0,
        fr(CourseLevel.ADVANCED.label): 1,
    }
    assert facet_options(soup, "mode")[fr(SessionMode.ONLINE.label)] == 2


def checked(soup):
    """{facet: [ticked values]} of the catalogue's filter form."""
    values = {}
    for box in soup.select("#catalogue-form .facet input[type=checkbox][checked]"):
        values.setdefault(box["name"], []).append(box["value"])
    return values


def test_catalogue_filter_narrows_the_list(client, small_network):
    """`?format=workshop` lists the workshop only and ticks its facet option."""
    soup = soup_of(client.get("/courses/?format=workshop"))
    assert card_titles(soup) == ["LLM et langue arabe"]
    selected = soup.select_one(".facet__option.is-selected")
    assert text(selected.select_one(".facet__label")) == fr(CourseFormat.WORKSHOP.label)
    assert checked(soup) == {"format": ["workshop"]}


def test_catalogue_facets_are_checkboxes_of_one_get_form(client, small_network):
    """Every facet option is a checkbox of the GET form, named after its parameter; an option
    without courses is disabled unless ticked; the form has one submit button."""
    soup = soup_of(client.get("/courses/"))
    form = soup.select_one("form#catalogue-form")
    assert form["method"] == "get"
    level = form.select(".facet input[name=level]")
    assert [(box["type"], box["value"]) for box in level] == [
        ("checkbox", "beginner"),
        ("checkbox", "intermediate"),
        ("checkbox", "advanced"),
    ]
    disabled = {box["value"] for box in form.select(".facet input[name=level][disabled]")}
    assert disabled == {"intermediate"}
    # Each checkbox is named by its label, count included.
    label = level[0].find_parent("label")
    assert text(label) == f"{fr(CourseLevel.BEGINNER.label)} (2)"
    assert len(form.select("button[type=submit]")) == 1


def test_catalogue_two_values_of_a_facet_are_both_applied_and_ticked(client, small_network):
    """`?format=workshop&format=seminar` lists both, ticks both, one chip each."""
    response = client.get("/courses/?format=workshop&format=seminar&level=advanced")
    assert response.status_code == 200
    soup = soup_of(response)
    assert card_titles(soup) == ["LLM et langue arabe"]
    assert checked(soup) == {"format": ["seminar", "workshop"], "level": ["advanced"]}
    # Counts: formats with the level kept, its own values left out.
    assert facet_options(soup, "format")[fr(CourseFormat.WORKSHOP.label)] == 1
    assert facet_options(soup, "format")[fr(CourseFormat.SEMINAR.label)] == 0
    chips = {text(chip): chip["href"] for chip in soup.select(".active-filters a.chip")}
    workshop, seminar = fr(CourseFormat.WORKSHOP.label), fr(CourseFormat.SEMINAR.label)
    assert [href for label, href in chips.items() if workshop in label] == [
        "?format=seminar&level=advanced"
    ]
    assert [href for label, href in chips.items() if seminar in label] == [
        "?format=workshop&level=advanced"
    ]
    # Sorting keeps every value.
    sort_links = [a["href"] for a in soup.select("nav.sort a")]
    assert "?format=seminar&format=workshop&level=advanced&sort=title" in sort_links


def test_catalogue_invalid_value_among_valid_ones_is_a_400_with_them_applied(client, small_network):
    """`?format=workshop&format=podcast` answers 400 naming "podcast", and lists workshops."""
    response = client.get("/courses/?format=workshop&format=podcast")
    assert response.status_code == 400
    soup = soup_of(response)
    messages = [text(li) for li in soup.select(".alert--error li")]
    assert len(messages) == 1
    assert messages[0].startswith(f"{fr(CatalogueFilter.base_filters['format'].label)} “podcast”")
    assert card_titles(soup) == ["LLM et langue arabe"]
    assert checked(soup) == {"format": ["workshop"]}


def test_catalogue_invalid_filter_is_a_400_with_the_page(client, small_network):
    """`?level=expert` answers 400 with the message, and the whole catalogue still shows."""
    response = client.get("/courses/?level=expert")
    assert response.status_code == 400
    soup = soup_of(response)
    alert = soup.select_one(".alert--error")
    assert alert is not None and "expert" in text(alert)
    assert len(card_titles(soup)) == 3
    assert facet_options(soup, "level")[fr(CourseLevel.BEGINNER.label)] == 2
    assert soup.select_one("header.site-header") and soup.select_one("footer.site-footer")


@pytest.mark.parametrize("page", ["abc", "9999", "0", "-1", "1.5", "%00"])
def test_catalogue_bad_page_numbers_do_not_break(client, small_network, page):
    """A page number that isn't one shows a page of courses rather than an error."""
    response = client.get(f"/courses/?page={page}")
    assert response.status_code == 200
    assert len(card_titles(soup_of(response))) == 3


def test_catalogue_garbage_in_every_filter_is_a_400(client, small_network):
    """Nonsense in every parameter answers 400 with messages, never a 500."""
    query = (
        "skill=%3Cscript%3E&category=x&level=1&format=zzz&institute=nope&region=mars"
        "&language=xx&audience=cats&mode=teleport&starts_after=yesterday"
        "&starts_before=2026-13-45&free=maybe&sort=random"
    )
    response = client.get(f"/courses/?{query}")
    assert response.status_code == 400
    soup = soup_of(response)
    assert len(soup.select(".alert--error li")) >= 10
    assert "<script>" not in response.content.decode()


def test_catalogue_paginates_twelve_a_page(client, tree):
    """Past twelve courses the catalogue paginates, and page 2 holds the rest."""
    organiser = factories.institute(tree, "Jazari Root", is_hub=True)
    for number in range(14):
        factories.course(tree, f"Cours {number:02d}", organiser)
    first = soup_of(client.get("/courses/?sort=title"))
    second = soup_of(client.get("/courses/?sort=title&page=2"))
    assert card_titles(first) == [f"Cours {n:02d}" for n in range(12)]
    assert card_titles(second) == ["Cours 12", "Cours 13"]
    assert first.select_one("a[rel=next]")["href"] == "?sort=title&page=2"


def test_catalogue_pagination_keeps_every_value(client, tree):
    """The next page's link carries each ticked value of a facet."""
    organiser = factories.institute(tree, "Jazari Root", is_hub=True)
    for number in range(20):
        level = ("beginner", "advanced", "intermediate")[number % 3]
        factories.course(tree, f"Cours {number:02d}", organiser, level=level)
    soup = soup_of(client.get("/courses/?level=beginner&level=advanced&level=beginner"))
    assert len(card_titles(soup)) == 12
    next_url = soup.select_one("a[rel=next]")["href"]
    assert next_url == "?level=advanced&level=beginner&page=2"
    assert card_titles(soup_of(client.get(f"/courses/{next_url}"))) == ["Cours 18", "Cours 19"]


# Course page


def test_course_page_shows_sessions_with_seats_left(client, small_network):
    """The course page lists its upcoming sessions with the seats left of each."""
    soup = soup_of(client.get(small_network["intro"].url))
    assert text(soup.h1) == "Introduction au machine learning"
    rows = soup.select("tr.session-row")
    assert len(rows) == 2
    assert numbers(seats_cell(rows[0])) == [7, 12]
    assert numbers(seats_cell(rows[1])) == [20, 20]
    assert rows[0].find("time")["datetime"] == factories_iso(small_network["intro_in_person"])


def factories_iso(session):
    """The ISO 8601 start of a session in Casablanca time, as pages print it."""
    from zoneinfo import ZoneInfo

    return session.starts_at.astimezone(ZoneInfo("Africa/Casablanca")).isoformat()


def test_course_page_hides_past_sessions(client, small_network):
    """A course with only past sessions shows none and says so."""
    soup = soup_of(client.get(small_network["policy"].url))
    assert soup.select("tr.session-row") == []
    section = soup.find(id="sessions-title").find_parent("section")
    assert section.select_one(".empty") is not None


def test_course_page_shows_a_full_session_as_full(client, small_network):
    """A session whose seats are all taken shows no seat left and the "Full" state."""
    soup = soup_of(client.get(small_network["llm"].url))
    (row,) = soup.select("tr.session-row")
    assert "session-row--full" in row["class"]
    assert numbers(seats_cell(row)) == [2]  # "no seats left of 2"


def test_course_page_never_shows_the_online_link(client, small_network):
    """The meeting link of an online session is for enrolled learners only: never on the page."""
    response = client.get(small_network["intro"].url)
    assert small_network["intro_online"].online_url == "https://meet.example.com/secret"
    assert "meet.example.com/secret" not in response.content.decode()


def test_course_page_has_valid_json_ld(client, small_network):
    """The course page describes itself as a schema.org Course with dated, offset instances."""
    soup = soup_of(client.get(small_network["intro"].url))
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Course"
    assert data["name"] == "Introduction au machine learning"
    assert data["provider"]["name"] == "Jazari Root"
    instances = data["hasCourseInstance"]
    assert [i["@type"] for i in instances] == ["CourseInstance", "CourseInstance"]
    for instance in instances:
        assert OFFSET.search(instance["startDate"]), instance["startDate"]
        assert instance["startDate"][-6:] in ("+01:00", "+00:00")
        assert OFFSET.search(instance["endDate"])
        assert datetime.fromisoformat(instance["startDate"]).utcoffset() is not None
    assert instances[0]["remainingAttendeeCapacity"] == 7
    assert instances[1]["courseMode"] == "online"
    assert "secret" not in json.dumps(data)


def test_course_page_json_ld_cannot_close_its_script(client, tree):
    """A title with `</script>` stays inside the JSON-LD and is not injected into the page."""
    organiser = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Cours </script><script>alert(1)</script>", organiser)
    response = client.get(course.url)
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    data = json.loads(soup_of(response).find("script", type="application/ld+json").string)
    assert data["name"] == "Cours </script><script>alert(1)</script>"


def test_course_page_shows_a_cancelled_session_as_cancelled(client, small_network):
    """A cancelled upcoming session stays listed as cancelled, without a seat count."""
    factories.session(
        small_network["policy"], starts_in=timedelta(days=20), status="cancelled", capacity=9
    )
    soup = soup_of(client.get(small_network["policy"].url))
    (row,) = soup.select("tr.session-row")
    assert "session-row--cancelled" in row["class"]
    assert numbers(seats_cell(row)) == []


# Institute and skill pages


def test_institute_page_lists_its_courses_and_sessions(client, small_network):
    """An institute's page lists the courses it organises and its upcoming sessions."""
    soup = soup_of(client.get(small_network["rabat"].url))
    courses = soup.find(id="courses-title").find_parent("section")
    assert card_titles(courses) == [
        "IA pour l'administration publique",
        "Introduction au machine learning",
    ]
    sessions = soup.find(id="sessions-title").find_parent("section")
    assert card_titles(sessions, ".session-card__title") == [
        "Introduction au machine learning",
        "Introduction au machine learning",
    ]
    assert "LLM et langue arabe" not in text(soup.select_one("main"))


def test_skill_page_lists_the_courses_that_teach_it(client, small_network):
    """`/skills/<slug>/` names the skill and lists its courses by title."""
    response = client.get("/skills/apprentissage-supervise/")
    assert response.status_code == 200
    soup = soup_of(response)
    assert text(soup.h1) == "Apprentissage supervisé"
    assert card_titles(soup) == ["Introduction au machine learning", "LLM et langue arabe"]
    nlp = soup_of(client.get(f"/skills/{small_network['nlp'].slug}/"))
    assert card_titles(nlp) == ["LLM et langue arabe"]


def test_skills_index_lists_skills_by_category(client, small_network):
    """`/skills/` lists every category with links to its skills' pages."""
    soup = soup_of(client.get("/skills/"))
    links = {text(a): a["href"] for a in soup.select("a.skill-list__name")}
    assert links == {
        "Apprentissage supervisé": "/skills/apprentissage-supervise/",
        "Traitement de l'arabe": "/skills/traitement-de-larabe/",
    }


def test_unknown_skill_is_a_404(client, small_network):
    """An unknown skill slug answers 404 with the site's not-found page."""
    response = client.get("/skills/no-such-skill/")
    assert response.status_code == 404
    assert soup_of(response).select_one(".error-page") is not None


def test_unknown_course_is_a_404(client, small_network):
    """An unknown course path answers 404."""
    assert client.get("/courses/no-such-course/").status_code == 404
