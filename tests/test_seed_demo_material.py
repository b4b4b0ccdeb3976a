"""`seed_demo` offers course material and issues the certificates of completed enrolments."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from wagtail.models import ModelLogEntry, Revision

from certificates.models import Certificate
from certificates.services import revoke
from courses.models import CoursePage
from demo.materials import DEMO_FILES
from demo.users import demo_learners
from enrolments.models import Enrolment, EnrolmentStatus
from materials.models import InstituteCollection, JazariDocument, Material, Visibility
from materials.validation import check_content

SMALL = ["--courses", "12", "--sessions-per-course", "3", "--learners", "3"]
PASSWORDS = ["--admin-password", "x", "--learner-password", "y"]


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, *PASSWORDS, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (
            JazariDocument,
            Material,
            Certificate,
            Enrolment,
            Revision,
            ModelLogEntry,
            InstituteCollection,
        )
    }


def assert_material_is_real(material):
    document = material.document
    with document.file.open("rb") as handle:
        check_content(handle, document.file.name)  # raises if the bytes don't match
        handle.seek(0)
        data = handle.read()
    assert data and document.file_size == len(data)
    if document.file_extension == "pdf":
        assert len(PdfReader(io.BytesIO(data)).pages) == 3
    return data


@pytest.mark.django_db
def test_seed_attaches_real_demo_material_to_published_courses():
    output = seed(*SMALL)
    assert f"{len(DEMO_FILES)} materials" in output
    assert f"Material: {len(DEMO_FILES)} created" in output

    materials = list(Material.objects.select_related("document", "course", "session"))
    assert len(materials) == len(DEMO_FILES) == JazariDocument.objects.count()
    assert {m.document.file_extension for m in materials} == {"pdf", "csv", "ipynb", "txt"}
    assert {m.visibility for m in materials} == set(Visibility.values)
    tied = [m for m in materials if m.session_id]
    assert len(tied) == 1 and tied[0].session.course_id == tied[0].course_id

    collections = dict(InstituteCollection.objects.values_list("institute_id", "collection_id"))
    for material in materials:
        data = assert_material_is_real(material)
        label = "démonstration" if "démonstration" in material.document.title else "demo"
        assert label in material.document.title.lower()
        if material.document.file_extension != "pdf":
            assert b"demo" in data.lower() or "démo".encode() in data.lower()
        # In the collection of the course's institute.
        assert material.document.collection_id == collections[material.course.institute_id]

    # Published with the page: the live revision lists the same material.
    for course in CoursePage.objects.filter(materials__isnull=False).distinct():
        assert course.live and not course.has_unpublished_changes
        assert course.live_revision_id == course.latest_revision_id
        live = course.live_revision.as_object()
        assert {m.document_id for m in live.materials.all()} == {
            m.document_id for m in Material.objects.filter(course=course)
        }


@pytest.mark.django_db
def test_fewer_courses_get_only_their_own_material():
    seed("--courses", "2", "--sessions-per-course", "1", "--learners", "1")
    slugs = {"ia-pour-tous", "python-pour-la-donnee"}
    assert set(Material.objects.values_list("course__slug", flat=True)) == slugs
    assert Material.objects.count() == len([f for f in DEMO_FILES if f.course in slugs])


@pytest.mark.django_db
def test_completed_enrolments_have_one_valid_certificate_without_a_pdf():
    output = seed(*SMALL)
    learners = demo_learners(3)
    completed = Enrolment.objects.filter(
        learner__in=learners.values(), status=EnrolmentStatus.COMPLETED
    )
    assert completed.exists()
    assert f"{completed.count()} certificates" in output
    for enrolment in completed:
        assert enrolment.certificates.valid().count() == 1
    assert not Certificate.objects.exclude(enrolment__in=completed).exists()
    assert not Certificate.objects.exclude(pdf="").exists()  # rendered on first download
    assert completed.filter(learner=learners[1]).exists()


@pytest.mark.django_db
def test_learner1_sees_a_certificate_in_the_portfolio(client):
    seed(*SMALL)
    learner = demo_learners(1)[1]
    certificate = Certificate.objects.valid().filter(enrolment__learner=learner).first()
    assert certificate is not None
    client.force_login(learner)
    html = client.get("/dashboard/").content.decode()
    assert f'href="/certificates/{certificate.code}/pdf/"' in html


@pytest.mark.django_db
def test_learner1_gets_a_completed_enrolment_when_the_plan_gave_none():
    seed(*SMALL)
    learner = demo_learners(1)[1]
    mine = Enrolment.objects.filter(learner=learner, status=EnrolmentStatus.COMPLETED)
    Certificate.objects.filter(enrolment__learner=learner).delete()
    mine.update(status=EnrolmentStatus.ATTENDED)

    seed(*SMALL)
    showcase = Enrolment.objects.get(learner=learner, status=EnrolmentStatus.COMPLETED)
    assert showcase.session.ends_at < showcase.certificates.get().issued_at
    assert showcase.session.confirmed_count <= showcase.session.capacity


@pytest.mark.django_db
def test_rerun_creates_nothing_new():
    seed(*SMALL)
    before = snapshot()
    output = seed(*SMALL)
    assert snapshot() == before
    assert "Material: 0 created, 0 documents created" in output
    assert "Certificates: 0 issued." in output
    assert "0 created, 0 updated, 12 unchanged" in output


@pytest.mark.django_db
def test_rerun_leaves_a_revoked_certificate_revoked():
    """A certificate an editor revoked is not replaced by a new valid one on the next seed."""
    seed(*SMALL)
    certificate = Certificate.objects.valid().order_by("pk").first()
    revoke(certificate, actor=None, reason="Issued by mistake")

    output = seed(*SMALL)
    assert "Certificates: 0 issued." in output
    assert not Certificate.objects.valid().filter(enrolment=certificate.enrolment_id).exists()
    assert Certificate.objects.filter(enrolment=certificate.enrolment_id).count() == 1


@pytest.mark.django_db
def test_rerun_gives_a_lost_file_back():
    seed(*SMALL)
    document = JazariDocument.objects.order_by("pk").first()
    document.file.storage.delete(document.file.name)
    before = snapshot()

    output = seed(*SMALL)
    assert "1 files restored" in output
    assert snapshot() == before
    document.refresh_from_db()
    assert document.file.storage.exists(document.file.name)
    assert_material_is_real(document.materials.first())


@pytest.mark.django_db
def test_material_goes_to_s3(s3):
    seed("--courses", "2", "--sessions-per-course", "1", "--learners", "1")
    keys = set(s3.keys())
    documents = JazariDocument.objects.all()
    assert documents.exists()
    for document in documents:
        assert document.file.name in keys
        check_content(io.BytesIO(s3.read(document.file.name)), document.file.name)
