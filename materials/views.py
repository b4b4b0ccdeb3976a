"""The material download: the rules of `materials.access`, then `jazari.serving`."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from courses.privacy import passes
from jazari.serving import file_response
from materials.access import Access, check_download, denied_message
from materials.models import Material


def download_response(document):
    """The response that hands `document` over, under its own name and type."""
    return file_response(
        document.file, filename=document.filename, content_type=document.content_type
    )


def refusal(request, access, material=None):
    """Log-in redirect for visitors, 404 for unpublished material, else 403 saying why."""
    if access == Access.LOG_IN:
        return redirect_to_login(request.get_full_path())
    if access == Access.UNAVAILABLE:
        raise Http404
    return TemplateResponse(
        request,
        "materials/download_denied.html",
        {"message": denied_message(access, material), "material": material},
        status=403,
    )


@never_cache
@require_GET
def download(request, material_id):
    """`/materials/<id>/download/`: the file for whom the material allows, else why not."""
    material = get_object_or_404(
        Material.objects.select_related("document", "course", "session"), pk=material_id
    )
    if not passes(request, material.course):  # a private course's (`courses.privacy`)
        raise Http404
    access = check_download(request.user, material)
    if access != Access.ALLOWED:
        return refusal(request, access, material)
    return download_response(material.document)
