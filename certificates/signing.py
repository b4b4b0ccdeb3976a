"""The network as the issuer of credentials: its DID, its keys, and credentials signed as VC-JWTs.

The issuer is the network, `did:web:<host>` of the site's public address
(`WAGTAILADMIN_BASE_URL`; a port is written `%3A`), whose DID document is served at
`/.well-known/did.json`. It publishes the current signing key and the previous ones
(`CREDENTIAL_SIGNING_KEY`, `CREDENTIAL_PREVIOUS_KEYS`, read by `jazari.credential_keys`) as
Ed25519 JWKs, each named by its JWK thumbprint (RFC 7638).

A credential is secured as in W3C's "Securing Verifiable Credentials using JOSE and COSE": a
compact JWS whose header is `{"alg": "EdDSA", "kid": "<did>#<thumbprint>", "typ": "vc+jwt"}` and
whose payload is the credential itself (plus the JWT claims `iss`, `jti`, `iat`, `nbf`). joserfc
signs and verifies; nothing here is cryptography of our own.

Rotation: make a new key (`python manage.py credential_key`), set it as
`CREDENTIAL_SIGNING_KEY` and add the old key's public half to `CREDENTIAL_PREVIOUS_KEYS`. New
credentials are signed with the new key; those signed before still verify, since their key stays
in the DID document. A key that leaked is removed from both instead: what it signed stops
verifying.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwa import EdDSAAlgorithm
from joserfc.jwk import OKPKey

from jazari import credential_keys

ALGORITHM = "EdDSA"
MEDIA_TYPE = "application/vc+jwt"
TYPE = "vc+jwt"
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"]


class _EdDSA(EdDSAAlgorithm):
    """joserfc's EdDSA, without its warning that RFC 9864 deprecates "EdDSA" for the fully
    specified "Ed25519": verifiers (PyJWT, jose, Open Badges validators) accept "EdDSA" today,
    few know "Ed25519" yet. The signing and verifying are joserfc's own."""

    security_warning = None


class _Registry(jws.JWSRegistry):
    """The one algorithm credentials are signed and verified with."""

    algorithms = {ALGORITHM: _EdDSA()}
    recommended = []


REGISTRY = _Registry(algorithms=[ALGORITHM])


@dataclass(frozen=True)
class IssuerKeys:
    current: OKPKey
    previous: tuple[OKPKey, ...]

    @property
    def published(self) -> tuple[OKPKey, ...]:
        """The public keys a verifier may find a credential's key among, current first."""
        return (self.current, *self.previous)

    def find(self, key_id: str) -> OKPKey | None:
        for key in self.published:
            if thumbprint(key) == key_id:
                return key
        return None


@lru_cache(maxsize=4)
def _keys(signing: str, previous: str) -> IssuerKeys:
    current = credential_keys.private_key(signing)
    olds = tuple(
        key
        for key in credential_keys.public_keys(previous)
        if thumbprint(key) != thumbprint(current)
    )
    return IssuerKeys(current, olds)


def keys() -> IssuerKeys:
    """The keys of the settings (read once per value)."""
    return _keys(settings.CREDENTIAL_SIGNING_KEY, settings.CREDENTIAL_PREVIOUS_KEYS)


def thumbprint(key: OKPKey) -> str:
    """The key's id: its JWK thumbprint (RFC 7638, SHA-256)."""
    return key.thumbprint()


def did_for_host(host: str) -> str:
    """`did:web:<host>` of a host name, with a port written `%3A` as did:web wants."""
    return "did:web:" + host.lower().replace(":", "%3A")


def issuer_did() -> str:
    """The network's DID, from the site's public address."""
    return did_for_host(urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc)


def public_jwk(key: OKPKey) -> dict:
    return {**key.as_dict(private=False), "kid": thumbprint(key)}


def did_document(did: str) -> dict:
    """The DID document of `did`, listing the published keys as assertion methods."""
    methods = [
        {
            "id": f"{did}#{thumbprint(key)}",
            "type": "JsonWebKey2020",
            "controller": did,
            "publicKeyJwk": public_jwk(key),
        }
        for key in keys().published
    ]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def sign(payload: dict) -> str:
    """`payload` (a credential with its JWT claims) as a compact VC-JWT, with the current key."""
    key = keys().current
    header = {"alg": ALGORITHM, "kid": f"{issuer_did()}#{thumbprint(key)}", "typ": TYPE}
    content = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact(header, content, key, registry=REGISTRY)


def _part(token: str, number: int):
    """The JSON of one part of a compact JWS (0: header, 1: payload), unchecked; or None."""
    try:
        part = token.split(".")[number]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return None


def unverified_payload(token: str) -> dict | None:
    """The payload of a VC-JWT without checking it (for display), or None."""
    payload = _part(token, 1)
    return payload if isinstance(payload, dict) else None


@dataclass(frozen=True)
class Verification:
    """What checking a VC-JWT against the published keys found."""

    valid: bool
    reason: str = ""
    """Why not: "missing", "malformed", "unknown_key", "bad_signature", "issuer_mismatch"."""
    payload: dict | None = None
    issuer: str = ""
    key_id: str = ""


def verify(token: str) -> Verification:
    """Check `token`'s signature with the published key its header names.

    Valid when the key is one of the network's (current or previous), the signature verifies
    with it, and the payload's issuer is the DID the key is named under.
    """
    if not token:
        return Verification(False, "missing")
    header = _part(token, 0)
    kid = header.get("kid") if isinstance(header, dict) else None
    if not isinstance(kid, str) or "#" not in kid:
        return Verification(False, "malformed")
    did, _hash, key_id = kid.partition("#")
    key = keys().find(key_id)
    if key is None:
        return Verification(False, "unknown_key", key_id=key_id)
    try:
        signed = jws.deserialize_compact(token, key, registry=REGISTRY)
    except BadSignatureError:
        return Verification(False, "bad_signature", key_id=key_id)
    except JoseError:
        return Verification(False, "malformed", key_id=key_id)
    try:
        payload = json.loads(signed.payload)
    except ValueError:
        return Verification(False, "malformed", key_id=key_id)
    issuer = payload.get("iss") if isinstance(payload, dict) else None
    if issuer != did:
        return Verification(False, "issuer_mismatch", payload=payload, key_id=key_id)
    return Verification(True, payload=payload, issuer=issuer, key_id=key_id)
