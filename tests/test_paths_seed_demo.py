"""`seed_demo` publishes demo learning paths of the seeded courses, idempotently.

The tests read one small seed, made once for the module (see `tests.seeding`); the one that
seeds again does so in its own savepoint.
"""

import pytest
from wagtail.models import Page, Revision

from demo.paths import PATHS
from paths.models import LearningPathIndexPage, LearningPathPage, PathFollow
from tests.seeding import PASSWORDS, SMALL, seed, seeded_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """`seed_demo` with the small options, once for the module: its output."""
    media = tmp_path_factory.mktemp("media")
    with seeded_once(django_db_blocker, media, *SMALL, *PASSWORDS) as output:
        yield output


def path_rows():
    return {
        page.slug: [entry.course.slug for entry in page.path_courses.select_related("course")]
        for page in LearningPathPage.objects.originals().order_by("path")
    }


def test_seed_publishes_paths_of_seeded_courses_and_follows(seeded, client):
    """Four live paths under `/paths/`, listing only seeded courses in order; the demo
    learners follow some; a path page shows a learner's progress."""
    assert "4 learning paths" in seeded
    index = LearningPathIndexPage.objects.originals().get(slug="paths")
    assert index.live and index.get_parent().slug == "home"
    assert LearningPathPage.objects.child_of(index).live().count() == 4
    rows = path_rows()
    assert rows["ia-administration-publique"] == [
        "ia-pour-tous",
        "ia-generative-administration",
        "codesign-guichet-augmente",
    ]
    assert all(rows[item.slug] for item in PATHS)
    assert PathFollow.objects.filter(learner__username="learner1@example.com").count() == 2
    assert PathFollow.objects.count() == 4

    client.login(username="learner1@example.com", password="y")
    page = LearningPathPage.objects.originals().get(slug="data-analyst")
    response = client.get(page.url)
    assert response.status_code == 200
    assert response.context["path"].progress is not None
    assert client.get("/paths/").status_code == 200


def test_rerun_changes_nothing_then_a_larger_run_extends_the_paths(seeded):
    """A second run writes no revision and no follow; more courses join the paths in order."""
    before = (Revision.objects.count(), PathFollow.objects.count(), path_rows())
    seed(*SMALL, *PASSWORDS)
    assert (Revision.objects.count(), PathFollow.objects.count(), path_rows()) == before

    seed("--courses", "32", "--sessions-per-course", "2", "--learners", "3", *PASSWORDS)
    rows = path_rows()
    for item in PATHS:
        assert rows[item.slug] == [slug for slug, _note in item.courses]
    assert Page.find_problems() == ([], [], [], [], [])
