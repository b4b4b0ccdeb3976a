"""`manage.py seed_demo` on an empty database, each test with options of its own: the defaults,
production settings and generated passwords, two courses with their material on S3.

The tests that read one small seed share it (`test_command_seed_demo`, `test_seed_demo_*`).
"""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from courses.models import CourseFormat, CoursePage, Session, SessionMode
from demo.materials import DEMO_FILES
from materials.models import JazariDocument, Material
from materials.validation import check_content
from tests.seeding import PASSWORDS, SMALL, demo_clock, seed

pytestmark = pytest.mark.django_db

AUDIENCE_SLUGS = {"students", "public-servants", "sme-staff", "startups", "researchers", "everyone"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Cover images and material go to a throwaway media folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _clock():
    with demo_clock():
        yield


def test_default_options_seed_every_format_audience_and_language():
    """`seed_demo` without options gives ~60 courses in every format, audience and language."""
    output = seed()
    courses = CoursePage.objects.live().originals()
    assert courses.count() == 60
    assert Session.objects.count() == 240
    assert set(courses.values_list("format", flat=True)) == set(CourseFormat)
    assert set(courses.values_list("audiences__slug", flat=True)) == AUDIENCE_SLUGS
    assert set(courses.values_list("languages__code", flat=True)) == {"fr", "ar", "en"}
    assert set(Session.objects.values_list("language", flat=True)) == {"fr", "ar", "en"}
    assert set(Session.objects.values_list("mode", flat=True)) == set(SessionMode)
    assert get_user_model().objects.filter(username__startswith="learner").count() == 20
    assert re.search(r"Seeded 60 courses, 240 sessions, .* in \d+\.\d s\.", output)


def test_production_needs_force_and_generated_passwords_are_printed_once(
    client, monkeypatch, settings
):
    """With production settings the command stops, unless --force is given; without
    passwords they are generated and printed, and a rerun keeps them and says so."""
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "jazari.settings.production")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        seed(*SMALL, *PASSWORDS)
    assert not CoursePage.objects.exists()

    output = seed("--courses", "1", "--sessions-per-course", "1", "--learners", "3", "--force")
    assert CoursePage.objects.originals().count() == 1
    admin_password = re.search(r"Generated admin password: (\S+)", output).group(1)
    learner_password = re.search(r"Generated learners password: (\S+)", output).group(1)
    staff_password = re.search(r"Generated staff password: (\S+)", output).group(1)

    again = seed("--courses", "1", "--sessions-per-course", "1", "--learners", "5", "--force")

    assert "Generated" not in again
    assert "existing password kept" in again
    assert client.login(username="admin", password=admin_password)
    assert client.login(username="learner5@example.com", password=learner_password)
    assert client.login(username="manager", password=staff_password)
    assert client.login(username="editor-jazari-root", password=staff_password)


def test_fewer_courses_get_only_their_own_material_and_it_goes_to_s3(s3):
    """Two courses get only their own material; on S3, each document's file is in the bucket,
    with the content its name promises."""
    seed("--courses", "2", "--sessions-per-course", "1", "--learners", "1", *PASSWORDS)
    slugs = {"ia-pour-tous", "python-pour-la-donnee"}
    assert set(Material.objects.values_list("course__slug", flat=True)) == slugs
    assert Material.objects.count() == len([f for f in DEMO_FILES if f.course in slugs])

    keys = set(s3.keys())
    documents = JazariDocument.objects.all()
    assert documents.exists()
    for document in documents:
        assert document.file.name in keys
        check_content(io.BytesIO(s3.read(document.file.name)), document.file.name)
