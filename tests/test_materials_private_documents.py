"""A document is private until published material offers it (S3 on a real moto server).

Wagtail's own URL for a file (`/documents/<id>/<name>`) answers by the material rules of
`materials.access`; a file that no published material offers (a fresh upload, one attached in
a draft only, one removed from its course) is a 404 for everyone but administrators and the
editors of its collection. The bucket itself never answers without a fresh signature.
"""

import pytest
import requests
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.models import CollectionViewRestriction

from courses.models import CoursePage
from materials.collections import institute_collection
from materials.models import JazariDocument, Material
from tests import factories
from tests.material_factories import document, material, pdf_bytes, superuser
from tests.test_admin_permissions import staff
from tests.test_materials_course_page import admin_course_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(small_network, s3):
    """Who asks: a visitor, a learner, editors of Fès and Rabat, an administrator."""
    fes = small_network["fes"]
    # Fès's editors publish their own courses (its folder's page permissions, unmoderated).
    folder = factories.folder(fes)
    folder.moderated = False
    folder.save()
    return {
        "visitor": None,
        "learner": factories.learner(),
        "fes_editor": staff("fes_editor", fes.editors),
        "rabat_editor": staff("rabat_editor", small_network["rabat"].editors),
        "admin": superuser(),
    }


def fes_file(network, title="Corrigés", name="corriges.pdf"):
    return document(title=title, name=name, collection=institute_collection(network["fes"]))


def answers(client, people, doc):
    """{who: what Wagtail's URL for `doc` gives them}: "file" (a signed redirect whose URL
    gives the bytes as an attachment), "log in" (to the log-in page), else the status."""
    answered = {}
    for who, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(doc.url)
        location = response.get("Location", "")
        if response.status_code == 302 and "X-Amz-Signature=" in location:
            fetched = requests.get(location, timeout=10)
            assert fetched.status_code == 200
            assert fetched.headers["Content-Disposition"].startswith("attachment;")
            assert "no-store" in response["Cache-Control"]
            answered[who] = "file"
        elif response.status_code == 302 and "/accounts/login/" in location:
            answered[who] = "log in"
        else:
            answered[who] = response.status_code
    client.logout()
    return answered


EDITORS_ONLY = {
    "visitor": 404,
    "learner": 404,
    "fes_editor": "file",
    "rabat_editor": 404,
    "admin": "file",
}
EVERYONE = dict.fromkeys(EDITORS_ONLY, "file")


def test_a_fresh_upload_is_for_its_collections_editors_only(client, small_network, people, s3):
    """Uploaded by a Fès editor in the admin: their collection's editors and administrators get
    it, nobody else, and the bucket never answers without a signature."""
    client.force_login(people["fes_editor"])
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Brouillon", "file": SimpleUploadedFile("brouillon.pdf", pdf_bytes(1))},
    )
    assert response.status_code == 302
    doc = JazariDocument.objects.get()
    assert doc.url == f"/documents/{doc.pk}/brouillon.pdf"
    assert answers(client, people, doc) == EDITORS_ONLY
    bare = f"{s3.server.endpoint_url}/{s3.name}/{doc.file.name}"
    assert requests.get(bare, timeout=10).status_code == 403


def test_a_file_attached_in_a_draft_only_stays_private(client, small_network, people):
    """A Fès editor attaches a file as "everyone" and saves a draft: still private; once the
    course is published with it, it is everyone's."""
    llm = small_network["llm"]
    doc = fes_file(small_network)
    client.force_login(people["fes_editor"])
    row = {"document": str(doc.pk), "title": "", "session": "", "id": ""}
    data = admin_course_form(llm, [{**row, "visibility": "everyone"}])
    response = client.post(reverse("wagtailadmin_pages:edit", args=[llm.pk]), data)
    assert response.status_code == 302
    assert CoursePage.objects.get(pk=llm.pk).has_unpublished_changes
    assert not Material.objects.exists()
    assert answers(client, people, doc) == EDITORS_ONLY

    client.force_login(people["fes_editor"])
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[llm.pk]), data)
    assert response.status_code == 302
    assert Material.objects.get().document == doc
    assert answers(client, people, doc) == EVERYONE


def test_a_file_removed_from_its_course_becomes_private(client, small_network, people):
    """Material deleted from the published course: its file goes back to the editors."""
    llm = small_network["llm"]
    item = material(llm, fes_file(small_network), visibility="everyone")
    assert answers(client, people, item.document) == EVERYONE

    client.force_login(people["fes_editor"])
    data = admin_course_form(
        llm,
        [
            {
                "document": str(item.document_id),
                "title": "",
                "session": "",
                "visibility": "everyone",
                "id": str(item.pk),
                "DELETE": "1",
            }
        ],
    )
    data["materials-INITIAL_FORMS"] = "1"
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[llm.pk]), data)
    assert response.status_code == 302
    assert not Material.objects.exists()
    assert answers(client, people, item.document) == EDITORS_ONLY


def test_published_material_opens_its_file_by_its_visibility(client, small_network, people):
    """Offered to enrolled learners: a visitor is asked to log in, a stranger is refused, the
    editors still have it; an unpublished course's file is the editors' again."""
    llm = small_network["llm"]
    item = material(llm, fes_file(small_network), visibility="enrolled")
    statuses = answers(client, people, item.document)
    assert statuses == {**EDITORS_ONLY, "visitor": "log in", "learner": 403, "rabat_editor": 403}
    llm.unpublish()
    assert answers(client, people, item.document) == EDITORS_ONLY


def test_collection_privacy_still_applies(client, small_network, people):
    """A view restriction an administrator puts on the collection comes first (Wagtail's own
    hook), even for material offered to everyone."""
    item = material(small_network["llm"], fes_file(small_network), visibility="everyone")
    CollectionViewRestriction.objects.create(
        collection=institute_collection(small_network["fes"]),
        restriction_type=CollectionViewRestriction.LOGIN,
    )
    response = client.get(item.document.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(people["learner"])
    assert client.get(item.document.url).status_code == 302


def test_document_urls_are_always_the_serve_view(small_network, s3):
    """Never the storage's own URL in a page ("direct" would sign one for every reader)."""
    doc = fes_file(small_network)
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert doc.url == reverse("wagtaildocs_serve", args=[doc.pk, doc.filename])


def test_the_media_folder_serves_only_images_in_debug():
    """With DEBUG, `/media/` serves Wagtail's images; documents and certificates never."""
    from jazari.urls import debug_media_patterns

    with override_settings(DEBUG=True, MEDIA_URL="/media/"):
        patterns = debug_media_patterns()

    def served(path):
        return any(pattern.resolve(path) for pattern in patterns)

    assert served("media/original_images/cover.png")
    assert served("media/images/cover.width-400.png")
    assert not served("media/documents/corriges.pdf")
    assert not served("media/certificates/ABC123.pdf")
    assert not served("media/uploaded_files/notes.pdf")
