"""PostgreSQL: a French full-text configuration that ignores accents ("donnees" finds
"données"). Nothing to do on SQLite, whose FTS5 tokenizer already folds accents."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'jazari_french') THEN
        CREATE TEXT SEARCH CONFIGURATION jazari_french (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION jazari_french
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS jazari_french;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create, drop)]
