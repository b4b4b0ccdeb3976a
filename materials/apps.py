from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "materials"
    verbose_name = _("Course material")

    def ready(self):
        from materials import extensions, signals  # noqa: F401
