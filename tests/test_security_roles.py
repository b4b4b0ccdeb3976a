"""Who may do what, role by role: every cell of the matrix is asserted.

The roles are an anonymous visitor, a learner, the editors of two institutes (Fès, a regional
institute, and Jazari Root, the hub), a trainer who teaches Fès's course, a programme manager
and an administrator. The objects all belong to Fès: a course (live, with a draft change),
a course never published, a session with a learner, a certificate, a document not offered by
any material, "attended only" material. Each row of `MATRIX` names an action on them and the
roles that may take it; every other role must be refused, and no request may answer 500.
"""

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model

from certificates.models import Certificate
from courses.models import CourseInstructor, Instructor
from enrolments.models import Enrolment, EnrolmentStatus
from feedback.models import Feedback
from jazari.staff import PROGRAMME_MANAGERS_GROUP
from materials.collections import institute_collection
from tests import factories
from tests.accounts import log_in
from tests.certificates_helpers import complete
from tests.material_factories import document, enrol, material, pdf_bytes, superuser
from tests.shared_data import built_once, fresh

ROLES = ("anonymous", "learner", "fes_editor", "root_editor", "trainer", "manager", "admin")
# Who holds the admin's keys to Fès: its editors and the administrators.
FES_STAFF = {"fes_editor", "admin"}
# Who reads Fès's learners: those, and the programme manager.
FES_READERS = FES_STAFF | {"manager"}
STAFF = {"fes_editor", "root_editor", "manager", "admin"}

DRAFT_TITLE = "Atelier confidentiel de Fès"
LEARNER_NAME = "Leila Chraibi"
FEEDBACK_TEXT = "Des exemples tirés de la vie réelle"


@dataclasses.dataclass
class World:
    users: dict
    course: object  # Fès's live course, with unpublished changes
    draft: object  # Fès's course never published
    session: object  # its coming session
    enrolment: Enrolment  # Leila's confirmed seat
    certificate: Certificate  # of a past Fès session
    document: object  # in Fès's collection, offered by no material
    material: object  # attended only
    collection: object  # Fès's documents


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        tree = factories.site_tree()
        root = factories.institute(tree, "Jazari Root", is_hub=True)
        fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
        course = factories.course(tree, "Vision par ordinateur", fes)
        course.save_revision().publish()
        course.title = "Vision par ordinateur (brouillon)"
        course.save_revision()
        draft = factories.course(tree, DRAFT_TITLE, fes, live=False)
        session = factories.session(course, starts_in=timedelta(days=6), mode="in_person")
        past = factories.session(course, starts_in=timedelta(days=1))

        leila = factories.learner("leila@example.com", full_name=LEARNER_NAME)
        enrolment = enrol(leila, session)
        certificate = complete(
            factories.learner("omar@example.com", full_name="Omar Fassi"), past
        ).certificates.get()
        Feedback.objects.create(
            enrolment=certificate.enrolment, rating=4, would_recommend=True, useful=FEEDBACK_TEXT
        )
        collection = institute_collection(fes)
        loose = document(title="Notes internes de Fès", collection=collection)
        private = material(
            course, document(title="Corrigés", collection=collection), visibility="attended"
        )

        users = {
            "anonymous": None,
            "learner": factories.learner("amina@example.com", full_name="Amina Benali"),
            "fes_editor": factories.learner("editor-fes@example.com"),
            "root_editor": factories.learner("editor-root@example.com"),
            "trainer": factories.learner("trainer@example.com"),
            "manager": factories.learner("manager@example.com"),
            "admin": superuser(),
        }
        users["fes_editor"].groups.add(fes.editors)
        users["root_editor"].groups.add(root.editors)
        users["manager"].groups.add(Group.objects.get(name__iexact=PROGRAMME_MANAGERS_GROUP))
        teacher = Instructor.objects.create(name="Nadia Berrada", user=users["trainer"])
        CourseInstructor.objects.create(course=course, instructor=teacher)
        yield World(
            users, course, draft, session, enrolment, certificate, loose, private, collection
        )


@pytest.fixture
def world(world_once, db):
    return fresh(world_once)


def client_for(world, role):
    """A client signed in as `role` a moment ago (exports ask for a recent log-in)."""
    client = Client(raise_request_exception=False)
    if world.users[role] is not None:
        log_in(client, world.users[role])
    return client


@dataclasses.dataclass(frozen=True)
class Cell:
    """An action: how to take it, how to tell it was granted, and who may take it."""

    action: str
    request: Callable  # (client, world) → response
    granted: Callable  # (response, world) → bool
    roles: frozenset


def ok_with(text):
    """Granted when the answer is a page (200) showing `text`."""

    def granted(response, world):
        return response.status_code == 200 and text(world) in response.content.decode()

    return granted


def answered(response, world):
    return response.status_code == 200


def streamed_or_redirected_to_file(response, world):
    if response.status_code in (301, 302, 303, 307):
        return "/accounts/login/" not in response["Location"] and not response["Location"].endswith(
            "/admin/"
        )
    return response.status_code == 200


def get(url):
    return lambda client, world: client.get(url(world))


def post(url, data=None):
    return lambda client, world: client.post(url(world), data or {})


def upload_into_fes(client, world):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Support déposé",
            "file": SimpleUploadedFile("support.pdf", pdf_bytes(1)),
            "collection": str(world.collection.pk),
            "tags": "",
        },
    )


def uploaded(response, world):
    return (
        get_document_model()
        .objects.filter(title="Support déposé", collection=world.collection)
        .exists()
    )


def export_programme(client, world):
    return client.post(
        reverse("reports_exports:start"), {"kind": "enrolments", "file_format": "csv"}
    )


def exported_fes_rows(response, world):
    if response.status_code != 200:
        return False
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "Vision par ordinateur" in content.decode("utf-8-sig")


def enrolment_status_changed(response, world):
    return Enrolment.objects.get(pk=world.enrolment.pk).status == EnrolmentStatus.CANCELLED


def checked_in_or_not_today(response, world):
    """The check-in form answered (its session is not today: "not today"), rather than 404 or
    a log-in."""
    if response.status_code != 302:
        return False
    return urlsplit(response["Location"]).path.startswith("/dashboard/teaching/sessions/")


def certificate_revoked(response, world):
    return Certificate.objects.get(pk=world.certificate.pk).revoked_at is not None


MATRIX = [
    # Course pages
    Cell(
        "edit Fès's course",
        get(lambda w: f"/admin/pages/{w.course.pk}/edit/"),
        ok_with(lambda w: "Vision par ordinateur"),
        FES_STAFF,
    ),
    Cell(
        "see the draft of Fès's course",
        get(lambda w: f"/admin/pages/{w.course.pk}/view_draft/"),
        ok_with(lambda w: "Vision par ordinateur (brouillon)"),
        FES_STAFF,
    ),
    Cell(
        "read the history of Fès's course",
        get(lambda w: f"/admin/pages/{w.course.pk}/history/"),
        answered,
        FES_STAFF,
    ),
    Cell(
        "unpublish Fès's course",
        post(lambda w: f"/admin/pages/{w.course.pk}/unpublish/"),
        lambda response, world: not type(world.course).objects.get(pk=world.course.pk).live,
        # Fès's courses wait for Jazari Root's approval: its editors don't publish or unpublish.
        {"admin"},
    ),
    Cell(
        "find Fès's unpublished course in the page chooser",
        get(lambda w: f"/admin/choose-page/search/?q={DRAFT_TITLE.split()[0]}"),
        ok_with(lambda w: DRAFT_TITLE),
        FES_STAFF,
    ),
    # Documents and collections
    Cell(
        "edit a document of Fès's collection",
        get(lambda w: f"/admin/documents/edit/{w.document.pk}/"),
        ok_with(lambda w: "Notes internes de Fès"),
        FES_STAFF,
    ),
    Cell(
        "download a document no material offers",
        get(lambda w: w.document.url),
        streamed_or_redirected_to_file,
        FES_STAFF,
    ),
    Cell(
        "download attended-only material",
        get(lambda w: reverse("materials:download", args=[w.material.pk])),
        streamed_or_redirected_to_file,
        FES_STAFF,
    ),
    Cell("upload into Fès's collection", upload_into_fes, uploaded, FES_STAFF),
    # Sessions, enrolments and certificates
    Cell(
        "open the overview of Fès's session",
        get(lambda w: f"/admin/enrolments/sessions/{w.session.pk}/"),
        ok_with(lambda w: LEARNER_NAME),
        FES_READERS,
    ),
    Cell(
        "list Fès's learners",
        get(lambda w: "/admin/enrolments/"),
        ok_with(lambda w: LEARNER_NAME),
        FES_READERS,
    ),
    Cell(
        "open a Fès enrolment",
        get(lambda w: f"/admin/enrolments/{w.enrolment.pk}/"),
        ok_with(lambda w: LEARNER_NAME),
        FES_READERS,
    ),
    Cell(
        "see the participants of Fès's session",
        get(lambda w: reverse("learners:teaching_session", args=[w.session.pk])),
        ok_with(lambda w: LEARNER_NAME),
        # Those who take its attendance: its trainer and Fès's staff, not the manager (reads).
        FES_STAFF | {"trainer"},
    ),
    Cell(
        "check a learner of Fès's session in by ticket",
        lambda client, world: client.post(
            reverse("learners:teaching_checkin", args=[world.session.pk]),
            {"ticket": world.enrolment.ticket},
        ),
        checked_in_or_not_today,
        FES_STAFF | {"trainer"},
    ),
    Cell(
        "cancel a Fès enrolment",
        post(
            lambda w: (
                reverse("wagtail_bulk_action", args=["enrolments", "enrolment", "cancel"])
                + f"?id={w.enrolment.pk}"
            )
        ),
        enrolment_status_changed,
        FES_STAFF,
    ),
    Cell(
        "revoke a Fès certificate",
        post(
            lambda w: reverse("certificates_admin:revoke", args=[w.certificate.pk]),
            {"reason": "Erreur de saisie"},
        ),
        certificate_revoked,
        # Revoking is given to groups in the groups editor; editors groups don't hold it.
        {"admin"},
    ),
    Cell(
        "list Fès's certificates",
        get(lambda w: "/admin/certificates/"),
        ok_with(lambda w: w.certificate.code),
        FES_READERS,
    ),
    Cell(
        "read the feedback on Fès's past session",
        get(lambda w: f"/admin/feedback/sessions/{w.certificate.enrolment.session_id}/"),
        ok_with(lambda w: FEEDBACK_TEXT),
        FES_READERS,
    ),
    # Reports, exports, dashboard
    Cell(
        "read the programme's figures for Fès",
        get(lambda w: reverse("reports_programme") + "?by=institute"),
        ok_with(lambda w: "Jazari Institute Fès"),
        FES_READERS,
    ),
    Cell(
        "export Fès's enrolments",
        get(lambda w: "/admin/enrolments/?export=csv"),
        lambda response, world: (
            response.status_code == 200
            and LEARNER_NAME in b"".join(response.streaming_content).decode("utf-8-sig")
        ),
        FES_READERS,
    ),
    Cell("export the programme's rows of Fès", export_programme, exported_fes_rows, FES_READERS),
    Cell(
        "see Fès's next session on the admin home",
        get(lambda w: "/admin/"),
        ok_with(lambda w: "Vision par ordinateur"),
        FES_READERS,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("cell", MATRIX, ids=[cell.action for cell in MATRIX])
def test_each_role_may_do_what_the_matrix_says_and_nothing_more(world, cell):
    wrong = []
    for role in ROLES:
        # Each role meets the objects as they were: what one did is rolled back.
        with transaction.atomic():
            response = cell.request(client_for(world, role), world)
            granted = response.status_code < 500 and cell.granted(response, world)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            wrong.append(f"{role}: {response.status_code}")
            continue
        if granted != (role in cell.roles):
            wrong.append(f"{role}: {'granted' if granted else 'refused'} ({response.status_code})")
    assert not wrong, f"{cell.action}: " + ", ".join(wrong)
