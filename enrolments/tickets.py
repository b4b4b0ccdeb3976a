"""Tickets: the code of an enrolment, shown with its QR code and scanned (or typed) at check-in.

`K7QMX-3TDHN`: ten characters of `jazari.codes.ALPHABET` in two groups, 30**10 ≈ 6·10**14
codes (49 bits). Every enrolment gets one when it is written (the field's default, so bulk
inserts get theirs too); it is shown once the enrolment holds a seat. A ticket only lets staff
of the session's institute check its learner in, but it must not be guessable either: a code
typed at the door finds one learner, never a neighbour's.
"""

import io

import segno

from jazari.codes import compact, only_alphabet, random_groups, regroup

GROUPS = 2
GROUP_LENGTH = 5
LENGTH = GROUPS * GROUP_LENGTH + GROUPS - 1  # with its dash


def new_ticket() -> str:
    """A fresh random ticket code, e.g. `K7QMX-3TDHN`."""
    return "-".join(random_groups(GROUPS, GROUP_LENGTH))


def normalise_ticket(text) -> str | None:
    """The canonical form of a ticket as typed or scanned (`k7qmx 3tdhn`), or None when it
    can't be one."""
    body = compact(text)
    if len(body) != GROUPS * GROUP_LENGTH or not only_alphabet(body):
        return None
    return regroup(body, GROUP_LENGTH)


# The QR code: the bare ticket code (`K7QMX-3TDHN`, QR's alphanumeric mode, a 21×21 symbol),
# with the quiet zone of four modules that scanners need.
QR_BORDER = 4


def _qr_code(code: str):
    return segno.make(code, error="m", micro=False)


def ticket_qr_svg_uri(code: str) -> str:
    """The ticket's QR code as an SVG `data:` URI, for an `<img>` on a page (the site's CSP
    allows `data:` images)."""
    return _qr_code(code).svg_data_uri(scale=6, border=QR_BORDER)


def ticket_qr_png(code: str) -> bytes:
    """The ticket's QR code as a PNG, for email clients that show no SVG."""
    buffer = io.BytesIO()
    _qr_code(code).save(buffer, kind="png", scale=8, border=QR_BORDER)
    return buffer.getvalue()
