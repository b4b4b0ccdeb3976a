"""The certificate as a PDF: HTML rendered by WeasyPrint, in the certificate's language.

Labels are translated with gettext under `translation.override(certificate.language)`;
Arabic certificates are laid out right to left (`dir="rtl"`). DejaVu Sans covers Latin and
Arabic, and WeasyPrint shapes Arabic with HarfBuzz. The QR code (segno, an SVG data URI, so
no file or network access while rendering) encodes the public verification page's absolute
URL in the same language: on the address of the download that asked for the PDF, or on the
site's public base URL when a task renders it (`jazari.addresses`).
"""

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from weasyprint import HTML

from certificates import links
from skills.models import SkillLevel


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
    return HTML(string=html, base_url=links.home_url(request=request)).write_pdf()
