"""Admin wiring for courses: instructors as snippets."""

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
