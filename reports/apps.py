from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The programme's figures: the admin's Programme area, its exports and the open data."""

    name = "reports"
    verbose_name = _("Programme reports")

    def ready(self):
        from reports import receivers  # noqa: F401
