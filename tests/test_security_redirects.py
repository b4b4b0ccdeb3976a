"""No redirect of the site sends a visitor to another host, whatever the path asked for.

`//evil.example` in a Location header is a scheme-relative URL: a browser follows it to the
host `evil.example`. Browsers also read `\\` as `/` and drop tabs and newlines in URLs, so each
of those variants is tried against every place that answers with a redirect: the `/fr/…`
redirect to the unprefixed French site, Django's APPEND_SLASH and Wagtail's redirects.
"""

from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

pytestmark = pytest.mark.django_db

HOST = "testserver"

HOSTILE_PATHS = [
    "/fr//evil.example",
    "/fr//evil.example/",
    "/fr/%2Fevil.example",
    "/fr/%2F%2Fevil.example",
    "/fr///evil.example",
    "/fr/\\evil.example",
    "/fr/%5Cevil.example",
    "/fr/%5C%5Cevil.example",
    "/fr/\\/evil.example",
    "/fr//\\evil.example",
    "/fr/%09/evil.example",
    "/fr/%0A/evil.example",
    "/fr/%20//evil.example",
    "//evil.example",
    "//evil.example/",
    "///evil.example",
    "/%2F%2Fevil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "/ar//evil.example",
    "/ar//evil.example/",
    "/ar/%2Fevil.example",
    "/ar/\\evil.example",
    "/en//evil.example",
    "/en///evil.example/",
]


def get(client, path):
    """GET `path` as a browser sends it, on the request line.

    The test client would read `//evil.example` as a URL with a host; a server gets it as the
    path, as here (PATH_INFO is percent-decoded, as WSGI servers give it).
    """
    path, _, query = path.partition("?")
    return client.request(
        REQUEST_METHOD="GET",
        PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"),
        QUERY_STRING=query,
        HTTP_HOST=HOST,
    )


def assert_stays_on_site(location):
    """A Location that a browser resolves to this site, never to another host."""
    assert location.startswith("/"), location
    assert location[1:2] not in ("/", "\\"), location
    # Browsers drop tabs and newlines inside URLs before parsing them.
    squeezed = "".join(char for char in location if char not in "\t\n\r")
    assert squeezed[1:2] not in ("/", "\\"), location
    assert not urlsplit(squeezed.replace("\\", "/")).netloc, location
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={HOST}), location


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_no_redirect_leaves_the_site(client, path):
    """Whatever the path, a redirect's Location is a path on this site."""
    response = get(client, path)
    if response.status_code in (301, 302, 303, 307, 308):
        assert_stays_on_site(response["Location"])
    else:
        assert response.status_code == 404, (path, response.status_code)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/fr//evil.example", "/evil.example"),
        ("/fr/%2Fevil.example", "/evil.example"),
        ("/fr///evil.example", "/evil.example"),
        ("/fr/\\evil.example", "/%5Cevil.example"),
        ("/fr/%5Cevil.example", "/%5Cevil.example"),
        ("/fr/%09/evil.example", "/%09/evil.example"),
    ],
)
def test_french_prefix_redirect_collapses_leading_slashes(client, path, expected):
    """`/fr//evil.example` goes to the path `/evil.example` of this site, not to the host."""
    response = get(client, path)
    assert response.status_code == 301
    assert response["Location"] == expected


def test_french_prefix_redirect_keeps_the_path_and_query(client):
    """The ordinary `/fr/…` redirect still lands on the same page, with its query string."""
    response = get(client, "/fr/catalogue/?q=donn%C3%A9es&page=2")
    assert response.status_code == 301
    assert response["Location"] == "/catalogue/?q=donn%C3%A9es&page=2"
    response = get(client, "/fr/cours/apprentissage-automatique/")
    assert response["Location"] == "/cours/apprentissage-automatique/"
    response = get(client, "/fr/cours/données/")
    assert response["Location"] == "/cours/donn%C3%A9es/"


def test_append_slash_redirect_stays_on_site(client):
    """APPEND_SLASH adds the slash to a real page's path, never making `//host` of it."""
    response = get(client, "/accounts/login")
    assert response.status_code == 301
    assert response["Location"] == "/accounts/login/"
    response = get(client, "/ar/accounts/login")
    assert response["Location"] == "/ar/accounts/login/"


def test_wagtail_redirect_for_a_hostile_path_stays_on_site(client):
    """A Wagtail redirect whose old path normalises like `//evil.example` targets its own link.

    Wagtail normalises `//evil.example/` to `/evil.example`: a visitor asking for the
    hostile path is sent to the editor's target, a path on this site.
    """
    site = Site.objects.get(is_default_site=True)
    Redirect.objects.create(old_path="/evil.example", redirect_link="/catalogue/", site=site)
    for path in ("//evil.example", "//evil.example/", "/evil.example/", "///evil.example"):
        response = get(client, path)
        if response.status_code in (301, 302):
            assert_stays_on_site(response["Location"])
            assert response["Location"] == "/catalogue/", path
        else:
            assert response.status_code == 404
