"""Template helpers for learner-facing pages: the sign-up form's groups of fields."""

from django import template

from learners.forms import PROFILE_FIELDS

register = template.Library()


@register.simple_tag
def signup_field_groups(form):
    """`{% signup_field_groups form as groups %}`: the sign-up form's visible fields in three
    groups, `account` (email, passwords…), `profile` (learners.forms.PROFILE_FIELDS) and
    `consent` (the privacy notice), whatever order allauth gives them."""
    groups = {"account": [], "profile": [], "consent": []}
    for field in form.visible_fields():
        if field.name in PROFILE_FIELDS:
            groups["profile"].append(field)
        elif field.name == "accept_privacy":
            groups["consent"].append(field)
        else:
            groups["account"].append(field)
    groups["profile"].sort(key=lambda field: PROFILE_FIELDS.index(field.name))
    return groups
