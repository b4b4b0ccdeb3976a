"""The public, absolute URLs of a certificate: what the PDF, the QR code, the API and the
badge point to. They are built on `WAGTAILADMIN_BASE_URL` (the site's public address, as the
emails do), under a language prefix (none for French), so they work wherever they are read.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from jazari.i18n import localize_path


def absolute_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _url(name, certificate, language):
    with translation.override(settings.LANGUAGE_CODE):  # reverse without a prefix
        path = reverse(name, args=[certificate.code])
    return absolute_url(localize_path(path, language or settings.LANGUAGE_CODE))


def verification_url(certificate, language=None):
    """The public verification page, in `language` (default: French, no prefix)."""
    return _url("certificates:verify", certificate, language)


def pdf_url(certificate, language=None):
    return _url("certificates:pdf", certificate, language)


def badge_url(certificate):
    """The Open Badges credential: its `id`, so one URL whatever the language."""
    return _url("certificates:badge", certificate, None)


def revocation_list_url(certificate):
    return _url("certificates:revocations", certificate, None)


def page_url(page, language=None):
    """A Wagtail page's absolute public URL in `language` (default: French), or None."""
    with translation.override(language or settings.LANGUAGE_CODE):
        parts = page.get_url_parts()
    if not parts or not parts[2]:
        return None
    return absolute_url(parts[2])
