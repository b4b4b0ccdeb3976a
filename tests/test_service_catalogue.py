"""Catalogue filtering, facet counts and invalid values, through `courses.catalogue`."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from courses.catalogue import Catalogue
from courses.filters import CatalogueFilter
from skills.models import SkillLevel
from tests import factories
from tests.shared_data import built_once, fresh


@pytest.fixture(scope="module")
def network_once(django_db_setup, django_db_blocker):
    """The network, built once for the module (see `tests.shared_data`)."""
    with built_once(django_db_blocker):
        yield build_network(factories.site_tree())


@pytest.fixture
def network(network_once, db):
    """The module's network, read again for this test."""
    return fresh(network_once)


def build_network(tree):
    """Three courses in two regions with skills, modes and languages that differ."""
    rabat = factories.institute(tree, "Jazari Root", is_hub=True)
    fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
    ml = factories.skill("Apprentissage supervisé")
    nlp = factories.skill("Traitement de l'arabe", category="Langues")
    intro = factories.course(
        tree,
        "Introduction au machine learning",
        rabat,
        format="course",
        level="beginner",
        skills=[(ml, SkillLevel.FOUNDATION)],
        languages=("fr", "ar"),
        audiences=("students",),
    )
    llm = factories.course(
        tree,
        "LLM et langue arabe",
        fes,
        format="workshop",
        level="advanced",
        skills=[(ml, SkillLevel.ADVANCED), (nlp, SkillLevel.ADVANCED)],
        languages=("ar",),
        audiences=("researchers",),
    )
    policy = factories.course(
        tree,
        "IA pour l'administration publique",
        rabat,
        format="seminar",
        level="beginner",
        languages=("fr",),
        audiences=("public-servants",),
    )
    factories.session(intro, starts_in=timedelta(days=5), mode="in_person")
    factories.session(intro, starts_in=timedelta(days=40), mode="online")
    factories.session(
        llm, starts_in=timedelta(days=12), mode="online", capacity=2, confirmed_count=2
    )
    factories.session(policy, starts_in=timedelta(days=-30), mode="in_person")
    return {"intro": intro, "llm": llm, "policy": policy, "ml": ml, "nlp": nlp, "fes": fes}


def run(query="", tree=None):
    return Catalogue(QueryDict(query), parent=tree.catalogue if tree else None).result()


def titles(result):
    return sorted(course.title for course in result.page.object_list)


def facet(result, name):
    return {o.value: o.count for o in next(f for f in result.facets if f.name == name).options}


def options(result, name):
    """{value: option} of facet `name`."""
    return {o.value: o for o in next(f for f in result.facets if f.name == name).options}


def selected(result):
    """{facet: [selected values]} of the facets with a selected option."""
    chosen = {f.name: [o.value for o in f.options if o.selected] for f in result.facets}
    return {name: values for name, values in chosen.items() if values}


def test_no_filter_lists_every_live_course(network, tree):
    """Without filters the catalogue lists every live course, next session first."""
    result = run(tree=tree)
    assert result.total == 3
    assert [c.title for c in result.page.object_list] == [
        "Introduction au machine learning",
        "LLM et langue arabe",
        "IA pour l'administration publique",  # no upcoming session: last
    ]
    assert result.page.object_list[0].next_session.mode == "in_person"
    assert result.page.object_list[2].next_session is None


def test_unpublished_course_is_not_listed(network, tree):
    """A course taken offline disappears from the catalogue and its counts."""
    network["llm"].unpublish()
    result = run(tree=tree)
    assert result.total == 2
    assert facet(result, "format")["workshop"] == 0


def test_course_level_filters(network, tree):
    """Skill, category, level, format, region, institute, language and audience filter."""
    assert titles(run("skill=traitement-de-larabe", tree)) == ["LLM et langue arabe"]
    assert titles(run("category=langues", tree)) == ["LLM et langue arabe"]
    assert len(run("skill=apprentissage-supervise", tree).page.object_list) == 2
    assert titles(run("level=advanced", tree)) == ["LLM et langue arabe"]
    assert titles(run("format=seminar", tree)) == ["IA pour l'administration publique"]
    assert titles(run("region=fes-meknes", tree)) == ["LLM et langue arabe"]
    assert titles(run("institute=jazari-institute-fes", tree)) == ["LLM et langue arabe"]
    assert len(run("language=ar", tree).page.object_list) == 2
    assert titles(run("audience=public-servants", tree)) == ["IA pour l'administration publique"]


def test_session_filters_apply_to_one_upcoming_session(network, tree):
    """Mode, dates and free seats must hold for the same upcoming session."""
    assert titles(run("mode=online", tree)) == [
        "Introduction au machine learning",
        "LLM et langue arabe",
    ]
    # The full online session of the LLM workshop doesn't count as "free seats".
    assert titles(run("mode=online&free=1", tree)) == ["Introduction au machine learning"]
    # Past sessions never match.
    assert titles(run("mode=in_person", tree)) == ["Introduction au machine learning"]
    in_three_weeks = (timezone.now() + timedelta(days=20)).date()
    # The introduction's online session is in 40 days, after the range.
    assert titles(run(f"mode=online&starts_before={in_three_weeks}", tree)) == [
        "LLM et langue arabe"
    ]
    result = run(f"starts_after={in_three_weeks}", tree)
    assert titles(result) == ["Introduction au machine learning"]
    # "Next session" follows the session filters: the one after the range starts.
    assert result.page.object_list[0].next_session.mode == "online"


def test_facet_counts_keep_the_other_filters(network, tree):
    """Each facet counts the courses it would give with the other filters kept."""
    result = run("language=ar", tree)
    assert facet(result, "format") == {
        "course": 1,
        "seminar": 0,
        "workshop": 1,
        "codesign": 0,
        "bootcamp": 0,
        "webinar": 0,
    }
    # The language facet ignores the language filter itself.
    assert facet(result, "language")["fr"] == 2
    assert facet(result, "language")["ar"] == 2
    assert facet(result, "level") == {"beginner": 1, "intermediate": 0, "advanced": 1}
    assert facet(result, "mode") == {"in_person": 1, "online": 2, "hybrid": 0}
    assert facet(result, "skill") == {"apprentissage-supervise": 2, "traitement-de-larabe": 1}
    assert facet(result, "region")["fes-meknes"] == 1


def test_facet_links_toggle_their_value(network, tree):
    """A facet option links to the current filters with its value set, or removed if set."""
    result = run("language=ar&sort=title&page=2", tree)
    options = {o.value: o for o in next(f for f in result.facets if f.name == "level").options}
    assert options["advanced"].url == "?level=advanced&language=ar&sort=title"
    selected = next(
        o for f in result.facets if f.name == "language" for o in f.options if o.selected
    )
    assert selected.value == "ar"
    assert selected.url == "?sort=title"


def test_invalid_values_give_messages_and_are_ignored(network, tree):
    """Unknown values are reported one by one; the valid filters still apply."""
    result = run(
        "level=expert&skill=nope&starts_after=31-12-2026&sort=random&format=workshop", tree
    )
    assert titles(result) == ["LLM et langue arabe"]
    text = " ".join(str(e) for e in result.errors)
    assert "expert" in text and "nope" in text and "31-12-2026" in text and "random" in text
    assert len(result.errors) == 4


def test_free_text_matches_partial_words(network, tree):
    """The catalogue's search box matches whole and partial words of titles."""
    assert titles(run("q=administration", tree)) == ["IA pour l'administration publique"]
    assert titles(run("q=adminis", tree)) == ["IA pour l'administration publique"]


def test_pagination_and_active_filters(network, tree):
    """Pages follow the page size; active filters link to their removal."""
    result = Catalogue(QueryDict("language=ar"), parent=tree.catalogue, page_size=1).result()
    assert result.total == 2
    assert [link.number for link in result.page_links] == [1, 2]
    assert result.next_url == "?language=ar&page=2"
    assert [(f.value_label, f.remove_url) for f in result.active_filters] == [("العربية", "?")]


# Repeated parameters: several values of one facet


def test_values_of_one_facet_combine_with_or(network, tree):
    """`?level=beginner&level=advanced` lists the courses of either level, for every facet."""
    assert len(run("level=beginner&level=advanced", tree).page.object_list) == 3
    assert titles(run("format=workshop&format=seminar", tree)) == [
        "IA pour l'administration publique",
        "LLM et langue arabe",
    ]
    assert titles(run("skill=traitement-de-larabe&skill=apprentissage-supervise", tree)) == [
        "Introduction au machine learning",
        "LLM et langue arabe",
    ]
    assert titles(run("category=langues&format=seminar&format=course", tree)) == []
    assert titles(run("audience=students&audience=researchers", tree)) == [
        "Introduction au machine learning",
        "LLM et langue arabe",
    ]
    assert titles(run("region=fes-meknes&region=rabat-sale-kenitra", tree)) == titles(run("", tree))
    assert titles(run("institute=jazari-institute-fes&institute=jazari-root", tree)) == titles(
        run("", tree)
    )
    assert len(run("language=fr&language=ar", tree).page.object_list) == 3


def test_different_facets_combine_with_and(network, tree):
    """Values OR within a facet, facets AND between them."""
    both_levels = "level=beginner&level=advanced"
    assert titles(run(f"{both_levels}&format=workshop&format=seminar", tree)) == [
        "IA pour l'administration publique",
        "LLM et langue arabe",
    ]
    assert titles(run(f"{both_levels}&format=workshop&format=seminar&language=fr", tree)) == [
        "IA pour l'administration publique"
    ]


def test_several_modes_still_mean_one_session(network, tree):
    """(online or hybrid) and free seats must hold for one upcoming session."""
    # The workshop's online session is full; its in-person one has seats.
    factories.session(network["llm"], starts_in=timedelta(days=20), mode="in_person")
    assert titles(run("mode=online&mode=hybrid&free=1", tree)) == [
        "Introduction au machine learning"
    ]
    assert titles(run("mode=online&mode=in_person&free=1", tree)) == [
        "Introduction au machine learning",
        "LLM et langue arabe",
    ]
    in_three_weeks = (timezone.now() + timedelta(days=20)).date()
    # Before the range's end: the introduction's in-person session, the workshop's online one.
    assert titles(run(f"mode=online&mode=hybrid&starts_before={in_three_weeks}", tree)) == [
        "LLM et langue arabe"
    ]


def test_counts_with_two_values_of_a_facet_selected(network, tree):
    """A facet's counts leave its own values out and keep the other facets' filters."""
    result = run("level=beginner&level=advanced&language=fr", tree)
    assert titles(result) == [
        "IA pour l'administration publique",
        "Introduction au machine learning",
    ]
    # The level facet counts the French courses of each level, whichever levels are ticked.
    assert facet(result, "level") == {"beginner": 2, "intermediate": 0, "advanced": 0}
    # The language facet counts the courses of either level in each language.
    assert facet(result, "language")["fr"] == 2
    assert facet(result, "language")["ar"] == 2
    assert facet(result, "format") == {
        "course": 1,
        "seminar": 1,
        "workshop": 0,
        "codesign": 0,
        "bootcamp": 0,
        "webinar": 0,
    }
    assert selected(result) == {"level": ["beginner", "advanced"], "language": ["fr"]}


def test_a_selected_option_stays_shown_and_checked_without_courses(network, tree):
    """Ticked skills stay listed and checked even when the other filters leave them none."""
    result = run("skill=traitement-de-larabe&skill=apprentissage-supervise&format=seminar", tree)
    assert result.total == 0
    skills = options(result, "skill")
    assert {value: (o.count, o.selected) for value, o in skills.items()} == {
        "apprentissage-supervise": (0, True),
        "traitement-de-larabe": (0, True),
    }


def test_toggling_an_option_adds_or_removes_that_value_alone(network, tree):
    """An option's link adds its value to the facet's or removes it, keeping the others."""
    result = run("level=advanced&language=ar&language=fr&sort=title&page=2", tree)
    levels = options(result, "level")
    assert levels["beginner"].url == (
        "?level=advanced&level=beginner&language=ar&language=fr&sort=title"
    )
    assert levels["advanced"].url == "?language=ar&language=fr&sort=title"
    languages = options(result, "language")
    assert languages["ar"].url == "?level=advanced&language=fr&sort=title"
    assert languages["zgh"].url == "?level=advanced&language=ar&language=fr&language=zgh&sort=title"


def test_urls_are_canonical_values_sorted_and_duplicates_dropped(network, tree):
    """However the values come, the links list them once, sorted, facets in a fixed order."""
    query = "language=fr&level=beginner&level=&level=advanced&level=beginner&colour=blue&q="
    result = Catalogue(QueryDict(query), parent=tree.catalogue, page_size=1).result()
    assert result.next_url == "?level=advanced&level=beginner&language=fr&page=2"
    assert [option.url for option in result.sort_options][1] == (
        "?level=advanced&level=beginner&language=fr&sort=title"
    )
    assert [link.url for link in result.page_links] == [
        "?level=advanced&level=beginner&language=fr",
        "?level=advanced&level=beginner&language=fr&page=2",
    ]


def test_every_spelling_of_one_page_has_one_canonical_query(network, tree):
    """Order of values and parameters, duplicates, blanks and unknown names don't matter."""
    spellings = [
        "level=advanced&level=beginner&mode=online",
        "mode=online&level=beginner&level=advanced",
        "level=beginner&level=advanced&level=beginner&mode=online&q=&utm_source=mail",
        "level=%20beginner%20&level=advanced&mode=online&sort=soonest&page=1",
    ]
    queries = {Catalogue(QueryDict(spelling)).canonical_query for spelling in spellings}
    assert queries == {"?level=advanced&level=beginner&mode=online"}
    # Different pages, different queries; an invalid value keeps its own (it shows a message).
    others = ["level=advanced", "level=advanced&level=expert", "sort=title", "page=2"]
    assert len({Catalogue(QueryDict(q)).canonical_query for q in others}) == 4


def test_an_invalid_value_among_valid_ones_is_reported_and_left_out(network, tree):
    """Each invalid value gets a message naming the parameter and the value; the valid
    values of the same parameter still apply."""
    result = run(
        "level=advanced&level=expert&format=workshop&format=podcast&format=course"
        "&skill=nope&skill=traitement-de-larabe&skill=a%00b",
        tree,
    )
    assert titles(result) == ["LLM et langue arabe"]
    assert selected(result) == {
        "format": ["course", "workshop"],
        "level": ["advanced"],
        "skill": ["traitement-de-larabe"],
    }
    label = {name: str(f.label) for name, f in CatalogueFilter.base_filters.items()}
    errors = [str(error) for error in result.errors]
    assert len(errors) == 4
    for name, value in [("level", "expert"), ("format", "podcast"), ("skill", "nope")]:
        assert any(e.startswith(f"{label[name]} “{value}”") for e in errors), errors
    assert any(e.startswith(f"{label['skill']} “a\x00b”") for e in errors), errors
    # The links carry the valid values only.
    assert options(result, "mode")["online"].url == (
        "?format=course&format=workshop&level=advanced&mode=online&skill=traitement-de-larabe"
    )


def test_active_filters_list_each_value_with_its_own_remove_link(network, tree):
    """Two levels ticked: two entries, each removing its level and keeping the other."""
    result = run("level=beginner&level=advanced&free=1", tree)
    assert [(str(f.value_label), f.remove_url) for f in result.active_filters] == [
        ("Avancé", "?level=beginner&free=1"),
        ("Débutant", "?level=advanced&free=1"),
        ("oui", "?level=advanced&level=beginner"),
    ]
