"""The certificate as an Open Badges 3.0 `OpenBadgeCredential`, and the credentials of its status.

`credential(certificate)` is what is signed when the certificate is issued
(`certificates.services`, `certificates.signing`) and kept: the verifiable credential of the
W3C data model 2.0 with the JWT claims of its VC-JWT (`iss`, `jti`, `iat`, `nbf`). Since it is
signed once, every address in it is on the site's public address (`WAGTAILADMIN_BASE_URL`),
never on the address of a request.

- The issuer is the network (`did:web:…`, named after Jazari Root); the organising institute
  is the achievement's `creator`.
- The recipient is named by a salted SHA-256 of their email address (`IdentityObject`,
  `hashed: true`), computed when the certificate was issued; the credential carries no name.
- Skills align with ESCO where the framework gives an ESCO URI, else with the skill's page on
  this site.
- `credentialStatus` is the certificate's entry in a W3C Bitstring Status List
  (`certificates.status_list`); `status_list_credential` is that list as a credential.

`revocation_list` is the 1EdTech revocation list that credentials served before signing named
as their status: kept so that copies of them still learn of a revocation.
"""

from datetime import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates import links, signing
from certificates.models import CertificateKind, duration_label
from certificates.status_list import encoded_list
from institutes.models import InstitutePage
from jazari import addresses
from skills.models import Skill

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ESCO_FRAMEWORK = "ESCO"
# Open Badges' vocabulary has no "certificate of attendance": an extension term says it.
ACHIEVEMENT_TYPES = {
    CertificateKind.COMPLETION: "CertificateOfCompletion",
    CertificateKind.ATTENDANCE: "ext:CertificateOfAttendance",
}
# The JWT claims of a VC-JWT, beside the credential's own properties.
JWT_CLAIMS = ("iss", "jti", "iat", "nbf", "exp", "sub")


def _utc(value: datetime) -> str:
    return value.astimezone(timezone.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def hub():
    return InstitutePage.objects.originals().filter(is_hub=True).first()


def issuer_profile():
    """The network as the issuer: its DID, named after Jazari Root."""
    network = hub()
    return {
        "id": signing.issuer_did(),
        "type": ["Profile"],
        "name": network.title if network else _("Jazari Skills"),
        "url": links.home_url(),
    }


def creator_profile(certificate):
    """The organising institute as an OB `Profile`; a regional institute names Jazari Root as
    its parent organisation."""
    institute = certificate.enrolment.session.course.institute
    home = links.home_url()
    profile = {
        "id": links.page_url(institute) or home,
        "type": ["Profile"],
        "name": certificate.institute_name,
        "url": links.page_url(institute, certificate.language) or home,
    }
    if not institute.is_hub:
        network = hub()
        if network is not None:
            profile["parentOrg"] = {
                "id": links.page_url(network) or home,
                "type": ["Profile"],
                "name": network.title,
            }
    return profile


def alignments(certificate):
    """One `Alignment` per skill gained: the ESCO competency, else the skill's own page."""
    pages = {
        skill.slug: skill.get_absolute_url()
        for skill in Skill.objects.originals().filter(
            slug__in=[s["slug"] for s in certificate.skills]
        )
    }
    result = []
    for skill in certificate.skills:
        esco = skill.get("esco_uri")
        page = pages.get(skill["slug"])
        if page:
            page = addresses.absolute_url(page)
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


def _texts(certificate):
    """(description, criteria) of the achievement, in the active language."""
    facts = {
        "course": certificate.course_title,
        "hours": duration_label(certificate.minutes),
        "institute": certificate.institute_name,
    }
    if certificate.kind == CertificateKind.ATTENDANCE:
        return (
            _("Attendance at %(course)s (%(hours)s), organised by %(institute)s.") % facts,
            _(
                "Be present at one meeting of %(course)s at least, as recorded by the organising "
                "institute."
            )
            % facts,
        )
    return (
        _("Completion of %(course)s (%(hours)s), organised by %(institute)s.") % facts,
        _(
            "Take part in %(course)s and meet its completion rule, as recorded by the organising "
            "institute."
        )
        % facts,
    )


def status_entry(certificate):
    """The certificate's `BitstringStatusListEntry`."""
    url = links.status_list_url(certificate.status_list)
    return {
        "id": f"{url}#{certificate.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(certificate.status_index),
        "statusListCredential": url,
    }


def credential(certificate):
    """The `OpenBadgeCredential` of `certificate` with its JWT claims, in its language."""
    course = certificate.enrolment.session.course
    language = certificate.language
    with translation.override(language):
        description, narrative = _texts(certificate)
        achievement = {
            "id": links.page_url(course) or links.verification_url(certificate),
            "type": ["Achievement"],
            "achievementType": ACHIEVEMENT_TYPES[certificate.kind],
            "name": certificate.course_title,
            "description": description,
            "criteria": {"narrative": narrative},
            "creator": creator_profile(certificate),
            "inLanguage": language,
            "alignment": alignments(certificate),
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
        if certificate.meetings:
            subject["activityStartDate"] = certificate.meetings[0]["starts_at"]
            subject["activityEndDate"] = certificate.meetings[-1]["ends_at"]
        issuer = issuer_profile()
        badge_id = links.badge_url(certificate)
        issued = int(certificate.issued_at.timestamp())
        return {
            "@context": CONTEXTS,
            "id": badge_id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": f"{CertificateKind(certificate.kind).label} · {certificate.course_title}",
            "description": description,
            "issuer": issuer,
            "validFrom": _utc(certificate.issued_at),
            "credentialSubject": subject,
            "credentialStatus": status_entry(certificate),
            "iss": issuer["id"],
            "jti": badge_id,
            "iat": issued,
            "nbf": issued,
        }


def without_jwt_claims(payload):
    """The credential alone, as `badge.json` serves it: the JWT's own claims taken out."""
    return {key: value for key, value in payload.items() if key not in JWT_CLAIMS}


def status_list_credential(number: int, revoked_indexes, now: datetime):
    """Status list `number` as a `BitstringStatusListCredential`, with its JWT claims."""
    url = links.status_list_url(number)
    did = signing.issuer_did()
    return {
        "@context": [CONTEXTS[0]],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": _utc(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked_indexes),
        },
        "iss": did,
        "jti": url,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
    }


def revocation_list(certificate, request=None):
    """The 1EdTech revocation list of the unsigned credentials served before: this credential,
    if revoked."""
    revoked = []
    if certificate.is_revoked:
        entry = {"id": links.badge_url(certificate, request=request)}
        if certificate.revoked_reason:
            entry["revocationReason"] = certificate.revoked_reason
        revoked.append(entry)
    return {
        "id": links.revocation_list_url(certificate, request=request),
        "issuer": addresses.absolute_url("/", request),
        "revokedCredentials": revoked,
    }
