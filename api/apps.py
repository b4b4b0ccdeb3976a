from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "JSON API"

    def ready(self):
        from api import tokens  # noqa: F401  (connects the password-change receivers)
