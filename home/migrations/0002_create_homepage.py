from django.db import migrations


def create_homepage(apps, schema_editor):
    """Replace Wagtail's welcome page by the home page and add the ar and en locales."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")

    default_locale = Locale.objects.get_or_create(language_code="fr")[0]
    for code in ("ar", "en"):
        Locale.objects.get_or_create(language_code=code)

    Page.objects.filter(
        slug="home", depth=2, content_type__app_label="wagtailcore", content_type__model="page"
    ).delete()

    if HomePage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    home = HomePage.objects.create(
        title="Jazari Skills",
        draft_title="Jazari Skills",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=default_locale,
        hero_title="Se former à l'intelligence artificielle, partout au Maroc",
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Jazari Skills"},
    )


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial")]

    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
