"""The OpenAPI document of `/api/v1/` only (Wagtail's admin API is DRF too, and is left out).

It is written in English unless `?lang=fr|ar|en` asks for another interface language (choice
labels and messages are translated; the descriptions are English).
"""

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView

from api.generators import ApiSchemaGenerator

DEFAULT_LANGUAGE = "en"


def schema_language(request):
    language = request.GET.get("lang")
    return language if language in dict(settings.LANGUAGES) else DEFAULT_LANGUAGE


def api_schema(request):
    """The OpenAPI document as a dict, in the language a plain Django `request` asks for."""
    with translation.override(schema_language(request)):
        return ApiSchemaGenerator().get_schema(request=None, public=True)


class OpenAPIView(SpectacularJSONAPIView):
    """`GET /api/v1/openapi.json`."""

    generator_class = ApiSchemaGenerator

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        with translation.override(schema_language(request)):
            return self._get_schema_response(request)
