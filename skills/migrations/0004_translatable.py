"""Skill categories and skills: translatable (wagtail-localize). Every existing row becomes an original in the
default language, with its own translation key."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TRANSLATABLE = ["skillcategory", "skill"]


def make_originals(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    default, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    for name in TRANSLATABLE:
        model = apps.get_model("skills", name)
        for pk in model.objects.filter(translation_key__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(translation_key=uuid.uuid4(), locale=default)


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0003_learning_paths_moved_out"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="skillcategory",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="skillcategory",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="skill",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="skill",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.RunPython(make_originals, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="skillcategory",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="skillcategory",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="skillcategory",
            name="slug",
            field=models.SlugField(allow_unicode=True, max_length=120, verbose_name="slug"),
        ),
        migrations.AlterUniqueTogether(
            name="skillcategory",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddConstraint(
            model_name="skillcategory",
            constraint=models.UniqueConstraint(fields=("slug", "locale"), name="skill_category_slug_locale"),
        ),
        migrations.AlterField(
            model_name="skill",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="skill",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="skill",
            name="slug",
            field=models.SlugField(allow_unicode=True, max_length=160, verbose_name="slug"),
        ),
        migrations.AlterUniqueTogether(
            name="skill",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddConstraint(
            model_name="skill",
            constraint=models.UniqueConstraint(fields=("slug", "locale"), name="skill_slug_locale"),
        ),
    ]

