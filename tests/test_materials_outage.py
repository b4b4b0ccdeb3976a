"""The object storage goes down: the catalogue and course pages still serve, `/readyz` names
the storage, an upload is refused with a clear message and saves nothing, and any storage
failure inside a view is a 503 page, not a 500."""

import pytest
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.models import Collection

from materials.models import JazariDocument
from tests.material_factories import material, pdf_bytes, png_bytes, superuser
from tests.s3 import MotoServer


@pytest.fixture
def storage_outage(settings):
    """Default storage on a private moto server; yields it, running, for the test to stop."""
    server = MotoServer().start()
    server.client().create_bucket(Bucket="jazari-outage")
    try:
        with override_settings(
            STORAGES={**settings.STORAGES, "default": server.storage_settings("jazari-outage")}
        ):
            yield server
    finally:
        server.stop()


def upload(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Support",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.django_db
def test_storage_down(client, small_network, storage_outage):
    """With the storage stopped: pages 200, /readyz 503 naming storage, upload refused."""
    intro = small_network["intro"]
    cover = Image(title="Couverture")
    cover.file = ImageFile(SimpleUploadedFile("cover.png", png_bytes()), name="cover.png")
    cover.save()
    intro.cover_image = cover
    intro.save_revision().publish()
    material(intro, visibility="everyone")
    storage_outage.stop()

    # The catalogue and the course page render (the cover becomes a placeholder).
    assert client.get("/courses/").status_code == 200
    response = client.get(intro.url)
    assert response.status_code == 200
    assert "materials-title" in response.content.decode()

    # Readiness names the storage, and only that (where it is goes to the log).
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["storage"]
    assert body["checks"]["storage"] == "unavailable"
    assert storage_outage.endpoint_url not in response.content.decode()
    assert "jazari-outage" not in response.content.decode()

    # An upload says the file store is unreachable and leaves no row behind.
    client.force_login(superuser())
    response = upload(client, "cours.pdf", pdf_bytes(1))
    assert response.status_code == 200
    assert "Le stockage des fichiers est inaccessible ; rien n&#x27;a été enregistré" in (
        response.content.decode()
    )
    assert JazariDocument.objects.count() == 1  # the material's, created before the outage


@pytest.mark.django_db
def test_outage_during_save_is_a_503_with_nothing_saved(client, storage_outage, monkeypatch):
    """If the storage fails after the form's check, the answer is a clear 503, no row saved."""
    client.force_login(superuser())
    monkeypatch.setattr("materials.forms.storage_is_reachable", lambda: True)
    storage_outage.stop()
    response = upload(client, "cours.pdf", pdf_bytes(1))
    assert response.status_code == 503
    assert "Le stockage des fichiers est inaccessible" in response.content.decode()
    assert response["Retry-After"]
    assert JazariDocument.objects.count() == 0
