"""Admin wiring for courses: instructors as snippets; the page chooser scoped per editor."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import Instructor
from courses.permissions import choosable_pages


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
