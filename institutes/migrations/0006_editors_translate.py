"""Institute editors translate the pages they edit with wagtail-localize (see
`institutes.groups` and `courses.translation_views`)."""

from django.db import migrations


def give_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    InstitutePage = apps.get_model("institutes", "InstitutePage")
    permissions = Permission.objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    )
    for institute in InstitutePage.objects.filter(editors__isnull=False).select_related("editors"):
        institute.editors.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("institutes", "0005_certificates"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
    ]

    operations = [migrations.RunPython(give_permission, migrations.RunPython.noop)]
