"""The public, absolute URLs of a certificate: what the PDF, the QR code, the API and the
badge point to. They are built by `jazari.addresses` (the request's own address when one is
being answered, else the site's public base URL, as the emails are), under a language prefix
(none for French), so they work wherever they are read.
"""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from jazari import addresses
from jazari.i18n import localize_path


def _url(name, certificate, language, request):
    with translation.override(settings.LANGUAGE_CODE):  # reverse without a prefix
        path = reverse(name, args=[certificate.code])
    return addresses.absolute_url(localize_path(path, language or settings.LANGUAGE_CODE), request)


def verification_url(certificate, language=None, *, request: HttpRequest | None = None):
    """The public verification page, in `language` (default: French, no prefix)."""
    return _url("certificates:verify", certificate, language, request)


def pdf_url(certificate, language=None, *, request: HttpRequest | None = None):
    return _url("certificates:pdf", certificate, language, request)


def badge_url(certificate, *, request: HttpRequest | None = None):
    """The Open Badges credential: its `id`, so one URL whatever the language."""
    return _url("certificates:badge", certificate, None, request)


def revocation_list_url(certificate, *, request: HttpRequest | None = None):
    return _url("certificates:revocations", certificate, None, request)


def page_url(page, language=None, *, request: HttpRequest | None = None):
    """A Wagtail page's absolute public URL in `language` (default: French), or None."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return addresses.page_url(page, request)


def home_url(*, request: HttpRequest | None = None):
    """The site's home page."""
    return addresses.absolute_url("/", request)
