"""Public certificate pages: verification, PDF download, the Open Badges credential signed and
unsigned, and what verifiers fetch from the network as issuer (its DID document, the status
lists).

Anyone holding a code may see what it certifies; that is the point of a verification code.
The PDF follows the same rule while the certificate is valid; once revoked, only its holder
can still download it (410 for everyone else). Views stay thin: `certificates.services`
decides and renders, `certificates.badge` builds the credentials, `certificates.signing` signs
and checks them.
"""

from django.db.models import Max
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from certificates import badge, links, services, signing, verification
from certificates.codes import normalise
from certificates.models import Certificate
from certificates.pdf import meeting_lines, skill_lines
from jazari.serving import file_response

JSON_LD = "application/ld+json"
DID_JSON = "application/did+ld+json"
# Verifiers may keep a status list this long before asking again.
STATUS_LIST_MAX_AGE = 300


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


def linkedin_name(certificate):
    with translation.override(certificate.language):
        return f"{certificate.get_kind_display()} · {certificate.course_title}"


def _verification_context(request, certificate):
    return {
        "certificate": certificate,
        "skills": skill_lines(certificate),
        "meetings": meeting_lines(certificate),
        "single_day": certificate.starts_on == certificate.ends_on,
        "replacement": certificate.replaced_by,
        "is_holder": is_holder(request.user, certificate),
        "badge_url": links.badge_url(certificate, request=request),
        "credential_url": links.credential_url(certificate, request=request),
        "signature": verification.check(certificate),
        "linkedin_url": links.linkedin_url(certificate, linkedin_name(certificate)),
    }


def verify(request, code):
    """`/certificates/<code>/`: what the certificate states, whether its signed credential
    verifies, and whether it still stands."""
    certificate = find_certificate(code)
    if code != certificate.code:
        return redirect("certificates:verify", certificate.code)
    certificate = services.ensure_credential(certificate)
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
        certificate = services.ensure_credential(certificate)
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


def _for_verifiers(response):
    response["Access-Control-Allow-Origin"] = "*"  # badge verifiers run in browsers
    return response


def _json_ld(data, content_type=JSON_LD):
    return _for_verifiers(
        JsonResponse(
            data, content_type=content_type, json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
    )


def _jwt(token):
    return _for_verifiers(HttpResponse(token, content_type=signing.MEDIA_TYPE))


def open_badge(request, code):
    """`/certificates/<code>/badge.json`: the Open Badges 3.0 credential as signed, unsigned
    (the same JSON as the VC-JWT's payload, without the JWT's own claims)."""
    certificate = services.ensure_credential(find_certificate(code))
    return _json_ld(badge.without_jwt_claims(signing.unverified_payload(certificate.credential)))


def signed_credential(request, code):
    """`/certificates/<code>/credential.jwt`: the credential signed by the network (VC-JWT)."""
    return _jwt(services.ensure_credential(find_certificate(code)).credential)


def revocation_list(request, code):
    """`/certificates/<code>/revocations.json`: the 1EdTech list that credentials served before
    they were signed name as their status; signed credentials use the status lists."""
    return _json_ld(badge.revocation_list(find_certificate(code), request))


def did_document(request):
    """`/.well-known/did.json`: the DID document of `did:web:<this host>`, with the keys."""
    return _json_ld(
        signing.did_document(signing.did_for_host(request.get_host())), content_type=DID_JSON
    )


def status_list_credential(request, number):
    """`/credentials/status/<n>`: status list `n`, a signed `BitstringStatusListCredential`."""
    last = Certificate.objects.aggregate(last=Max("status_list"))["last"] or 1
    if not 1 <= number <= last:
        raise Http404(_("No such status list."))
    revoked = verification.revoked_indexes(number)
    payload = badge.status_list_credential(number, revoked, timezone.now())
    response = _jwt(signing.sign(payload))
    response["Cache-Control"] = f"public, max-age={STATUS_LIST_MAX_AGE}"
    return response
