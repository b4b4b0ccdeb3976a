"""Admin wiring for the skills framework."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from skills.models import Skill, SkillCategory


class SkillCategoryViewSet(SnippetViewSet):
    model = SkillCategory
    icon = "folder-open-inverse"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class SkillViewSet(SnippetViewSet):
    model = Skill
    icon = "tag"
    list_display = ["name", "category", "esco_uri"]
    list_filter = ["category"]
    search_fields = ["name", "description"]


class SkillsGroup(ViewSetGroup):
    menu_label = _("Skills")
    menu_icon = "tag"
    menu_order = 300
    items = (SkillViewSet, SkillCategoryViewSet)


register_snippet(SkillsGroup)
