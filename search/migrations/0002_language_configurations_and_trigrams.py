"""PostgreSQL: Arabic, English and unstemmed text search configurations that ignore accents,
beside the French one (0001), so that each translation is indexed in its language
(`jazari.search_backends`); and `pg_trgm`, for the trigram similarity that finds words typed
with a typo. Nothing to do on SQLite."""

from django.db import migrations

CONFIGURATIONS = {
    # name: (copied configuration, dictionaries for words)
    "jazari_arabic": ("arabic", "unaccent, arabic_stem"),
    "jazari_english": ("english", "unaccent, english_stem"),
    "jazari_simple": ("simple", "unaccent, simple"),
}


def create_sql(name, source, dictionaries):
    return f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') THEN
        CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {source});
        ALTER TEXT SEARCH CONFIGURATION {name}
            ALTER MAPPING FOR hword, hword_part, word WITH {dictionaries};
    END IF;
END
$$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent;")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm;")
    for name, (source, dictionaries) in CONFIGURATIONS.items():
        schema_editor.execute(create_sql(name, source, dictionaries))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_french_search_configuration")]

    operations = [migrations.RunPython(create, drop)]
