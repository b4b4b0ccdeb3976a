"""Wagtail's own document URLs (`/documents/<id>/<name>`) follow the material rules.

Material of private courses only is a 404 unless the request passes a course's page privacy
(`courses.privacy`). Beyond that, every document is private by default: `document_access`
(`materials.access`) says who may have it (through published material, with its visibility,
or as an editor of its collection), and this hook answers every request itself, with the file
as the download view hands it over or with the refusal, so Wagtail's serve method never hands
out a file on its own. A visitor is sent to
log in only where logging in could open the file (material for enrolled learners or
attendees); a document no published material offers is a 404, as if it did not exist.

It runs after Wagtail's own `before_serve_document` hook (order 1), so a view restriction an
administrator puts on a collection (Wagtail's collection privacy) still applies on top.
Collection privacy alone can't say "enrolled in this course", hence this hook.

The admin API's document listing shows an editor only the documents they may choose, as the
chooser does: not the titles of other institutes' files.
"""

from django.http import Http404
from rest_framework.authentication import SessionAuthentication
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.permissions import policy_registry

from courses.privacy import passing
from materials.access import Access, document_access
from materials.models import Material
from materials.views import download_response, refusal


@hooks.register("before_serve_document", order=1)
def serve_documents_by_material_rules(document, request):
    courses = [
        m.course for m in Material.objects.filter(document=document).select_related("course")
    ]
    if courses and not passing(request, courses):  # material of private courses only
        raise Http404
    access = document_access(request.user, document)
    if access != Access.ALLOWED:
        return refusal(request, access)
    return download_response(document)


class EditorDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API's documents (`/admin/api/main/documents/`): those the user may choose.

    The admin's session says who asks, as for the admin API's pages (the site's API
    authenticates by token only).
    """

    authentication_classes = [SessionAuthentication]

    def get_queryset(self):
        policy = policy_registry.get_by_type(get_document_model())
        chosen = policy.instances_user_has_permission_for(self.request.user, "choose")
        return super().get_queryset().filter(pk__in=chosen.values("pk"))


@hooks.register("construct_admin_api", order=1)
def documents_editors_may_choose(router):
    """After Wagtail's own registration, which lists every document to any admin user."""
    router.register_endpoint("documents", EditorDocumentsAPIViewSet)
