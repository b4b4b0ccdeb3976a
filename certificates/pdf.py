"""The certificate as a PDF: HTML rendered by WeasyPrint, in the certificate's language.

Labels are translated with gettext under `translation.override(certificate.language)`;
Arabic certificates are laid out right to left (`dir="rtl"`). It says which kind of certificate
it is, carries the organising institute's name and logo (an image of the institute's page, given
to WeasyPrint as a data URI), the meetings attended with their hours, and the signatory copied
into the certificate when it was issued. DejaVu Sans covers Latin and
Arabic, and WeasyPrint shapes Arabic with HarfBuzz. The QR code (segno, an SVG data URI, so
no file or network access while rendering) encodes the public verification page's absolute
URL in the same language: on the address of the download that asked for the PDF, or on the
site's public base URL when a task renders it (`jazari.addresses`).

WeasyPrint fetches nothing by itself: `StaticOnlyFetcher` hands it `data:` URIs and the
project's own static files, read from disk (the staticfiles finders, else `STATIC_ROOT`), never
over HTTP. Any other address (http(s) elsewhere or even on this site outside `STATIC_URL`,
`file://`, ftp…) is refused and logged, and the PDF renders without it.
"""

import base64
import logging
import mimetypes
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils._os import safe_join
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from certificates import links
from skills.models import SkillLevel

logger = logging.getLogger("jazari.certificates.pdf")


def static_file(url, base_url):
    """The path on disk of the static file `url` names on this site, or None."""
    prefix = urljoin(base_url, settings.STATIC_URL)
    parts, static = urlsplit(url), urlsplit(prefix)
    if (parts.scheme, parts.netloc) != (static.scheme, static.netloc):
        return None
    if not parts.path.startswith(static.path):
        return None
    name = unquote(parts.path[len(static.path) :])
    if not name or "\x00" in name:
        return None
    try:
        found = finders.find(name)
        if not found and settings.STATIC_ROOT:
            found = safe_join(settings.STATIC_ROOT, name)
    except SuspiciousFileOperation:  # `..` out of the static folders
        return None
    if isinstance(found, list):
        found = found[0] if found else None
    return Path(found) if found and Path(found).is_file() else None


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's fetcher for certificates: `data:` URIs and this site's static files only."""

    def __init__(self, base_url):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=5)
        self.base_url = base_url

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_file(url, self.base_url)
        if path is None:
            logger.warning("certificate PDF: refused to fetch %s", url[:300])
            raise ValueError(f"Only static files and data: URIs may be fetched, not {url[:300]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def html_to_pdf(html, base_url):
    """The PDF of `html`, fetching only what `StaticOnlyFetcher` allows."""
    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(base_url)).write_pdf()


def qr_data_uri(url):
    """An SVG QR code of `url` as a data URI; error correction M survives a crease or a stain."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


def skill_lines(certificate):
    """The skills as issued, each level labelled in the active language."""
    lines = []
    for skill in certificate.skills:
        try:
            label = SkillLevel(skill["level"]).label
        except ValueError:
            label = skill.get("level_label", "")
        lines.append({"name": skill["name"], "level": skill["level"], "level_label": label})
    return lines


def meeting_lines(certificate):
    """The meetings attended as issued: [{"starts_at", "ends_at"}] aware datetimes, in order."""
    lines = []
    for meeting in certificate.meetings:
        starts_at = parse_datetime(meeting.get("starts_at") or "")
        ends_at = parse_datetime(meeting.get("ends_at") or "")
        if isinstance(starts_at, datetime) and isinstance(ends_at, datetime):
            lines.append(
                {"starts_at": timezone.localtime(starts_at), "ends_at": timezone.localtime(ends_at)}
            )
    return lines


# The logo as printed: at most this many pixels (about 60 × 22 mm at 200 dpi).
LOGO_RENDITION = "max-480x180|format-png"


def logo_data_uri(certificate):
    """The organising institute's logo as a data URI, or None (none set, or unreadable: the
    certificate is printed without it rather than not at all)."""
    image = certificate.enrolment.session.course.institute.logo
    if image is None:
        return None
    try:
        if image.is_svg():
            source, content_type = image.file, "image/svg+xml"
        else:
            source, content_type = image.get_rendition(LOGO_RENDITION).file, "image/png"
        with source.open("rb") as handle:
            content = handle.read()
    except Exception:  # storage unreachable, a broken image: log it, print the rest
        logger.exception("certificate PDF: logo of image %s not read", image.pk)
        return None
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


def certificate_context(certificate, request=None):
    """What the PDF template shows; called under the certificate's language."""
    language = certificate.language
    verification_url = links.verification_url(certificate, language, request=request)
    return {
        "certificate": certificate,
        # Pre-rendered for the one translated sentence naming them: format_html escapes the
        # holder's name and the course title (user input) before the markup is marked safe.
        "holder_html": format_html('<span class="holder">{}</span>', certificate.holder_name),
        "course_html": format_html('<span class="course">{}</span>', certificate.course_title),
        "language": language,
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "skills": skill_lines(certificate),
        "meetings": meeting_lines(certificate),
        "logo": logo_data_uri(certificate),
        "single_day": certificate.starts_on == certificate.ends_on,
        "verification_url": verification_url,
        "qr_code": qr_data_uri(verification_url),
    }


def certificate_html(certificate, request=None):
    """The HTML given to WeasyPrint, in the certificate's language."""
    with translation.override(certificate.language):
        return render_to_string(
            "certificates/certificate_pdf.html", certificate_context(certificate, request)
        )


def render_pdf(certificate, request=None):
    """The PDF's bytes (about a second of CPU: called by tasks, or on a first download)."""
    html = certificate_html(certificate, request)
    return html_to_pdf(html, links.home_url(request=request))
