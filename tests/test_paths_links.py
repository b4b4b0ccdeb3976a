"""Courses link to the learning paths that contain them: catalogue cards, skill and course
pages; the catalogue's cache is retired when a path changes and its query count stays fixed."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.cache import catalogue_version
from skills.models import SkillLevel
from tests import factories


@pytest.fixture
def path(small_network, tree):
    return factories.learning_path(
        tree, "Data analyst", [small_network["intro"], small_network["llm"]]
    )


@pytest.mark.django_db
def test_catalogue_cards_show_part_of_links(client, small_network, path):
    """The cards of the path's courses say "Part of:" ("Fait partie de :", the page is in
    French) with a link; the others don't."""
    response = client.get("/courses/")
    html = response.content.decode()
    assert html.count(f'href="{path.url}"') == 2
    assert html.count("Fait partie de :") == 2
    policy_card = html[html.index("IA pour l&#x27;administration publique</a>") :]
    assert "Fait partie de :" not in policy_card[: policy_card.index("</article>")]


@pytest.mark.django_db
def test_unpublished_path_is_not_linked(client, path):
    """A path taken down disappears from the cards at once (the cache is retired)."""
    assert path.url in client.get("/courses/").content.decode()
    path.unpublish()
    assert "Fait partie de :" not in client.get("/courses/").content.decode()


@pytest.mark.django_db
def test_path_changes_retire_the_catalogue_cache(small_network, path):
    """Publishing, unpublishing and deleting a path each bump the catalogue's version."""
    versions = [catalogue_version()]
    path.save_revision().publish()
    versions.append(catalogue_version())
    path.unpublish()
    versions.append(catalogue_version())
    path.delete()
    versions.append(catalogue_version())
    assert len(set(versions)) == 4


@pytest.mark.django_db
def test_skill_page_lists_paths_teaching_the_skill(client, small_network, path, tree):
    """The skill page lists the live paths with a course teaching the skill, once each."""
    other = factories.learning_path(tree, "Sans cette compétence", [small_network["policy"]])
    html = client.get(f"/skills/{small_network['nlp'].slug}/").content.decode()
    assert "Parcours d'apprentissage qui développent cette compétence" in html
    assert html.count(f'href="{path.url}"') == 1
    assert other.url not in html


@pytest.mark.django_db
def test_course_page_shows_its_paths(client, small_network, path):
    """The course page has a "Part of learning paths" block ("Fait partie des parcours
    d'apprentissage") with the path's link and role."""
    html = client.get(small_network["llm"].url).content.decode()
    assert "Fait partie des parcours d'apprentissage" in html
    assert f'href="{path.url}"' in html
    assert (
        "Fait partie des parcours" not in client.get(small_network["policy"].url).content.decode()
    )


def _catalogue_queries(client):
    client.get("/courses/")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/courses/").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_catalogue_query_count_with_paths_does_not_grow(client, tree, small_network):
    """With every course in a path, the catalogue runs as many queries with 30 courses as with
    6, and as many as with no path at all: the "Part of" links of a page of results cost one
    query, always run (28 queries before learning paths, 29 since)."""
    rabat, ml = small_network["rabat"], small_network["ml"]

    def add(start, stop):
        made = []
        for number in range(start, stop):
            course = factories.course(
                tree, f"Étape {number:02d}", rabat, skills=[(ml, SkillLevel.FOUNDATION)]
            )
            factories.session(course, starts_in=timedelta(days=3 + number))
            made.append(course)
        return made

    first = add(0, 3)
    without_paths = _catalogue_queries(client)
    factories.learning_path(tree, "Parcours A", first)
    factories.learning_path(tree, "Parcours B", first[:2])
    small = _catalogue_queries(client)
    more = add(3, 27)
    for number in range(0, len(more), 4):
        factories.learning_path(tree, f"Parcours {number}", more[number : number + 4])
    large = _catalogue_queries(client)

    print(f"\ncatalogue: {without_paths} queries without paths, {small} with, {large} larger")
    assert small == large
    assert small == without_paths
