from django.db import migrations

LANGUAGES = [
    ("fr", "Français"),
    ("ar", "العربية"),
    ("en", "English"),
    ("zgh", "ⵜⴰⵎⴰⵣⵉⵖⵜ (Amazigh)"),
]

AUDIENCES = [
    ("students", "Étudiants"),
    ("public-servants", "Fonctionnaires"),
    ("sme-staff", "Salariés de PME"),
    ("startups", "Start-up"),
    ("researchers", "Chercheurs"),
    ("everyone", "Tout public"),
]


def create(apps, schema_editor):
    Language = apps.get_model("courses", "Language")
    Audience = apps.get_model("courses", "Audience")
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})
    for slug, name in AUDIENCES:
        Audience.objects.update_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
