"""The rendered catalogue, cached per filter combination and language.

Every change that can show in the catalogue bumps a version number kept in the cache (course,
institute or skill edits, sessions synced, seats taken or freed), which retires every cached
rendering at once; entries also expire after `TIMEOUT` seconds, so time-driven changes (a
session starting) show within a minute. Several processes must share one cache (Redis, set by
`REDIS_URL`) for the version to reach all of them; a local-memory cache suits one process only.

Only the known filters key an entry, and only a query valid as a whole is stored: parameters
the catalogue does not read (`utm_*`, anything else) never make a new entry, nor do invalid
values, which are answered 400 with their messages each time.
"""

import hashlib
import time

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

TIMEOUT = 60
VERSION_KEY = "catalogue:version"


def catalogue_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def bump_catalogue_version(*args, **kwargs):
    """Retire every cached rendering of the catalogue (usable as a signal receiver)."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def cache_key(page, catalogue):
    """The key of one rendering: the page, the catalogue's version, the language and the query
    as the catalogue understood it, its known filters only (`?level=a&level=b`,
    `?level=b&level=a&level=a` and `?level=a&level=b&q=&utm_source=x` are one page, one
    entry). Only valid queries are stored under it (`Catalogue.answered_as_asked`)."""
    digest = hashlib.sha256(catalogue.canonical_query.encode()).hexdigest()[:32]
    language = translation.get_language()
    return f"catalogue:{page.pk}:{catalogue_version()}:{language}:{digest}"


def render_catalogue(page, request):
    """(html, status) of the catalogue for this request's query string: 400 with messages when
    some filter values were invalid. Such a rendering, or one of a page beyond the last, is not
    stored: it quotes the values sent, and each spelling would be one more entry."""
    from courses.catalogue import Catalogue

    catalogue = Catalogue(request.GET, parent=page)
    key = cache_key(page, catalogue)
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = catalogue.result()
    html = render_to_string(
        "courses/includes/catalogue.html",
        {"page": page, "catalogue": result},
        request=request,
    )
    value = (html, 400 if result.errors else 200)
    if catalogue.answered_as_asked(result):
        cache.set(key, value, TIMEOUT)
    return value
