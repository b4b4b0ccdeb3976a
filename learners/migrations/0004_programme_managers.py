"""The `programme managers` group: the admin, and read access to every institute's learners.

Its members open the Wagtail admin and the Enrolments and Certificates areas
(`learners.view_profile`); `institutes.permissions` lets them see every institute's, and act
on none. No page permission: they edit no page. The group is found by name
(`jazari.staff.PROGRAMME_MANAGERS_GROUP`), so an existing one is kept and given the
permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "programme managers"
PERMISSIONS = [("wagtailadmin", "access_admin"), ("learners", "view_profile")]


def create_group(apps, schema_editor):
    # Permissions are made after `migrate`; on a new database this one would not exist yet.
    learners = apps.get_app_config("learners")
    learners.models_module = True  # the historical app stub has none; create_permissions asks
    create_permissions(learners, verbosity=0, apps=apps)
    learners.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name__iexact=GROUP).first() or Group.objects.create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # After the migrations that give every admin group the choosing of any document and
        # image: programme managers get no such permission.
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("learners", "0003_erasure"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
