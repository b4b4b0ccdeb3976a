"""The "your certificate is ready" email: what its templates are given, and when it is no longer
owed. Registered with `enrolments.emails` (`email_context`, `email_obsolete`) when `ready()` imports
this module; the templates are `certificates/templates/enrolments/emails/certificate_ready*`.

The email is owed by `certificates.services` for each certificate issued, with the certificate's
id in the notification's data. It links to the public verification page and to the PDF, in the
learner's language; a certificate revoked before the email went out is not announced.
"""

from django.utils import translation

from certificates import links
from certificates.models import Certificate
from enrolments.emails import email_context, email_obsolete
from enrolments.models import NotificationKind


def _certificate(notification):
    if notification.kind != NotificationKind.CERTIFICATE_READY:
        return None
    certificate_id = (notification.data or {}).get("certificate")
    if not isinstance(certificate_id, int):
        return None
    return Certificate.objects.filter(pk=certificate_id).first()


@email_context.register
def certificate_context(notification) -> dict:
    """The certificate, its kind and its links, for a `certificate_ready` email; else nothing."""
    certificate = _certificate(notification)
    if certificate is None:
        return {}
    language = translation.get_language()
    return {
        "certificate": certificate,
        "certificate_kind": certificate.get_kind_display(),
        "verification_url": links.verification_url(certificate, language),
        "pdf_url": links.pdf_url(certificate, language),
    }


@email_obsolete.register
def certificate_obsolete(notification) -> str | None:
    """Why a `certificate_ready` email is no longer owed: the certificate is revoked or gone."""
    if notification.kind != NotificationKind.CERTIFICATE_READY:
        return None
    certificate = _certificate(notification)
    if certificate is None:
        return "no such certificate"
    if certificate.is_revoked:
        return "certificate revoked"
    return None
