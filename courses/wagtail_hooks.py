"""Admin wiring for courses: instructors as snippets; the page chooser scoped per editor; an
institute that still organises or hosts sessions is not deleted."""

from django.db.models import Q
from django.urls import path
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import CoursePage, Instructor, Session
from courses.permissions import choosable_pages
from courses.translation_views import SubmitOwnPageTranslationView, UpdateOwnTranslationsView
from institutes.models import InstitutePage
from jazari.page_deletion import pages_under, refuse_page_deletion


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


@refuse_page_deletion
def busy_institutes(pages):
    """Institutes (or pages above them) that organise courses or host sessions: the database
    protects them."""
    busy = InstitutePage.objects.filter(pages_under(pages)).filter(
        Q(pk__in=CoursePage.objects.values("institute"))
        | Q(pk__in=Session.objects.filter(institute__isnull=False).values("institute"))
    )
    titles = sorted(busy.values_list("title", flat=True))
    if not titles:
        return None
    return _(
        "Courses or sessions still depend on %(institutes)s: move or delete them before "
        "deleting the institute."
    ) % {"institutes": ", ".join(titles)}


@hooks.register("register_admin_urls")
def translate_own_pages_only():
    """wagtail-localize's submit and sync views, guarded by the page's permissions
    (`translation_views`); registered before wagtail-localize's (`courses` comes first in
    `INSTALLED_APPS`), so they answer its URLs."""
    return [
        path(
            "localize/submit/page/<int:page_id>/",
            SubmitOwnPageTranslationView.as_view(),
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            UpdateOwnTranslationsView.as_view(),
        ),
    ]
