"""One Wagtail collection of documents per institute.

Each institute's material lives in its own collection under the root, named after the
institute, so the document library reads as the network does and an institute's editors
group can be given the documents of its own collection only. Collections are made lazily:
when an institute is saved (`materials.signals`), when the demo data is seeded
(`ensure_institute_collections()`), or the first time `institute_collection` is asked.
"""

from django.contrib.auth.models import Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission

from institutes.models import InstitutePage
from materials.models import InstituteCollection

# What an institute's editors may do with the documents of its collection.
EDITOR_DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")


def institute_collection(institute: InstitutePage) -> Collection:
    """The institute's collection, created (and its name kept in step) on demand."""
    with transaction.atomic():
        link = (
            InstituteCollection.objects.select_related("collection")
            .filter(institute=institute)
            .first()
        )
        if link is None:
            collection = Collection.get_first_root_node().add_child(name=institute.title)
            link = InstituteCollection.objects.create(institute=institute, collection=collection)
        elif link.collection.name != institute.title:
            link.collection.name = institute.title
            link.collection.save(update_fields=["name"])
        grant_editors(institute, link.collection)
        return link.collection


def grant_editors(institute: InstitutePage, collection: Collection) -> None:
    """Give the institute's editors group the document permissions on its collection.

    And none on the root collection: Wagtail extends a collection's permissions to the
    collections below it, so they would open every institute's documents to the group (as
    Wagtail's stock "Editors" group has them, should an administrator choose that group).
    """
    if not institute.editors_id:
        return
    permissions = Permission.objects.filter(
        content_type__app_label="wagtaildocs", codename__in=EDITOR_DOCUMENT_PERMISSIONS
    )
    for permission in permissions:
        GroupCollectionPermission.objects.get_or_create(
            group_id=institute.editors_id, collection=collection, permission=permission
        )
    GroupCollectionPermission.objects.filter(
        group_id=institute.editors_id,
        collection=Collection.get_first_root_node(),
        permission__content_type__app_label="wagtaildocs",
    ).delete()


def ensure_institute_collections() -> dict[int, Collection]:
    """A collection for every institute; returns {institute pk: collection}. Idempotent."""
    return {
        institute.pk: institute_collection(institute)
        for institute in InstitutePage.objects.originals().order_by("path")
    }
