"""`/search/?q=`: courses, skills and institutes, with partial words matched."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from search.query import site_search

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()
    error = None
    if len(query) > MAX_QUERY_LENGTH:
        error = _("Your search is too long: use at most %(n)d characters.") % {
            "n": MAX_QUERY_LENGTH
        }
        query = ""
    results = site_search(query) if query else None
    course_page = None
    if results is not None:
        course_page = Paginator(results.courses, 20).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "results": results,
            "course_page": course_page,
            "error": error,
        },
        status=400 if error else 200,
    )
