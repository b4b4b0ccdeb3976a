"""Cover images for demo courses, drawn with Pillow rather than shipped as binary files.

Each cover is a two-colour gradient with a simple geometric motif, 1200x630 (the Open Graph
size, so the same image serves link previews). Drawing them keeps the repository free of
binaries and the demo free of images whose licence someone would have to check.
"""

import functools
import io
import math

from PIL import Image, ImageDraw, ImageOps

SIZE = (1200, 630)

# (dark, light, motif) — distinct palettes, so neighbouring cards in the catalogue differ.
PALETTES = (
    ("#0b3d91", "#4fc3f7", "circles"),
    ("#1b5e20", "#aed581", "stripes"),
    ("#4a148c", "#f48fb1", "grid"),
    ("#b71c1c", "#ffcc80", "triangles"),
    ("#004d40", "#80cbc4", "rings"),
    ("#263238", "#90a4ae", "stripes"),
    ("#e65100", "#fff176", "circles"),
    ("#311b92", "#80deea", "triangles"),
    ("#880e4f", "#ce93d8", "rings"),
    ("#33691e", "#ffe082", "grid"),
)


def cover_title(number: int) -> str:
    """The Wagtail image title, also the key that makes image creation idempotent."""
    return f"Couverture de démonstration {number + 1:02d}"


def cover_filename(number: int) -> str:
    return f"demo-cover-{number + 1:02d}.png"


@functools.cache
def draw_cover(number: int) -> bytes:
    """PNG bytes of cover `number` (0-based, modulo the palettes); drawn once per process."""
    dark, light, motif = PALETTES[number % len(PALETTES)]
    vertical = Image.linear_gradient("L").resize(SIZE)
    horizontal = vertical.transpose(Image.Transpose.ROTATE_90).resize(SIZE)
    if number % 2:
        horizontal = ImageOps.mirror(horizontal)
    gradient = Image.blend(vertical, horizontal, 0.35 + 0.06 * (number % 5))
    image = ImageOps.colorize(gradient, black=dark, white=light).convert("RGBA")

    overlay = Image.new("RGBA", SIZE, (255, 255, 255, 0))
    draw = ImageDraw.Draw(overlay)
    white = (255, 255, 255, 60)
    width, height = SIZE
    if motif == "circles":
        for i in range(7):
            r = 40 + 25 * i
            x, y = 850 + 40 * math.cos(i), 300 + 40 * math.sin(i)
            draw.ellipse((x - r, y - r, x + r, y + r), outline=white, width=6)
    elif motif == "stripes":
        for x in range(-height, width, 70):
            draw.line((x, height, x + height, 0), fill=white, width=18)
    elif motif == "grid":
        for x in range(0, width, 90):
            for y in range(0, height, 90):
                draw.rectangle((x + 20, y + 20, x + 60, y + 60), fill=white)
    elif motif == "triangles":
        for i in range(6):
            x = 90 + 170 * i
            draw.polygon(((x, 480), (x + 90, 480 - 160), (x + 180, 480)), fill=white)
    else:  # rings
        for i in range(1, 12):
            r = 45 * i
            draw.ellipse((width - r, height - r, width + r, height + r), outline=white, width=8)

    image = Image.alpha_composite(image, overlay).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
