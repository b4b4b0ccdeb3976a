"""`/search/?q=`: courses, skills and institutes, with partial words, typos and places matched.

A search that finds nothing is counted for the programme's report (`reports.demand`): the
query and the day, nothing about who searched.
"""

from django import forms
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from jazari.search import MAX_QUERY_LENGTH, clean_query
from reports.demand import count_unanswered_search
from search.query import attach_next_sessions, site_search


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
        attach_next_sessions(course_page.object_list, results.place)
        if not results.count and "page" not in request.GET:
            count_unanswered_search(clean_query(query))
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
