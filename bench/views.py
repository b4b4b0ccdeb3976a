"""Reference views measured in the same run as the catalogue.

`trivial` is the floor: the middleware stack and gunicorn, no database, no template.

`plain_listing` is a stand-in for bakerydemo's `BreadsIndexPage`, the "plain Wagtail listing"
of the quality bar, over the catalogue's 1,000 course pages. It routes `/courses/` like
Wagtail's `serve` view (site lookup, tree routing, `before_serve_page` hooks), then does what
`BreadsIndexPage.get_context` does: the live child pages, newest first, through Django's
`Paginator`, 12 a page. The template extends the same `base.html` as the catalogue and renders
each card like bakerydemo's `listing-card.html`: link, image rendition, title, the page's
foreign key (origin there, organising institute here), plus the summary, with no
select_related or prefetching, as bakerydemo has none.

Two simplifications make the reference slightly faster than bakerydemo, never slower: one
`{% image %}` rendition per card instead of bakerydemo's three-format `{% picture %}`, and the
format shown from a choice field instead of bakerydemo's `bread_type` foreign key.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.models import Page

from courses.models import CoursePage

CATALOGUE_PATH = "courses/"
PAGE_SIZE = 12


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


def paginate(request, queryset):
    """bakerydemo's `BreadsIndexPage.paginate`."""
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page"))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def plain_listing(request):
    route = Page.route_for_request(request, CATALOGUE_PATH)
    if route is None:
        raise Http404
    index, args, kwargs = route
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(index, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    children = CoursePage.objects.live().descendant_of(index).order_by("-first_published_at")
    context = Page.get_context(index, request)
    context["courses"] = paginate(request, children)
    return TemplateResponse(request, "bench/plain_listing.html", context)
