"""The schema generator of `/api/v1/`, apart from `api.schema` so that settings can name it.

`SPECTACULAR_SETTINGS["DEFAULT_GENERATOR_CLASS"]` points here: `manage.py spectacular` then
describes the same endpoints as `/api/v1/openapi.json` (drf-spectacular's views read that
setting when imported, so the class must live in a module that does not import them).
"""

from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator


def api_prefix():
    """Where `api.urls` is mounted, e.g. `/api/v1/`."""
    return reverse("api:openapi").removesuffix("openapi.json")


class ApiSchemaGenerator(SchemaGenerator):
    """Only the endpoints under `/api/v1/`: Wagtail's admin API is DRF too, and is left out."""

    def _initialise_endpoints(self):
        super()._initialise_endpoints()
        prefix = api_prefix()
        self.endpoints = [endpoint for endpoint in self.endpoints if endpoint[0].startswith(prefix)]
