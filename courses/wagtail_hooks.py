"""Admin wiring for courses: instructors as snippets; the page chooser scoped per editor."""

from django.db.models import Q
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import Instructor


class InstructorViewSet(SnippetViewSet):
    model = Instructor
    icon = "user"
    menu_order = 310
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "organisation"]
    add_to_admin_menu = True


register_snippet(InstructorViewSet)


@hooks.register("construct_page_chooser_queryset")
def only_live_or_editable_pages(pages, request):
    """The page chooser (browsing and searching) lists live pages and those the user may edit:
    another institute's drafts never show, not even their titles."""
    user = request.user
    if user.is_active and user.is_superuser:
        return pages
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, {"change", "publish"}
    )
    return pages.filter(Q(live=True) | Q(pk__in=editable.values("pk")))
