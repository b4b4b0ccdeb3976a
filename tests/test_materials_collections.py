"""Each institute's files stay in its collection: its editors upload there and choose from there
only, and a course's material comes from its organising institute's collection.

The network here: Jazari Root (Rabat) and Jazari Institute Fès, each with its editors group
(document permissions on its own collection only, as `materials.collections` grants them).
Files on S3 (moto).
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.models import Collection, GroupCollectionPermission

from materials.collections import institute_collection
from materials.models import JazariDocument, Material
from tests import factories
from tests.material_factories import document, pdf_bytes, superuser
from tests.test_admin_enrolments import login_en, messages_of
from tests.test_admin_permissions import staff
from tests.test_materials_course_page import admin_course_form

pytestmark = pytest.mark.django_db

OTHER_COLLECTION = "You may not add documents to this collection"
FOREIGN_FILE = "This file is not in the collection of the institute organising the course"


@pytest.fixture
def network(small_network, s3):
    """The small network, a file in each institute's collection and a Fès editor."""
    rabat, fes = small_network["rabat"], small_network["fes"]
    fes_editors = fes.editors
    # Fès's editors publish their own courses (its folder's page permissions, unmoderated).
    folder = factories.folder(fes)
    folder.moderated = False
    folder.save()
    return {
        **small_network,
        "s3": s3,
        "rabat_collection": institute_collection(rabat),
        "fes_collection": institute_collection(fes),
        "rabat_file": document(
            title="Corrigés Rabat", name="corriges.pdf", collection=institute_collection(rabat)
        ),
        "fes_file": document(
            title="Corrigés Fès", name="corriges-fes.pdf", collection=institute_collection(fes)
        ),
        "fes_editor": staff("fes_editor", fes_editors),
    }


def errors_text(response):
    form = response.context["form"]
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


# A course's material: from the organising institute's collection


def test_material_must_come_from_the_organising_institutes_collection(network):
    """Model validation: the institute's collection or one below it; another's is refused on
    the file field, for course and session material alike."""
    llm = network["llm"]
    below = network["fes_collection"].add_child(name="Fès: ateliers")
    for allowed in (network["fes_file"], document(name="atelier.pdf", collection=below)):
        Material(course=llm, document=allowed, visibility="everyone").full_clean()

    for session in (None, network["llm_full"]):
        foreign = Material(
            course=llm, session=session, document=network["rabat_file"], visibility="everyone"
        )
        with pytest.raises(ValidationError) as refused, translation.override("en"):
            foreign.full_clean()
        assert list(refused.value.message_dict) == ["document"]
        assert FOREIGN_FILE in refused.value.message_dict["document"][0]
        assert "Jazari Institute Fès" in refused.value.message_dict["document"][0]

    in_root = document(name="racine.pdf")
    with pytest.raises(ValidationError):
        Material(course=llm, document=in_root, visibility="everyone").full_clean()


def test_admin_course_form_refuses_another_institutes_file(client, network):
    """A Fès editor publishing their course with Rabat's "attended" file as "everyone" gets the
    form back with the message on the file, and nothing is saved."""
    llm = network["llm"]
    revisions = llm.revisions.count()
    login_en(client, network["fes_editor"])
    data = admin_course_form(
        llm,
        [
            {
                "document": str(network["rabat_file"].pk),
                "title": "Corrigés",
                "session": "",
                "visibility": "everyone",
                "id": "",
            }
        ],
    )
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[llm.pk]), data)
    assert response.status_code == 200
    material_form = response.context["form"].formsets["materials"].forms[0]
    assert FOREIGN_FILE in " ".join(material_form.errors["document"])
    assert FOREIGN_FILE in BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert not Material.objects.exists()
    assert llm.revisions.count() == revisions

    data["materials-0-document"] = str(network["fes_file"].pk)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[llm.pk]), data)
    assert response.status_code == 302
    assert Material.objects.get().document == network["fes_file"]


# Uploading: into the editor's collection only


def upload(client, collection, name="cours.pdf"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Support",
            "file": SimpleUploadedFile(name, pdf_bytes(1)),
            "collection": str(collection.pk),
            "tags": "",
        },
    )


def test_upload_form_offers_only_the_editors_collection(client, network):
    """The add form and the multiple uploader offer the editor's collection and no other."""
    login_en(client, network["fes_editor"])
    response = client.get(reverse("wagtaildocs:add"))
    assert response.status_code == 200
    assert list(response.context["form"].collections) == [network["fes_collection"]]
    assert "collection" not in response.context["form"].fields

    below = network["fes_collection"].add_child(name="Fès: ateliers")
    response = client.get(reverse("wagtaildocs:add"))
    offered = BeautifulSoup(response.content, "html.parser").select(
        "select[name=collection] option"
    )
    assert {option["value"] for option in offered} == {
        str(network["fes_collection"].pk),
        str(below.pk),
    }
    response = client.get(reverse("wagtaildocs:add_multiple"))
    assert set(response.context["collections"]) == {network["fes_collection"], below}


def test_upload_into_another_collection_is_refused(client, network):
    """Posting Rabat's collection by hand is refused with a message naming the editor's own,
    on the add form, the multiple uploader and the chooser's upload tab; nothing is stored."""
    rabat_collection = network["rabat_collection"]
    login_en(client, network["fes_editor"])
    response = upload(client, rabat_collection)
    assert response.status_code == 200
    assert OTHER_COLLECTION in errors_text(response)
    assert "“Jazari Institute Fès”" in errors_text(response)

    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {
            "files[]": SimpleUploadedFile("notes.pdf", pdf_bytes(1)),
            "collection": str(rabat_collection.pk),
        },
    )
    body = response.json()
    assert body["success"] is False
    assert OTHER_COLLECTION in body["error_message"]

    response = client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            "document-chooser-upload-title": "Support",
            "document-chooser-upload-file": SimpleUploadedFile("c.pdf", pdf_bytes(1)),
            "document-chooser-upload-collection": str(rabat_collection.pk),
            "document-chooser-upload-tags": "",
        },
    )
    assert OTHER_COLLECTION in response.content.decode()
    assert JazariDocument.objects.count() == 2
    assert len(network["s3"].keys()) == 2

    response = upload(client, network["fes_collection"])
    assert response.status_code == 302
    assert JazariDocument.objects.get(title="Support").collection == network["fes_collection"]


def test_an_administrator_still_uploads_anywhere(client, network):
    """Administrators keep every collection."""
    login_en(client, superuser())
    assert upload(client, network["rabat_collection"]).status_code == 302
    assert JazariDocument.objects.get(title="Support").collection == network["rabat_collection"]


# Choosing: from the editor's collection only, searched or not


def chooser_titles(response):
    """Titles offered by the chooser's modal (JSON) or its results (HTML)."""
    html = (
        response.json()["html"]
        if response["Content-Type"].startswith("application/json")
        else (response.content.decode())
    )
    soup = BeautifulSoup(html, "html.parser")
    return {link.get_text(strip=True) for link in soup.select("a[data-chooser-modal-choice]")}


def test_chooser_and_its_search_offer_only_the_editors_collection(client, network):
    """The document chooser lists, and finds, the editor's files only, as do the admin API and
    the document library; an administrator's chooser has both."""
    login_en(client, network["fes_editor"])
    assert chooser_titles(client.get(reverse("wagtaildocs_chooser:choose"))) == {"Corrigés Fès"}
    found = client.get(reverse("wagtaildocs_chooser:choose_results"), {"q": "Corrigés"})
    assert chooser_titles(found) == {"Corrigés Fès"}
    listed = client.get("/admin/api/main/documents/").json()
    assert [item["title"] for item in listed["items"]] == ["Corrigés Fès"]
    library = client.get(reverse("wagtaildocs:index"), {"q": "Corrigés"}).content.decode()
    assert "Corrigés Fès" in library and "Corrigés Rabat" not in library

    login_en(client, superuser())
    found = client.get(reverse("wagtaildocs_chooser:choose_results"), {"q": "Corrigés"})
    assert chooser_titles(found) == {"Corrigés Fès", "Corrigés Rabat"}


# Editing and deleting: the editor's collection only


def test_editing_or_deleting_another_collections_file_is_refused(client, network):
    """Rabat's file can't be opened, changed or deleted by a Fès editor, nor can the editor
    move their own file into Rabat's collection."""
    rabat_file, fes_file = network["rabat_file"], network["fes_file"]
    login_en(client, network["fes_editor"])
    edit = reverse("wagtaildocs:edit", args=[rabat_file.pk])
    delete = reverse("wagtaildocs:delete", args=[rabat_file.pk])
    for response in (
        client.get(edit),
        client.post(edit, {"title": "Pris", "tags": ""}),
        client.post(delete),
        client.post(reverse("wagtaildocs:delete_multiple", args=[rabat_file.pk])),
    ):
        # Wagtail's refusal: back to the dashboard, saying so.
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    told = {text for _level, text in messages_of(client.get(edit, follow=True))}
    assert told == {"Désolé, vous n'avez pas les autorisations pour accéder à cette zone."}
    rabat_file.refresh_from_db()
    assert rabat_file.title == "Corrigés Rabat"

    response = client.post(
        reverse("wagtaildocs:edit", args=[fes_file.pk]),
        {"title": "Corrigés Fès", "tags": "", "collection": str(network["rabat_collection"].pk)},
    )
    assert response.status_code == 200
    assert OTHER_COLLECTION in errors_text(response)
    fes_file.refresh_from_db()
    assert fes_file.collection == network["fes_collection"]


# The permissions behind it


def test_editors_hold_no_document_permission_on_the_root_collection(network):
    """Institute editors get their collection only; a group that had the root collection's
    (as Wagtail's stock "Editors" group does) loses them when it becomes an institute's."""
    root = Collection.get_first_root_node()
    documents = {"permission__content_type__app_label": "wagtaildocs"}
    for institute in (network["rabat"], network["fes"]):
        assert not GroupCollectionPermission.objects.filter(
            group=institute.editors, collection=root, **documents
        ).exists()

    stock = Group.objects.get(name="Editors")
    assert GroupCollectionPermission.objects.filter(
        group=stock, collection=root, **documents
    ).exists()
    fes = network["fes"]
    fes.editors = stock
    fes.save()
    assert not GroupCollectionPermission.objects.filter(
        group=stock, collection=root, **documents
    ).exists()
    assert set(
        GroupCollectionPermission.objects.filter(group=stock, **documents).values_list(
            "collection", flat=True
        )
    ) == {network["fes_collection"].pk}
