"""Public certificate pages: verification, PDF download, Open Badges credential.

Anyone holding a code may see what it certifies; that is the point of a verification code.
The PDF follows the same rule while the certificate is valid; once revoked, only its holder
can still download it (410 for everyone else). Views stay thin: `certificates.services`
decides and renders, `certificates.badge` builds the JSON-LD.
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from certificates import badge, links, services
from certificates.codes import normalise
from certificates.models import Certificate
from certificates.pdf import skill_lines
from jazari.serving import file_response

JSON_LD = "application/ld+json"


def find_certificate(code):
    """The certificate with this code (typed in any case, with or without dashes), else 404."""
    canonical = normalise(code)
    if canonical is None:
        raise Http404(_("No certificate has this code."))
    return get_object_or_404(
        Certificate.objects.select_related("replaced_by", "enrolment__session__course__institute"),
        code=canonical,
    )


def is_holder(user, certificate):
    return user.is_authenticated and certificate.enrolment.learner_id == user.pk


def _verification_context(request, certificate):
    return {
        "certificate": certificate,
        "skills": skill_lines(certificate),
        "single_day": certificate.starts_on == certificate.ends_on,
        "replacement": certificate.replaced_by,
        "is_holder": is_holder(request.user, certificate),
        "badge_url": links.badge_url(certificate, request=request),
    }


def verify(request, code):
    """`/certificates/<code>/`: what the certificate states, and whether it still stands."""
    certificate = find_certificate(code)
    if code != certificate.code:
        return redirect("certificates:verify", certificate.code)
    response = render(
        request, "certificates/verify.html", _verification_context(request, certificate)
    )
    response["X-Robots-Tag"] = "noindex"  # holders' names stay out of search engines
    return response


@never_cache
def download_pdf(request, code):
    """`/certificates/<code>/pdf/`: the PDF, as a short-lived presigned URL (S3) or the file."""
    certificate = find_certificate(code)
    if certificate.is_revoked and not is_holder(request.user, certificate):
        context = _verification_context(request, certificate)
        return render(request, "certificates/verify.html", context, status=410)
    if not certificate.pdf:  # the task has not run yet, or failed: render it now
        try:
            certificate = services.attach_pdf(certificate.pk, request=request)
        except Exception:
            return HttpResponse(
                _("The PDF can't be made right now; try again in a few minutes."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
    return pdf_response(certificate)


def pdf_response(certificate):
    """A redirect to a presigned URL on object storage, else the file served by Django."""
    return file_response(
        certificate.pdf,
        filename=f"certificate-{certificate.code}.pdf",
        content_type="application/pdf",
    )


def _json_ld(data):
    response = JsonResponse(
        data, content_type=JSON_LD, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"  # badge verifiers run in browsers
    return response


def open_badge(request, code):
    """`/certificates/<code>/badge.json`: the unsigned Open Badges 3.0 credential."""
    return _json_ld(badge.open_badge(find_certificate(code), request))


def revocation_list(request, code):
    """`/certificates/<code>/revocations.json`: the list the badge's `credentialStatus` names."""
    return _json_ld(badge.revocation_list(find_certificate(code), request))
