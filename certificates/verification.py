"""What a verifier would find: a certificate's stored credential checked against the network's
published keys, and its entry read from the status list the site publishes.

The verification page shows it ("Signature verified: issued by did:web:… on …", or that the
signature does not verify) with the revocation status the list gives; the status list view
publishes the same bits (`revoked_indexes`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from certificates import signing, status_list
from certificates.models import Certificate


def revoked_indexes(number: int) -> list[int]:
    """The indexes set in status list `number`: its revoked certificates' (one query)."""
    return list(
        Certificate.objects.filter(status_list=number, revoked_at__isnull=False).values_list(
            "status_index", flat=True
        )
    )


def listed_as_revoked(payload: dict | None) -> bool | None:
    """Whether the status list a credential names marks it revoked: None when the credential
    names no list entry that can be read."""
    entry = (payload or {}).get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return None
    try:
        index = int(entry["statusListIndex"])
        number = int(str(entry["statusListCredential"]).rstrip("/").rsplit("/", 1)[-1])
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= index < status_list.SIZE:
        return None
    return status_list.is_set(status_list.bitstring(revoked_indexes(number)), index)


@dataclass(frozen=True)
class Check:
    verified: bool
    issuer: str = ""
    issued: datetime | None = None
    revoked: bool | None = None
    """What the status list says; None when the signature doesn't verify."""


def check(certificate: Certificate) -> Check:
    """The certificate's stored credential, verified, and its status in its list."""
    result = signing.verify(certificate.credential)
    if not result.valid:
        return Check(False)
    issued = parse_datetime(str(result.payload.get("validFrom") or ""))
    return Check(
        True,
        issuer=result.issuer,
        issued=timezone.localtime(issued) if issued else None,
        revoked=listed_as_revoked(result.payload),
    )
