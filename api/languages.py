"""The language of an answer of `/api/v1/`: `?lang=`, else `Accept-Language`, else French.

Courses, institutes, skills, their categories and audiences are written in French and may be
translated (`jazari.i18n`). An answer gives each object's text in the requested language where
a translation exists, else the original's, and says which on the object (`text_language`); ids
and slugs are the originals' in every language, so a partner's references hold. The answer's
messages (`detail`, labels) are in the requested language too, which `Content-Language` names.

`lang` is a partner's explicit choice: a value the site doesn't speak answers 400, so that a
typo is seen rather than served in French. `Accept-Language` is what a browser or an HTTP
library sends on its own: languages the site doesn't speak are passed over, as on the site.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import language_code_re, parse_accept_lang_header
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions

from api.serializers import ErrorSerializer

PARAMETER = "lang"


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def from_accept_language(header: str) -> str | None:
    """The first language of an `Accept-Language` header that the site speaks (`ar-MA` is
    `ar`), in the order of preference; None if there is none."""
    for code, _quality in parse_accept_lang_header(header or ""):
        if code == "*":
            break
        if not language_code_re.search(code):
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def requested_language(request) -> str:
    """The language the request asks for; `ValidationError` (400) for a `lang` the site doesn't
    speak."""
    asked = request.query_params.get(PARAMETER, "")
    if asked.strip():  # `?lang=` empty is no choice, as for the filters
        code = asked.strip().lower()
        if code not in site_languages():
            raise exceptions.ValidationError(
                {
                    PARAMETER: [
                        _("“%(value)s” is not a language of the site; use one of %(codes)s.")
                        % {"value": asked[:20], "codes": ", ".join(site_languages())}
                    ]
                }
            )
        return code
    return (
        from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", "")) or settings.LANGUAGE_CODE
    )


# The OpenAPI document

LANG_HELP = (
    "The language of the answer: `fr`, `ar` or `en`. Course titles and summaries, institute "
    "names and addresses, skill, skill category and audience names and descriptions come in "
    "their translation into it where one exists, else in their original language (French): "
    "each such object says which in `text_language`. Ids and slugs are the same in every "
    "language. Messages (`detail`, labels) and page URLs follow it too; the response's "
    "`Content-Language` header names it. Takes precedence over `Accept-Language`; any other "
    "value answers 400 (an empty one is no choice)."
)
ACCEPT_LANGUAGE_HELP = (
    "Used when `lang` is not given: the first of its languages the site speaks (`ar-MA` is "
    "`ar`); French when none is."
)
LANGUAGE_PARAMETERS = [
    OpenApiParameter(PARAMETER, str, enum=site_languages(), description=LANG_HELP),
    OpenApiParameter(
        "Accept-Language",
        str,
        OpenApiParameter.HEADER,
        description=ACCEPT_LANGUAGE_HELP,
    ),
]
BAD_LANGUAGE = OpenApiResponse(
    ErrorSerializer, description="`lang` is not one of the site's languages."
)


class LanguageAutoSchema(AutoSchema):
    """Every operation of `/api/v1/` takes `lang` and `Accept-Language`, and may answer 400
    for a `lang` the site doesn't speak."""

    def get_override_parameters(self):
        return [*LANGUAGE_PARAMETERS, *super().get_override_parameters()]

    def _get_response_bodies(self, direction="response"):
        # `extend_schema(responses=…)` replaces `get_response_serializers`: add it here.
        responses = super()._get_response_bodies(direction)
        if direction == "response" and "400" not in responses:
            responses["400"] = self._get_response_for_code(BAD_LANGUAGE, "400")
        return responses
