"""Admin wiring for courses: instructors as snippets; the page chooser scoped per editor; an
institute that still organises or hosts sessions is not deleted."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import CoursePage, Instructor, Session
from courses.permissions import choosable_pages
from institutes.models import InstitutePage


class InstructorViewSet(SnippetViewSet):
    model = Instructor
    icon = "user"
    menu_order = 310
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "organisation"]
    add_to_admin_menu = True


register_snippet(InstructorViewSet)


@hooks.register("construct_page_chooser_queryset")
def only_choosable_pages(pages, request):
    """The page chooser, browsing and searching, lists only `choosable_pages`; the page it
    browses from is checked by `courses.admin_views.ChoosablePagesBrowseView`."""
    return choosable_pages(pages, request.user)


def refuse_deleting_busy_institutes(request, pages, next_url):
    """Refuse, with a message, to delete institutes (or a page above them) that organise
    courses or host sessions: the database protects them, deleting would fail."""
    within = Q(pk__in=[])
    for page in pages:
        within |= Q(path__startswith=page.path)
    busy = InstitutePage.objects.filter(within).filter(
        Q(pk__in=CoursePage.objects.values("institute"))
        | Q(pk__in=Session.objects.filter(institute__isnull=False).values("institute"))
    )
    titles = sorted(busy.values_list("title", flat=True))
    if not titles:
        return None
    messages.error(
        request,
        _(
            "%(institutes)s still organise courses or host sessions: move or delete them "
            "before deleting the institute."
        )
        % {"institutes": ", ".join(titles)},
    )
    return redirect(next_url)


@hooks.register("before_delete_page")
def keep_busy_institute(request, page):
    return refuse_deleting_busy_institutes(
        request, [page], reverse("wagtailadmin_pages:edit", args=[page.pk])
    )


@hooks.register("before_bulk_action")
def keep_busy_institutes(request, action_type, objects, action):
    if action_type == "delete" and objects and isinstance(objects[0], Page):
        return refuse_deleting_busy_institutes(request, objects, action.next_url)
    return None
