"""Draws the site's icons and its default share image, once; the files are committed.

    .venv/bin/python -m jazari.icons

The mark is the header's: a saffron eight-pointed star (two squares, one turned by 45°, as in
zellige) on the deep teal of the header. It writes, under `jazari/static/`:
`icons/favicon.svg` (browsers that take SVG), `icons/favicon.ico` (16, 32 and 48 px),
`icons/apple-touch-icon.png` (180 px), `icons/icon-192.png` and `icons/icon-512.png` (the web
manifest's; the star stays inside the central circle that Android's masks keep) and
`img/share-default.png` (1200×630, the Open Graph image of pages without one of their own).
Only Pillow and a DejaVu font (Debian's `fonts-dejavu-core`) are needed.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

STATIC = Path(__file__).resolve().parent / "static"
TEAL = "#0b4a5a"  # --c-teal-800, the header
TEAL_DARK = "#07343f"  # --c-teal-900
SAFFRON = "#f2a516"  # --c-saffron, the brand mark
SAND = "#fbf8f2"  # --c-bg
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SUPERSAMPLE = 4

FAVICON_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="7" fill="{teal}"/>
<g fill="{saffron}">
<rect x="8.5" y="8.5" width="15" height="15" rx="1.5"/>
<rect x="8.5" y="8.5" width="15" height="15" rx="1.5" transform="rotate(45 16 16)"/>
</g>
</svg>
"""


def star_points(cx: float, cy: float, side: float, angle: float) -> list[tuple[float, float]]:
    """The corners of a square of `side` centred on (cx, cy), turned by `angle` degrees."""
    half = side / 2 * math.sqrt(2)
    return [
        (
            cx + half * math.cos(math.radians(angle + 45 + 90 * k)),
            cy + half * math.sin(math.radians(angle + 45 + 90 * k)),
        )
        for k in range(4)
    ]


def draw_star(draw: ImageDraw.ImageDraw, cx: float, cy: float, side: float, fill: str) -> None:
    for angle in (0, 45):
        draw.polygon(star_points(cx, cy, side, angle), fill=fill)


def icon(size: int, *, rounded: bool, star: float) -> Image.Image:
    """The mark on teal, `size` px square; `star` is the squares' side as a share of the size."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 7 // 32, fill=TEAL)
    else:
        draw.rectangle((0, 0, big, big), fill=TEAL)
    draw_star(draw, big / 2, big / 2, big * star, SAFFRON)
    return image.resize((size, size), Image.LANCZOS)


def share_image() -> Image.Image:
    """1200×630: the mark and the name on teal, a row of small stars below."""
    width, height = 1200, 630
    big = (width * SUPERSAMPLE, height * SUPERSAMPLE)
    image = Image.new("RGB", big, TEAL)
    draw = ImageDraw.Draw(image)
    s = SUPERSAMPLE
    draw.rectangle((0, big[1] - 24 * s, big[0], big[1]), fill=SAFFRON)
    draw_star(draw, 250 * s, 290 * s, 190 * s, SAFFRON)
    font = ImageFont.truetype(FONT, 104 * s)
    draw.text((430 * s, 290 * s), "Jazari Skills", font=font, fill=SAND, anchor="lm")
    for k in range(9):
        draw_star(draw, (450 + 80 * k) * s, 440 * s, 26 * s, TEAL_DARK if k % 2 else SAFFRON)
    return image.resize((width, height), Image.LANCZOS)


def main() -> None:
    icons = STATIC / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    (STATIC / "img").mkdir(parents=True, exist_ok=True)
    (icons / "favicon.svg").write_text(FAVICON_SVG.format(teal=TEAL, saffron=SAFFRON))
    icon(48, rounded=True, star=0.47).save(
        icons / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)]
    )
    # Touch and manifest icons are square and opaque: the systems cut their own corners.
    icon(180, rounded=False, star=0.42).convert("RGB").save(
        icons / "apple-touch-icon.png", optimize=True
    )
    for size in (192, 512):
        icon(size, rounded=False, star=0.42).convert("RGB").save(
            icons / f"icon-{size}.png", optimize=True
        )
    share_image().save(STATIC / "img" / "share-default.png", optimize=True)


if __name__ == "__main__":
    main()
