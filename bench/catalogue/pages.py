"""The URLs the catalogue benchmark measures, and the `nocache` parameter that makes every
request a cache miss (the catalogue ignores it; its rendering cache keys on the query string)."""

TRIVIAL = "/bench/trivial/"
PLAIN_LISTING = "/bench/plain-listing/"
CATALOGUE = "/courses/"
CATALOGUE_FILTERED = "/courses/?format=workshop&mode=online&free=1"
# Accents are folded, so this is "données", which every demo course contains (the demo notice
# is in each body): the broadest search, with the most ids to collect and filter by.
CATALOGUE_SEARCH = "/courses/?q=donnees"


def urls_for(scenario, course_url):
    """(label, URL, miss): with `miss`, every request carries a unique `nocache` parameter."""
    urls = [
        ("trivial view", TRIVIAL, False),
        ("catalogue", CATALOGUE, False),
        ("catalogue, cache miss", CATALOGUE, True),
        ("catalogue, filtered, cache miss", CATALOGUE_FILTERED, True),
        ("catalogue, search, cache miss", CATALOGUE_SEARCH, True),
    ]
    if course_url:
        urls.append(("course page", course_url, False))
    if scenario.plain_listing:
        urls.append(("plain Wagtail listing", PLAIN_LISTING, False))
    return urls


def with_nocache(url, value):
    return f"{url}{'&' if '?' in url else '?'}nocache={value}"
