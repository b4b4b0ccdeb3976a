"""The network's credential keys as the environment gives them: Ed25519, read and checked.

Certificates are signed with one Ed25519 key of the network (`certificates.signing`). The
settings read it from `CREDENTIAL_SIGNING_KEY`, in either of two forms, whichever is simpler to
put in an environment variable:

- the 32-byte private key (its seed) in base64url, 43 characters, no padding: what
  `python manage.py credential_key` prints; or
- a PKCS#8 PEM block (`-----BEGIN PRIVATE KEY-----` …), as `openssl genpkey -algorithm ed25519`
  writes it (newlines may be written `\\n`).

`CREDENTIAL_PREVIOUS_KEYS` lists the public keys of earlier signing keys, still published after
a rotation so that the credentials they signed keep verifying: each the 32-byte public key in
base64url (the JWK's `x`, printed by the command too) or a PEM `PUBLIC KEY` block, separated by
commas or spaces.

Development and tests never need a key: `development_key` derives one from their secret key,
and production refuses to start without a real one (`jazari.settings.production`). This module
only reads keys (with `cryptography`, through joserfc); signing is `certificates.signing`'s.
"""

import base64
import binascii
import hashlib
import re

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from joserfc.jwk import OKPKey

SEED_BYTES = 32
PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----", re.DOTALL)


class InvalidKey(ValueError):
    """A key that can't be read; the message says what was expected (never the key)."""


def _b64url(text: str) -> bytes:
    text = text.strip()
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidKey("not base64url") from error


def _pem(text: str) -> bytes:
    return text.replace("\\n", "\n").strip().encode()


def private_key(text: str) -> OKPKey:
    """The Ed25519 signing key `text` gives (base64url seed or PKCS#8 PEM); `InvalidKey` if none."""
    text = (text or "").strip()
    if not text:
        raise InvalidKey("empty")
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(_pem(text), password=None)
        except (ValueError, TypeError) as error:
            raise InvalidKey("a PEM block that is not an unencrypted private key") from error
        if not isinstance(key, Ed25519PrivateKey):
            raise InvalidKey("a PEM private key that is not Ed25519")
    else:
        seed = _b64url(text)
        if len(seed) != SEED_BYTES:
            raise InvalidKey(f"{len(seed)} bytes where an Ed25519 seed has {SEED_BYTES}")
        key = Ed25519PrivateKey.from_private_bytes(seed)
    return OKPKey.import_key(key)


def public_keys(text: str) -> list[OKPKey]:
    """The Ed25519 public keys listed in `text` (base64url or PEM, comma or space separated)."""
    keys = []
    text = (text or "").replace("\\n", "\n")
    for block in PEM_BLOCK.finditer(text):
        try:
            key = serialization.load_pem_public_key(block.group(0).encode())
        except ValueError as error:
            raise InvalidKey("a PEM block that is not a public key") from error
        if not isinstance(key, Ed25519PublicKey):
            raise InvalidKey("a PEM public key that is not Ed25519")
        keys.append(OKPKey.import_key(key))
    for token in re.split(r"[\s,]+", PEM_BLOCK.sub(" ", text)):
        if not token:
            continue
        raw = _b64url(token)
        if len(raw) != SEED_BYTES:
            raise InvalidKey(f"{len(raw)} bytes where an Ed25519 public key has {SEED_BYTES}")
        keys.append(OKPKey.import_key(Ed25519PublicKey.from_public_bytes(raw)))
    return keys


def encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def new_private_key() -> str:
    """A fresh signing key, as `CREDENTIAL_SIGNING_KEY` takes it (base64url seed)."""
    key = Ed25519PrivateKey.generate()
    return encode(
        key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    )


def public_text(key: OKPKey) -> str:
    """The public half of `key` as `CREDENTIAL_PREVIOUS_KEYS` takes it (the JWK's `x`)."""
    return key.as_dict(private=False)["x"]


def development_key(secret: str) -> str:
    """A signing key derived from `secret` (the settings' secret key): for `dev` and `test`
    only, so that credentials are signed there without configuring anything."""
    seed = hashlib.sha256(b"jazari-credential-development-key\0" + secret.encode()).digest()
    return encode(seed)
