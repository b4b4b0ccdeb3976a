"""Verification codes: `JZ-XXXX-XXXX-XXXX`, read aloud, typed from paper, printed in a QR code.

Drawn from `jazari.codes.ALPHABET` (30 characters that can't be mistaken for one another).
Twelve characters drawn with `secrets` give 30**12 ≈ 5·10**17 codes (59 bits): a code reveals a
holder's name, so it must not be guessable by trying codes one after another, even with
millions of certificates issued.
"""

import re

from jazari.codes import ALPHABET, compact, random_groups, regroup

PREFIX = "JZ"
GROUPS = 3
GROUP_LENGTH = 4

# What a typed code may look like before it is normalised (case, spaces, dashes).
CODE_RE = re.compile(rf"^{PREFIX}(-[{ALPHABET}]{{{GROUP_LENGTH}}}){{{GROUPS}}}$")


def new_code():
    """A fresh random code, e.g. `JZ-7KQM-X3TD-HN9P`."""
    return "-".join([PREFIX, *random_groups(GROUPS, GROUP_LENGTH)])


def normalise(text):
    """The canonical form of a code as someone typed it (`jz 7kqm x3td hn9p`), or None.

    Letters are upper-cased and spaces or dashes between groups ignored, so what is read from
    paper finds the certificate; anything that can't be a code is None.
    """
    typed = compact(text)
    body = typed.removeprefix(PREFIX)
    if len(body) != GROUPS * GROUP_LENGTH or typed == body:
        return None
    code = f"{PREFIX}-{regroup(body, GROUP_LENGTH)}"
    return code if CODE_RE.match(code) else None
