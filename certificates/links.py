"""The public, absolute URLs of a certificate: what the PDF, the QR code, the API and the
badge point to. They are built by `jazari.addresses` (the request's own address when one is
being answered, else the site's public base URL, as the emails are), under a language prefix
(none for French), so they work wherever they are read.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation

from jazari import addresses
from jazari.i18n import localize_path
from jazari.time import CASABLANCA

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


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


def credential_url(certificate, *, request: HttpRequest | None = None):
    """The signed credential (VC-JWT)."""
    return _url("certificates:credential", certificate, None, request)


def revocation_list_url(certificate, *, request: HttpRequest | None = None):
    """The 1EdTech revocation list older copies of the credential point to."""
    return _url("certificates:revocations", certificate, None, request)


def status_list_url(number: int, *, request: HttpRequest | None = None):
    """The status list credential number `number` (no language prefix: it is data)."""
    return addresses.absolute_url(reverse("credentials:status_list", args=[number]), request)


def linkedin_url(certificate, name: str) -> str:
    """LinkedIn's "add to profile" link for the certificate, named `name`: a plain link that
    opens the learner's LinkedIn with the certification filled in (organisation, month and year
    of issue, the public verification page and the code)."""
    issued = timezone.localtime(certificate.issued_at, CASABLANCA)
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": certificate.institute_name,
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": verification_url(certificate, certificate.language),
        "certId": certificate.code,
    }
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(query)}"


def page_url(page, language=None, *, request: HttpRequest | None = None):
    """A Wagtail page's absolute public URL in `language` (default: French), or None."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return addresses.page_url(page, request)


def home_url(*, request: HttpRequest | None = None):
    """The site's home page."""
    return addresses.absolute_url("/", request)
