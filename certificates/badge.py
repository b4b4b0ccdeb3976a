"""The certificate as an Open Badges 3.0 `OpenBadgeCredential` (JSON-LD), and its revocation list.

The credential is *unsigned*: it carries no `proof`, so a verifier can't check it offline.
What makes it trustworthy is where it is served from (the issuer's own site, over HTTPS) and
its status, which the verifier reads from `credentialStatus` (a 1EdTech revocation list of one
credential). Signing would need an issuer key pair kept as a secret and a published DID or
JWKS; until the network has one, no proof is made up.

The recipient is named by a salted SHA-256 of their email address (`IdentityObject`,
`hashed: true`), computed when the certificate was issued; skills align with ESCO where the
framework gives an ESCO URI, else with the skill's page on this site. Every URL in it is on the
address the credential was fetched from (`request`; see `jazari.addresses`).
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates import links
from institutes.models import InstitutePage
from jazari import addresses
from skills.models import Skill

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    # Defines `1EdTechRevocationList`, the type of `credentialStatus`.
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
]
ESCO_FRAMEWORK = "ESCO"


def _utc(value):
    return value.astimezone(timezone.UTC).isoformat().replace("+00:00", "Z")


def issuer_profile(institute, language, request=None):
    """The organising institute as an OB `Profile`; a regional institute names Jazari Root as
    its parent organisation."""
    home = links.home_url(request=request)
    profile = {
        "id": links.page_url(institute, request=request) or home,
        "type": ["Profile"],
        "name": institute.title,
        "url": links.page_url(institute, language, request=request) or home,
    }
    if not institute.is_hub:
        hub = InstitutePage.objects.filter(is_hub=True).first()
        if hub is not None:
            profile["parentOrg"] = {
                "id": links.page_url(hub, request=request) or home,
                "type": ["Profile"],
                "name": hub.title,
            }
    return profile


def alignments(certificate, request=None):
    """One `Alignment` per skill gained: the ESCO competency, else the skill's own page."""
    pages = {
        skill.slug: skill.get_absolute_url()
        for skill in Skill.objects.filter(slug__in=[s["slug"] for s in certificate.skills])
    }
    result = []
    for skill in certificate.skills:
        esco = skill.get("esco_uri")
        page = pages.get(skill["slug"])
        if page:
            page = addresses.absolute_url(page, request)
        url = esco or page
        if not url:
            continue
        alignment = {
            "type": ["Alignment"],
            "targetName": skill["name"],
            "targetUrl": url,
            "targetType": "ceasn:Competency",
            "targetFramework": ESCO_FRAMEWORK if esco else _("Jazari skills framework"),
            "targetDescription": skill.get("level_label", ""),
        }
        if esco:
            alignment["targetCode"] = esco.rstrip("/").rsplit("/", 1)[-1]
        result.append(alignment)
    return result


def open_badge(certificate, request=None):
    """The `OpenBadgeCredential` of `certificate` as a dict, in the certificate's language."""
    course = certificate.enrolment.session.course
    language = certificate.language
    with translation.override(language):
        hours = ngettext("%(counter)s hour", "%(counter)s hours", certificate.hours) % {
            "counter": certificate.hours
        }
        description = _("Completion of %(course)s (%(hours)s), organised by %(institute)s.") % {
            "course": certificate.course_title,
            "hours": hours,
            "institute": certificate.institute_name,
        }
        narrative = _(
            "Take part in the %(hours)s of %(course)s and be marked as having completed it "
            "by the organising institute."
        ) % {"hours": hours, "course": certificate.course_title}
        achievement = {
            "id": links.page_url(course, request=request)
            or links.verification_url(certificate, request=request),
            "type": ["Achievement"],
            "achievementType": "CertificateOfCompletion",
            "name": certificate.course_title,
            "description": description,
            "criteria": {"narrative": narrative},
            "inLanguage": language,
            "alignment": alignments(certificate, request),
        }
        subject = {"type": ["AchievementSubject"], "achievement": achievement}
        if certificate.identity_hash:
            subject["identifier"] = [
                {
                    "type": "IdentityObject",
                    "identityHash": certificate.identity_hash,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": certificate.identity_salt,
                }
            ]
        return {
            "@context": CONTEXTS,
            "id": links.badge_url(certificate, request=request),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": certificate.course_title,
            "description": description,
            "issuer": issuer_profile(course.institute, language, request),
            "validFrom": _utc(certificate.issued_at),
            "credentialSubject": subject,
            "credentialStatus": {
                "id": links.revocation_list_url(certificate, request=request),
                "type": "1EdTechRevocationList",
            },
        }


def revocation_list(certificate, request=None):
    """The 1EdTech revocation list `credentialStatus` points to: this credential, if revoked."""
    course = certificate.enrolment.session.course
    revoked = []
    if certificate.is_revoked:
        entry = {"id": links.badge_url(certificate, request=request)}
        if certificate.revoked_reason:
            entry["revocationReason"] = certificate.revoked_reason
        revoked.append(entry)
    return {
        "id": links.revocation_list_url(certificate, request=request),
        "issuer": issuer_profile(course.institute, certificate.language, request)["id"],
        "revokedCredentials": revoked,
    }
