"""Wagtail's own document URLs (`/documents/<id>/<name>`) obey the material's visibility.

A document attached to a course as material is served only to whom the material allows, and
as the download view serves it; a document attached nowhere keeps Wagtail's behaviour. This
hook runs before Wagtail's collection-restriction hook (`materials` is listed before
`wagtail.documents` in INSTALLED_APPS).
"""

from django.http import Http404
from wagtail import hooks

from courses.privacy import passing
from materials.access import Access, document_access
from materials.models import Material
from materials.views import download_response, refusal


@hooks.register("before_serve_document")
def serve_material_documents(document, request):
    courses = [
        m.course for m in Material.objects.filter(document=document).select_related("course")
    ]
    if courses and not passing(request, courses):  # material of private courses only
        raise Http404
    access = document_access(request.user, document)
    if access is None:
        return None
    if access != Access.ALLOWED:
        return refusal(request, access)
    return download_response(document)
