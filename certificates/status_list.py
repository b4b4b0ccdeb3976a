"""Revocation as a W3C Bitstring Status List: where each certificate's bit is, and the list.

Every certificate has one entry, given when it is issued and never changed: a list number and
an index in it (`entry_of`). A list holds 131,072 entries (16 KB, the specification's minimum,
so that a list says nothing of how many certificates exist); certificate ids 1…131,072 fall in
list 1, the next 131,072 in list 2, and so on. Within a list the index is the id's position run
through a fixed permutation (multiplying by an odd number modulo 2**17), so neighbouring indexes
don't tell which certificates were issued one after the other.

A revoked certificate's bit is 1. `encoded_list` is what the status list credential publishes:
the bitstring GZIP-compressed, then base64url without padding behind the multibase prefix `u`;
the first bit (index 0) is the most significant bit of the first byte. All pure: the database
is read by the caller.
"""

import base64
import gzip

SIZE = 131_072
MULTIPLIER = 92_821  # odd, so that i ↦ i × MULTIPLIER mod SIZE is a permutation
OFFSET = 48_271
MULTIBASE_BASE64URL = "u"


def entry_of(certificate_id: int) -> tuple[int, int]:
    """(list number from 1, index in that list) of the certificate with this id."""
    position = (certificate_id - 1) % SIZE
    return (certificate_id - 1) // SIZE + 1, (position * MULTIPLIER + OFFSET) % SIZE


def bitstring(indexes) -> bytes:
    """SIZE bits, those at `indexes` set."""
    bits = bytearray(SIZE // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encoded_list(indexes) -> str:
    """The `encodedList` of a list whose entries at `indexes` are set."""
    compressed = gzip.compress(bitstring(indexes), mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    """The bitstring of an `encodedList` (what a verifier does)."""
    if not encoded.startswith(MULTIBASE_BASE64URL):
        raise ValueError("not multibase base64url")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
