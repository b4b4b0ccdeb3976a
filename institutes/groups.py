"""Every institute has its editors group, made and renamed with it.

The group is named after the institute (`"<title> editors"`) and opens the Wagtail admin; the
apps above give it their own permissions on the institute's part of the site when an institute
is saved (page permissions on its courses, the documents of its collection, its learners). An
administrator may point an institute at another group in the institute's "editors" field; a
group is renamed with the institute only while it carries the institute's name.
"""

from django.contrib.auth.models import Group, Permission

# The permission that lets a group's members into the Wagtail admin.
ACCESS_ADMIN = ("wagtailadmin", "access_admin")
SUBMIT_TRANSLATION = ("wagtail_localize", "submit_translation")
"""wagtail-localize's "Translate" and "Sync translated pages" (on the pages they may edit:
`courses.translation_views`)."""
EDITOR_PERMISSIONS = (ACCESS_ADMIN, SUBMIT_TRANSLATION)


def editors_group_name(title: str) -> str:
    # Group names are at most 150 characters; titles at most 255.
    return f"{title[:140]} editors"


def keep_editors_group(institute, previous_title: str | None) -> None:
    """Before `institute` is saved: give it a group if it has none, rename the group with it."""
    if institute.editors_id is None:
        group, _created = Group.objects.get_or_create(name=editors_group_name(institute.title))
        institute.editors = group
    elif previous_title and previous_title != institute.title:
        renamed = editors_group_name(institute.title)
        taken = Group.objects.filter(name=renamed).exclude(pk=institute.editors_id).exists()
        if not taken:
            Group.objects.filter(
                pk=institute.editors_id, name=editors_group_name(previous_title)
            ).update(name=renamed)
    group = Group.objects.get(pk=institute.editors_id)
    for app_label, codename in EDITOR_PERMISSIONS:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
