"""Verification codes: `JZ-XXXX-XXXX-XXXX`, read aloud, typed from paper, printed in a QR code.

The alphabet is the 30 upper-case letters and digits that can't be mistaken for one another:
no O or 0, I, L or 1, and no U (read as V). Twelve characters drawn with `secrets` give
30**12 ≈ 5·10**17 codes (59 bits): a code reveals a holder's name, so it must not be guessable
by trying codes one after another, even with millions of certificates issued.
"""

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
PREFIX = "JZ"
GROUPS = 3
GROUP_LENGTH = 4

# What a typed code may look like before it is normalised (case, spaces, dashes).
CODE_RE = re.compile(rf"^{PREFIX}(-[{ALPHABET}]{{{GROUP_LENGTH}}}){{{GROUPS}}}$")


def new_code():
    """A fresh random code, e.g. `JZ-7KQM-X3TD-HN9P`."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join([PREFIX, *groups])


def normalise(text):
    """The canonical form of a code as someone typed it (`jz 7kqm x3td hn9p`), or None.

    Letters are upper-cased and spaces or dashes between groups ignored, so what is read from
    paper finds the certificate; anything that can't be a code is None.
    """
    compact = re.sub(r"[\s-]+", "", str(text or "")).upper()
    body = compact.removeprefix(PREFIX)
    if len(body) != GROUPS * GROUP_LENGTH or compact == body:
        return None
    code = "-".join(
        [PREFIX, *(body[i : i + GROUP_LENGTH] for i in range(0, len(body), GROUP_LENGTH))]
    )
    return code if CODE_RE.match(code) else None
