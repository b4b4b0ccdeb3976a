"""The app config of Wagtail's users and groups (`wagtail.users`), in `INSTALLED_APPS` instead of
Wagtail's own: its add, edit and delete views (who holds which role) ask for a recent log-in,
see `jazari.admin_users`. In a module of its own: beside `JazariConfig` in `jazari/apps.py`,
Django could no longer tell which config is the project package's."""

from wagtail.users.apps import WagtailUsersAppConfig


class WagtailUsersConfig(WagtailUsersAppConfig):
    user_viewset = "jazari.admin_users.UserViewSet"
    group_viewset = "jazari.admin_users.GroupViewSet"
