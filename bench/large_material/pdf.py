"""The material benchmark's file: a real one-page PDF whose bulk is an unreferenced stream of
random bytes, so it passes the upload's content check (materials/validation.py) honestly."""

import hashlib
import os

MB = 1024 * 1024


def write_pdf(path, size):
    """A valid one-page PDF of exactly `size` bytes (>= 2 KB): its bulk is an unreferenced
    stream of random bytes. Returns its SHA-256 (hex)."""
    text = b"BT /F1 24 Tf 72 720 Td (Jazari Skills: benchmark material) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    head = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(head))
        head += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets.append(len(head))  # object 6: the padding stream

    def layout(padding):
        opening = b"6 0 obj\n<< /Length %d >>\nstream\n" % padding
        closing = b"\nendstream\nendobj\n"
        xref_at = len(head) + len(opening) + padding + len(closing)
        xref = b"xref\n0 7\n0000000000 65535 f \n" + b"".join(
            b"%010d 00000 n \n" % offset for offset in offsets
        )
        trailer = b"trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref_at
        return opening, closing + xref + trailer

    padding = size - len(head) - 200
    for _ in range(5):  # the digits of the lengths move the total by a byte or two
        opening, tail = layout(padding)
        total = len(head) + len(opening) + padding + len(tail)
        if total == size:
            break
        padding += size - total
    if padding < 0 or total != size:
        raise ValueError(f"cannot make a PDF of {size} bytes")

    digest = hashlib.sha256()
    with open(path, "wb") as out:
        for piece in (bytes(head), opening):
            out.write(piece)
            digest.update(piece)
        left = padding
        while left:
            block = os.urandom(min(left, 8 * MB))
            out.write(block)
            digest.update(block)
            left -= len(block)
        out.write(tail)
        digest.update(tail)
    return digest.hexdigest()
