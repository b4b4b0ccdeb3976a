"""`seed_demo` publishes demo learning paths of the seeded courses, idempotently."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision

from demo.paths import PATHS
from paths.models import LearningPathIndexPage, LearningPathPage, PathFollow

SMALL = ["--courses", "12", "--sessions-per-course", "3", "--learners", "3"]
PASSWORDS = ["--admin-password", "x", "--learner-password", "y"]


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, *PASSWORDS, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def path_rows():
    return {
        page.slug: [entry.course.slug for entry in page.path_courses.select_related("course")]
        for page in LearningPathPage.objects.order_by("path")
    }


@pytest.mark.django_db
def test_seed_publishes_paths_of_seeded_courses_and_follows(client):
    """Four live paths under `/paths/`, listing only seeded courses in order; the demo
    learners follow some; a path page shows a learner's progress."""
    output = seed(*SMALL)
    assert "4 learning paths" in output
    index = LearningPathIndexPage.objects.get(slug="paths")
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
    page = LearningPathPage.objects.get(slug="data-analyst")
    response = client.get(page.url)
    assert response.status_code == 200
    assert response.context["path"].progress is not None
    assert client.get("/paths/").status_code == 200


@pytest.mark.django_db
def test_rerun_changes_nothing_then_a_larger_run_extends_the_paths():
    """A second run writes no revision and no follow; more courses join the paths in order."""
    seed(*SMALL)
    before = (Revision.objects.count(), PathFollow.objects.count(), path_rows())
    seed(*SMALL)
    assert (Revision.objects.count(), PathFollow.objects.count(), path_rows()) == before

    seed("--courses", "32", "--sessions-per-course", "2", "--learners", "3")
    rows = path_rows()
    for item in PATHS:
        assert rows[item.slug] == [slug for slug, _note in item.courses]
    assert Page.find_problems() == ([], [], [], [], [])
