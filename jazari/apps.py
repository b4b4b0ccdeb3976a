from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class JazariConfig(AppConfig):
    """The project package: shared templates, static files, translations and admin settings."""

    name = "jazari"
    verbose_name = "Jazari Skills"

    def ready(self):
        # Imports Wagtail's admin forms, which need the models loaded: not before `ready`.
        from jazari import admin_dates

        admin_dates.register()


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users and groups, whose add, edit and delete views (who holds which role) ask
    for a recent log-in: see `jazari.admin_users`."""

    user_viewset = "jazari.admin_users.UserViewSet"
    group_viewset = "jazari.admin_users.GroupViewSet"
