"""Signed credentials: the VC-JWT checked by an independent verifier (PyJWT with the key the DID
document publishes), the DID document, key rotation, the status list, the verification page."""

import base64
import gzip
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from bs4 import BeautifulSoup
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command

from certificates import services, signing, status_list
from certificates.models import Certificate
from jazari import credential_keys
from jazari.time import CASABLANCA
from tests import factories
from tests.certificates_helpers import complete, course_with_skills

OTHER_KEY = credential_keys.development_key("another secret")


@pytest.fixture
def setting(tree):
    return course_with_skills(tree)


@pytest.fixture
def certificate(setting):
    amina = factories.learner("amina@example.com", full_name="Amina Benali")
    return Certificate.objects.get(enrolment=complete(amina, setting["session"]))


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def published_keys(client, host="testserver"):
    """{key id: PyJWK} from the DID document as the site serves it."""
    response = client.get("/.well-known/did.json", HTTP_HOST=host)
    assert response.status_code == 200
    document = response.json()
    return {
        method["id"]: jwt.PyJWK(method["publicKeyJwk"], algorithm="EdDSA")
        for method in document["verificationMethod"]
    }


def independently_verified(client, token):
    """The payload, verified by PyJWT with the DID document's key the header names."""
    kid = jwt.get_unverified_header(token)["kid"]
    key = published_keys(client)[kid]
    return jwt.decode(token, key=key, algorithms=["EdDSA"], options={"verify_aud": False})


def page_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def test_the_credential_verifies_with_an_independent_library_and_not_once_altered(
    client, certificate
):
    """credential.jwt: PyJWT verifies it with the key of /.well-known/did.json; changing one
    byte of its payload breaks the signature."""
    response = client.get(f"/certificates/{certificate.code}/credential.jwt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Access-Control-Allow-Origin"] == "*"
    token = response.content.decode()
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    assert header["kid"].startswith("did:web:testserver#")

    payload = independently_verified(client, token)
    assert payload["iss"] == payload["issuer"]["id"] == "did:web:testserver"
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["jti"] == payload["id"]
    badge = client.get(f"/certificates/{certificate.code}/badge.json").json()
    assert badge == {key: value for key, value in payload.items() if key in badge}
    assert set(payload) - set(badge) == {"iss", "jti", "iat", "nbf"}

    head, body, signature = token.split(".")
    altered = bytearray(b64url_decode(body))
    altered[altered.index(b"Introduction")] ^= 0x01  # "Introduction" → "Hntroduction"
    forged = ".".join([head, b64url_encode(bytes(altered)), signature])
    with pytest.raises(jwt.InvalidSignatureError):
        independently_verified(client, forged)
    assert signing.verify(forged).reason == "bad_signature"


def test_the_did_document_publishes_the_keys_for_the_requests_host(client, db):
    """did:web of the host asked (its port as %3A); each key an Ed25519 JWK named by its
    thumbprint, listed as an assertion method."""
    response = client.get("/.well-known/did.json", HTTP_HOST="skills.example.ma:8443")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+ld+json"
    document = response.json()
    did = "did:web:skills.example.ma%3A8443"
    assert document["id"] == did
    assert document["@context"][0] == "https://www.w3.org/ns/did/v1"
    [method] = document["verificationMethod"]
    jwk = method["publicKeyJwk"]
    assert (jwk["kty"], jwk["crv"]) == ("OKP", "Ed25519") and "d" not in jwk
    # RFC 7638: SHA-256 of the required members in lexicographic order, no spaces.
    canonical = json.dumps({"crv": jwk["crv"], "kty": "OKP", "x": jwk["x"]}, separators=(",", ":"))
    thumbprint = b64url_encode(hashlib.sha256(canonical.encode()).digest())
    assert method["id"] == f"{did}#{thumbprint}"
    assert (method["controller"], method["type"]) == (did, "JsonWebKey2020")
    assert document["assertionMethod"] == [method["id"]]
    assert client.get("/ar/.well-known/did.json").status_code == 404  # no language prefix


def test_credentials_signed_before_a_rotation_verify_while_their_key_is_published(
    client, certificate, settings
):
    """After a rotation the old key stays in the DID document (CREDENTIAL_PREVIOUS_KEYS):
    the old credential still verifies, new ones use the new key; withdrawn, it doesn't."""
    old_token = certificate.credential
    old_key = credential_keys.private_key(settings.CREDENTIAL_SIGNING_KEY)
    settings.CREDENTIAL_SIGNING_KEY = OTHER_KEY
    settings.CREDENTIAL_PREVIOUS_KEYS = credential_keys.public_text(old_key)

    assert len(published_keys(client)) == 2
    assert independently_verified(client, old_token)["jti"].endswith("badge.json")
    page = page_text(client.get(f"/en/certificates/{certificate.code}/"))
    assert "Signature verified: issued by did:web:testserver" in page

    newer = complete(factories.learner("bilal@example.com"), certificate.enrolment.session)
    new_token = newer.certificates.get().credential
    assert (
        jwt.get_unverified_header(new_token)["kid"] != jwt.get_unverified_header(old_token)["kid"]
    )
    assert independently_verified(client, new_token)["iss"] == "did:web:testserver"

    settings.CREDENTIAL_PREVIOUS_KEYS = ""  # the old key withdrawn (it leaked, say)
    assert len(published_keys(client)) == 1
    page = page_text(client.get(f"/en/certificates/{certificate.code}/"))
    assert "The signature does not verify" in page
    assert "Signature verified" not in page


def test_a_revoked_credential_is_set_in_the_status_list(client, setting, admin_user):
    """The status list credential (a VC-JWT PyJWT verifies) has a 16 KB bitstring, GZIP and
    multibase base64url, where the revoked certificate's bit is 1 and the others' 0; the
    verification page says it is revoked."""
    kept, revoked = (
        Certificate.objects.get(enrolment=complete(factories.learner(email), setting["session"]))
        for email in ("amina@example.com", "bilal@example.com")
    )
    services.revoke(revoked, actor=admin_user, reason="Attendance recorded in error")
    entry = json.loads(b64url_decode(revoked.credential.split(".")[1]))["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    url = urlsplit(entry["statusListCredential"])
    assert url.path == "/credentials/status/1"

    response = client.get(url.path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    listed = independently_verified(client, response.content.decode())
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["id"] == entry["statusListCredential"]
    subject = listed["credentialSubject"]
    assert (subject["type"], subject["statusPurpose"]) == ("BitstringStatusList", "revocation")
    encoded = subject["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(b64url_decode(encoded[1:]))
    assert len(bits) >= 16 * 1024

    def bit(index):
        return (bits[index // 8] >> (7 - index % 8)) & 1

    assert bit(int(entry["statusListIndex"])) == 1
    kept_index = json.loads(b64url_decode(kept.credential.split(".")[1]))["credentialStatus"]
    assert bit(int(kept_index["statusListIndex"])) == 0
    assert sum(bin(byte).count("1") for byte in bits) == 1

    page = page_text(client.get(f"/en/certificates/{revoked.code}/"))
    assert "Signature verified" in page
    assert "the network's status list marks it revoked" in page
    page = page_text(client.get(f"/en/certificates/{kept.code}/"))
    assert "not revoked, according to the network's status list" in page
    assert client.get("/credentials/status/2").status_code == 404
    assert client.get("/credentials/status/0").status_code == 404


def test_status_list_entries_are_fixed_distinct_and_shuffled():
    """Ids map to distinct indexes of their list, not in issuing order; list 2 starts after
    131,072 certificates."""
    entries = [status_list.entry_of(pk) for pk in range(1, 5001)]
    assert len(set(entries)) == 5000 and {number for number, _ in entries} == {1}
    indexes = [index for _, index in entries]
    assert indexes != sorted(indexes)
    assert all(0 <= index < status_list.SIZE for index in indexes)
    assert status_list.entry_of(status_list.SIZE + 1)[0] == 2
    assert status_list.entry_of(7) == status_list.entry_of(7)


def test_the_page_says_when_a_stored_credential_was_altered(client, certificate):
    """A credential changed in the database no longer verifies, and the page says so."""
    head, body, signature = certificate.credential.split(".")
    payload = json.loads(b64url_decode(body))
    payload["credentialSubject"]["achievement"]["name"] = "Doctorat en IA"
    forged = ".".join([head, b64url_encode(json.dumps(payload).encode()), signature])
    Certificate.objects.filter(pk=certificate.pk).update(credential=forged)
    text = page_text(client.get(f"/en/certificates/{certificate.code}/"))
    assert "The signature does not verify" in text


def test_a_certificate_issued_before_signing_is_signed_on_first_request(client, certificate):
    """Certificates from before (no credential, no status entry) get both once, then keep them."""
    Certificate.objects.filter(pk=certificate.pk).update(
        credential="", status_list=None, status_index=None
    )
    token = client.get(f"/certificates/{certificate.code}/credential.jwt").content.decode()
    certificate.refresh_from_db()
    assert certificate.credential == token
    assert (certificate.status_list, certificate.status_index) == status_list.entry_of(
        certificate.pk
    )
    assert independently_verified(client, token)["jti"].endswith("badge.json")
    assert client.get(f"/certificates/{certificate.code}/credential.jwt").content.decode() == token


def test_the_verification_page_offers_linkedin(client, certificate):
    """ "Add to LinkedIn": LinkedIn's add-to-profile link with name, organisation, month and year
    of issue, the public page and the code; a plain link."""
    soup = BeautifulSoup(client.get(f"/en/certificates/{certificate.code}/").content, "html.parser")
    [link] = [a for a in soup.find_all("a") if a.get_text(strip=True) == "Add to LinkedIn"]
    url = urlsplit(link["href"])
    assert (url.scheme, url.netloc, url.path) == ("https", "www.linkedin.com", "/profile/add")
    query = {name: values[0] for name, values in parse_qs(url.query).items()}
    issued = certificate.issued_at.astimezone(CASABLANCA)
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": f"Certificat de fin de formation · {certificate.course_title}",
        "organizationName": "Jazari Institute Fès",
        "issueYear": str(issued.year),
        "issueMonth": str(issued.month),
        "certUrl": f"http://testserver/certificates/{certificate.code}/",
        "certId": certificate.code,
    }
    assert not soup.find_all("script", src=lambda src: src and "linkedin" in src)


def test_keys_are_read_from_pem_or_base64url_and_bad_ones_refused():
    """CREDENTIAL_SIGNING_KEY as base64url or PKCS#8 PEM; anything else is refused."""
    raw = Ed25519PrivateKey.generate()
    pem = raw.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    seed = b64url_encode(
        raw.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    )
    from_pem = credential_keys.private_key(pem.replace("\n", "\\n"))
    assert signing.thumbprint(from_pem) == signing.thumbprint(credential_keys.private_key(seed))
    public_pem = (
        raw.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    both = credential_keys.public_keys(f"{public_pem}, {credential_keys.public_text(from_pem)}")
    assert {signing.thumbprint(key) for key in both} == {signing.thumbprint(from_pem)}
    for bad in ("", "not a key", b64url_encode(b"short"), "-----BEGIN PRIVATE KEY-----\nxx"):
        with pytest.raises(credential_keys.InvalidKey):
            credential_keys.private_key(bad)


def test_the_command_prints_a_new_key(capsys, settings):
    """`manage.py credential_key` prints a key the settings accept, and its public half."""
    call_command("credential_key")
    lines = capsys.readouterr().out.splitlines()
    key = lines[0].removeprefix("CREDENTIAL_SIGNING_KEY=")
    parsed = credential_keys.private_key(key)
    assert credential_keys.public_text(parsed) in lines[1]
    assert signing.thumbprint(parsed) in lines[2]
    settings.CREDENTIAL_SIGNING_KEY = key
    call_command("credential_key", "--public")
    assert credential_keys.public_text(parsed) in capsys.readouterr().out
