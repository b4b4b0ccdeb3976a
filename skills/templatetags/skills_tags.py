"""Template helpers for linking to the skills framework."""

from django import template

from skills.models import SkillsIndexPage

register = template.Library()


@register.simple_tag
def skills_index():
    """`{% skills_index as skills_page %}`: the live skills index (one query), to link skills
    with `{% routablepageurl skills_page "skill" skill.slug %}` without a query per skill."""
    return SkillsIndexPage.objects.live().originals().first()
