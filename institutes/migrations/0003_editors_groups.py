"""Every institute gets its editors group (see `institutes.groups`)."""

from django.db import migrations

# The permissions an editors group holds on its own (the apps above add theirs on save).
GROUP_PERMISSIONS = [("wagtailadmin", "access_admin"), ("learners", "view_profile")]


def give_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    InstitutePage = apps.get_model("institutes", "InstitutePage")
    permissions = [
        permission
        for app_label, codename in GROUP_PERMISSIONS
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    ]
    for institute in InstitutePage.objects.filter(editors__isnull=True):
        group, _created = Group.objects.get_or_create(name=f"{institute.title[:140]} editors")
        group.permissions.add(*permissions)
        InstitutePage.objects.filter(pk=institute.pk).update(editors=group)


class Migration(migrations.Migration):
    dependencies = [
        ("institutes", "0002_institutepage_editors"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(give_groups, migrations.RunPython.noop)]
