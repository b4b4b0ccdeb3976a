"""`/search/?q=`: courses, skills and institutes, with partial words matched."""

from django import forms
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from jazari.search import MAX_QUERY_LENGTH
from search.query import site_search


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Your search is too long: use at most %(limit_value)d characters.")
        },
    )


def search(request):
    form = SearchForm(request.GET)
    error = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
    else:
        error = " ".join(form.errors["q"])
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
