"""`seed_demo` offers course material and issues the certificates of completed enrolments.

The tests read one small seed, made once for the module (see `tests.seeding`); those that
change it or seed again do so in their own savepoint. Fewer courses, on S3:
`test_command_seed_demo_options`.
"""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Collection, GroupCollectionPermission, ModelLogEntry, Revision

from certificates.models import Certificate
from certificates.services import revoke
from courses.models import CoursePage
from demo.materials import DEMO_FILES
from demo.users import demo_learners
from enrolments.models import Enrolment, EnrolmentStatus, Notification
from materials.models import InstituteCollection, JazariDocument, Material, Visibility
from materials.validation import check_content
from tests.seeding import PASSWORDS, SMALL, seed, seeded_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """`seed_demo` with the small options, once for the module: its output."""
    media = tmp_path_factory.mktemp("media")
    with seeded_once(django_db_blocker, media, *SMALL, *PASSWORDS) as output:
        yield output


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


def test_seed_attaches_real_demo_material_to_published_courses(seeded):
    """Every demo file, real bytes of its type, labelled demo, in the collection of the
    course's institute, published with the page."""
    output = seeded
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


def test_completed_enrolments_have_one_valid_certificate_without_a_pdf(seeded):
    """Each completed enrolment of a demo learner has one valid certificate of completion,
    each enrolment present at a meeting one of attendance, their PDF left to the first
    download, their emails not sent; learner 1 has one."""
    output = seeded
    learners = demo_learners(3)
    mine = Enrolment.objects.filter(learner__in=learners.values())
    completed = mine.filter(status=EnrolmentStatus.COMPLETED)
    attended = mine.filter(
        status__in=[EnrolmentStatus.ATTENDED, EnrolmentStatus.COMPLETED],
        attendances__present=True,
        session__ends_at__lte=timezone.now(),
    ).distinct()
    assert completed.exists() and attended.count() > completed.count()
    assert f"{completed.count() + attended.count()} certificates" in output
    for enrolment in completed:
        assert enrolment.certificates.valid().filter(kind="completion").count() == 1
    for enrolment in attended:
        assert enrolment.certificates.valid().filter(kind="attendance").count() == 1
    assert not Certificate.objects.filter(kind="completion").exclude(enrolment__in=completed)
    assert not Certificate.objects.filter(kind="attendance").exclude(enrolment__in=attended)
    assert not Certificate.objects.exclude(pdf="").exists()  # rendered on first download
    assert not Notification.objects.filter(kind="certificate_ready", sent_at__isnull=True)
    assert completed.filter(learner=learners[1]).exists()


def test_learner1_sees_a_certificate_in_the_portfolio(seeded, client):
    """Learner 1's dashboard links to their certificate's PDF."""
    learner = demo_learners(1)[1]
    certificate = Certificate.objects.valid().filter(enrolment__learner=learner).first()
    assert certificate is not None
    client.force_login(learner)
    html = client.get("/dashboard/").content.decode()
    assert f'href="/certificates/{certificate.code}/pdf/"' in html


def test_learner1_gets_a_completed_enrolment_when_the_plan_gave_none(seeded):
    """Without a completed enrolment, learner 1 gets one in a past session with a free seat."""
    learner = demo_learners(1)[1]
    mine = Enrolment.objects.filter(learner=learner, status=EnrolmentStatus.COMPLETED)
    Certificate.objects.filter(enrolment__learner=learner).delete()
    mine.update(status=EnrolmentStatus.ATTENDED)

    seed(*SMALL, *PASSWORDS)
    showcase = Enrolment.objects.get(learner=learner, status=EnrolmentStatus.COMPLETED)
    assert showcase.session.ends_at < showcase.certificates.get(kind="completion").issued_at
    assert showcase.attendances.filter(present=True).exists()
    assert showcase.session.confirmed_count <= showcase.session.capacity


def test_rerun_creates_nothing_new_and_gives_a_lost_file_back(seeded):
    """A rerun creates no material, document, certificate, revision or log entry, and writes
    back the file of a document that storage lost."""
    document = JazariDocument.objects.order_by("pk").first()
    name = document.file.name
    document.file.storage.delete(name)
    before = snapshot()

    output = seed(*SMALL, *PASSWORDS)
    assert snapshot() == before
    assert "Material: 0 created, 0 documents created" in output
    assert "Certificates: 0 issued." in output
    assert "0 created, 0 updated, 12 unchanged" in output
    assert "1 files restored" in output
    document.refresh_from_db()
    assert document.file.storage.exists(document.file.name)
    assert_material_is_real(document.materials.first())
    # Under the same name: the module's seed, restored after this test, finds its file.
    assert document.file.name == name


def test_rerun_leaves_a_revoked_certificate_revoked(seeded):
    """A certificate an editor revoked is not replaced by a new valid one of its kind on the
    next seed."""
    certificate = Certificate.objects.valid().filter(kind="completion").order_by("pk").first()
    revoke(certificate, actor=None, reason="Issued by mistake")

    output = seed(*SMALL, *PASSWORDS)
    assert "Certificates: 0 issued." in output
    same = Certificate.objects.filter(enrolment=certificate.enrolment_id, kind="completion")
    assert not same.valid().exists()
    assert same.count() == 1


def test_institute_editors_hold_document_permissions_on_their_collection_only(seeded):
    """After seeding, each institute's editors group may add, change and choose documents in
    its institute's collection, and holds no document permission on the root collection."""
    documents = GroupCollectionPermission.objects.filter(
        permission__content_type__app_label="wagtaildocs"
    )
    root = Collection.get_first_root_node()
    links = InstituteCollection.objects.select_related("institute")
    assert links.exists()
    for link in links:
        group = link.institute.editors_id
        assert not documents.filter(group_id=group, collection=root).exists()
        assert set(
            documents.filter(group_id=group, collection=link.collection).values_list(
                "permission__codename", flat=True
            )
        ) == {"add_document", "change_document", "choose_document"}
