"""Moving models from one app to another with their rows, for the migrations that do it.

A model moves in three steps, each a migration operation of the apps concerned:

1. the new app takes the model into its state and renames its table (`rename_tables`, inside a
   `SeparateDatabaseAndState`), so the rows, ids, indexes and constraints stay as they were;
2. the content types follow (`move_content_types`): the same rows, relabelled, so permissions
   given to groups, Wagtail's log entries, pages, revisions and the search index, which all
   point at a content type by id, keep pointing at the model;
3. the old app drops the model from its state only.
"""

from django.db import migrations


def rename_tables(old_app: str, new_app: str, models: list[str]) -> migrations.RunPython:
    """Rename `<old_app>_<model>` to `<new_app>_<model>` for each model (reversible)."""

    def rename(apps, schema_editor, source, target):
        for name in models:  # the schema editor renames by table name alone
            schema_editor.alter_db_table(None, f"{source}_{name}", f"{target}_{name}")

    def forwards(apps, schema_editor):
        rename(apps, schema_editor, old_app, new_app)

    def backwards(apps, schema_editor):
        rename(apps, schema_editor, new_app, old_app)

    return migrations.RunPython(forwards, backwards)


def move_content_types(old_app: str, new_app: str, models: list[str]) -> migrations.RunPython:
    """Relabel the models' content types from `old_app` to `new_app` (reversible).

    If the new app's content type already exists (a `migrate` interrupted half-way, then the
    content types refreshed), what points at it is moved to the old row, which is then
    relabelled, so nothing is left pointing at a duplicate.
    """

    def move(apps, schema_editor, source, target):
        content_types = apps.get_model("contenttypes", "ContentType")
        permissions = apps.get_model("auth", "Permission")
        db = schema_editor.connection.alias
        for name in models:
            old = content_types.objects.using(db).filter(app_label=source, model=name).first()
            if old is None:
                continue  # a new database: post_migrate creates the content type
            duplicate = content_types.objects.using(db).filter(app_label=target, model=name)
            for stale in duplicate:
                permissions.objects.using(db).filter(content_type=stale).delete()
                stale.delete()
            old.app_label = target
            old.save(update_fields=["app_label"])

    def forwards(apps, schema_editor):
        move(apps, schema_editor, old_app, new_app)

    def backwards(apps, schema_editor):
        move(apps, schema_editor, new_app, old_app)

    return migrations.RunPython(forwards, backwards)
