"""Absolute URLs: a path on the address the site is served at.

Links that are read away from the site (emails, calendar files, certificate PDFs and their QR
codes, Open Badges credentials, the API) are absolute. While a request is being answered, they
follow the request's own address (`request.build_absolute_uri`: the scheme and host the visitor
used, so a site served on another port or host links to itself). Without a request (emails, PDFs
rendered by Celery tasks) they use the configured public address, `WAGTAILADMIN_BASE_URL`, which
`make run` sets from its `HOST` and `PORT`.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` (starting with `/`) on the request's address, else on the public base URL.

    A URL that is absolute already (a page of another Wagtail site) is returned as it is.
    """
    if request is not None:
        return request.build_absolute_uri(path)
    if urlsplit(path).scheme:
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def page_url(page, request: HttpRequest | None = None) -> str | None:
    """A Wagtail page's absolute URL in the active language, or None if it is not routable."""
    parts = page.get_url_parts(request)
    if not parts or not parts[2]:
        return None
    return absolute_url(parts[2], request)
