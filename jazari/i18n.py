"""Language handling shared by every page type.

Content is written once, in the default locale's page tree; the interface is translated into
French, Arabic and English. A page without a translation is served under every language prefix
(Wagtail routes `/en/…` through the default tree when the English tree doesn't exist), so its
links keep the visitor's language instead of falling back to French.
"""

from django.conf import settings
from django.utils import translation


def strip_language_prefix(path):
    """`/ar/courses/` → `/courses/`; paths without a language prefix are returned unchanged."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return "/" + path[len(prefix) :]
        if path == f"/{code}":
            return "/"
    return path


def localize_path(path, language_code=None):
    """The same path under a language prefix (none for the default language)."""
    language_code = language_code or translation.get_language() or settings.LANGUAGE_CODE
    path = strip_language_prefix(path)
    if language_code == settings.LANGUAGE_CODE:
        return path
    return f"/{language_code}{path}"


class ActiveLanguageURLMixin:
    """Page URLs follow the visitor's language when the page has no translation of its own."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if not parts or parts[2] is None:
            return parts
        site_id, root_url, page_path = parts
        active = translation.get_language() or settings.LANGUAGE_CODE
        # A path without a language prefix belongs to the default locale's tree.
        default_tree = strip_language_prefix(page_path) == page_path
        if default_tree and active != settings.LANGUAGE_CODE and active in dict(settings.LANGUAGES):
            page_path = localize_path(page_path, active)
        return site_id, root_url, page_path
