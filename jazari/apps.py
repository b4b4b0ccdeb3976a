from django.apps import AppConfig


class JazariConfig(AppConfig):
    """The project package: shared templates, static files, translations and admin settings."""

    name = "jazari"
    verbose_name = "Jazari Skills"

    def ready(self):
        # Imports Wagtail's admin forms, which need the models loaded: not before `ready`.
        from jazari import admin_dates

        admin_dates.register()
