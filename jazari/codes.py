"""Codes people read aloud, type from paper or a phone's screen, and scan as QR codes.

The alphabet is the 30 upper-case letters and digits that can't be mistaken for one another:
no O or 0, I, L or 1, and no U (read as V). Certificates' verification codes
(`certificates.codes`) and enrolments' tickets (`enrolments.tickets`) are drawn from it with
`secrets`, in groups separated by dashes; what someone typed is read back whatever its case,
spaces and dashes.
"""

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def random_groups(groups: int, length: int) -> list[str]:
    """`groups` random groups of `length` characters of the alphabet."""
    return ["".join(secrets.choice(ALPHABET) for _ in range(length)) for _ in range(groups)]


def compact(text) -> str:
    """What was typed, upper-cased, without spaces or dashes (`jz 7kqm-x3td` → `JZ7KQMX3TD`)."""
    return re.sub(r"[\s\-‐‑–—]+", "", str(text or "")).upper()


def regroup(body: str, length: int) -> str:
    """`body` cut into groups of `length` characters joined by dashes."""
    return "-".join(body[i : i + length] for i in range(0, len(body), length))


def only_alphabet(body: str) -> bool:
    return all(character in ALPHABET for character in body)
