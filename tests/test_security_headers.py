"""The security headers every answer carries, and the admin's own, looser CSP.

Public pages: a Content Security Policy with no inline script or style (the site's scripts
carry the request's nonce), `X-Frame-Options: DENY`, a referrer policy, Permissions-Policy
(camera for the site only, nothing else), Cross-Origin-Opener-Policy. The Wagtail admin
allows inline scripts and styles (Wagtail writes them) and is framed by itself only; its
preview views answer SAMEORIGIN so that the editor's preview panel can show them.
"""

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from jazari.security import permissions_policy
from jazari.storage import s3_storage, storage_origins
from tests import factories
from tests.shared_data import built_once, fresh

pytestmark = pytest.mark.django_db


def directives(header):
    """`"default-src 'self'; img-src 'self' data:"` -> {"default-src": ["'self'"], …}."""
    policy = {}
    for part in header.split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


@pytest.fixture(scope="module")
def once(django_db_setup, django_db_blocker):
    """The small network and an administrator, built once for the module."""
    with built_once(django_db_blocker):
        network = factories.small_network(factories.site_tree())
        editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
        yield network, editor


@pytest.fixture
def network(once):
    return fresh(once[0])


@pytest.fixture
def editor(once):
    return fresh(once[1])


def public_pages(network):
    return {
        "home": "/",
        "catalogue": "/courses/",
        "course": network["intro"].url,
        "sign-up": "/accounts/signup/",
        "login": "/accounts/login/",
        "api docs": "/api/v1/docs/",
        "arabic home": "/ar/",
    }


def test_public_pages_carry_a_strict_csp_and_the_other_headers(client, network):
    """Every public page: CSP without unsafe-inline, DENY, same-origin referrer, COOP, P-P."""
    for name, path in public_pages(network).items():
        response = client.get(path)
        assert response.status_code == 200, name
        policy = directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], name
        assert "'unsafe-inline'" not in policy["script-src"], name
        assert "'unsafe-eval'" not in policy["script-src"], name
        assert "'unsafe-inline'" not in policy["style-src"], name
        assert policy["style-src"][0] == "'self'", name
        assert policy["object-src"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert policy["base-uri"] == ["'none'"], name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert "camera=(self)" in response["Permissions-Policy"], name
        for feature in ("geolocation", "microphone", "payment", "usb"):
            assert f"{feature}=()" in response["Permissions-Policy"], (name, feature)
        # Not over plain HTTP, and off outside production (tests/test_settings_production.py).
        assert "Strict-Transport-Security" not in response, name


def test_public_pages_have_no_inline_script_or_style_without_the_nonce(client, network):
    """Each inline <script> and <style> has the header's nonce; no style attribute, no onclick."""
    for name, path in public_pages(network).items():
        response = client.get(path)
        html = response.content.decode()
        soup = BeautifulSoup(html, "html.parser")
        policy = directives(response["Content-Security-Policy"])
        for element, directive in (("script", "script-src"), ("style", "style-src")):
            nonces = {
                value[len("'nonce-") : -1]
                for value in policy[directive]
                if value.startswith("'nonce-")
            }
            for inline in soup.find_all(element):
                if not inline.get("src"):
                    assert inline.get("nonce") in nonces, (name, str(inline)[:80])
        assert not soup.find_all(style=True), name
        assert not re.search(r"\son[a-z]+\s*=", html), name


def test_the_course_page_json_ld_carries_the_nonce(client, network):
    """The course page's JSON-LD <script> has a fresh nonce, the one the header allows."""
    nonces = []
    for _ in range(2):
        response = client.get(network["intro"].url)
        soup = BeautifulSoup(response.content, "html.parser")
        script = soup.find("script", type="application/ld+json")
        nonce = script["nonce"]
        script_src = directives(response["Content-Security-Policy"])["script-src"]
        assert script_src == ["'self'", f"'nonce-{nonce}'"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_the_admin_gets_its_own_policy(client, editor):
    """Admin pages allow Wagtail's inline scripts and styles, and only the admin frames them."""
    client.force_login(editor)
    for path in ("/admin/login/", "/admin/", "/admin/pages/"):
        response = client.get(path)
        assert response.status_code in (200, 302), path
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], path
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], path
        assert policy["frame-ancestors"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"], path
        assert response["X-Frame-Options"] == "DENY", path


def test_the_admin_preview_may_be_framed_by_the_admin(client, editor, network):
    """Wagtail's preview views answer SAMEORIGIN (the editor's panel); the edit view DENY.

    That the preview renders inside the panel, in Chromium, is in test_browser_csp.py.
    """
    client.force_login(editor)
    course = network["intro"]
    edit = client.get(f"/admin/pages/{course.pk}/edit/")
    assert edit.status_code == 200
    assert edit["X-Frame-Options"] == "DENY"
    for path in (
        f"/admin/pages/{course.pk}/edit/preview/",
        f"/admin/pages/add/courses/coursepage/{course.get_parent().pk}/preview/",
    ):
        preview = client.get(path, {"in_preview_panel": "true"})
        assert preview.status_code == 200, path
        assert preview["X-Frame-Options"] == "SAMEORIGIN", path
        assert directives(preview["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]


def test_permissions_policy_syntax():
    """Features map to allowlists: `self` bare, origins quoted, none as `()`."""
    assert permissions_policy(
        {"camera": ["self"], "geolocation": [], "fullscreen": ["self", "https://a.example"]}
    ) == ('camera=(self), geolocation=(), fullscreen=(self "https://a.example")')


@pytest.mark.parametrize(
    "endpoint_url", ["http://seaweedfs:8333", "https://s3.example.ma", None], ids=str
)
def test_presigned_storage_urls_are_allowed_images(endpoint_url):
    """The origin of a presigned object URL is among the storage origins the CSP allows."""
    from storages.backends.s3 import S3Storage

    options = s3_storage(
        bucket="jazari",
        endpoint_url=endpoint_url,
        region="eu-west-3",
        access_key="key",
        secret_key="secret",
    )["OPTIONS"]
    url = S3Storage(**options).url("original_images/cover.jpg")
    parts = urlsplit(url)
    assert "X-Amz-Signature=" in parts.query
    origins = storage_origins(bucket="jazari", endpoint_url=endpoint_url, region="eu-west-3")
    assert f"{parts.scheme}://{parts.netloc}" in origins


def test_a_rendered_preview_gets_the_admin_policy(rf, editor, network):
    """Wagtail renders a preview through the middleware again, at the page's own URL: it still
    gets the admin's policy (framed by the admin), not the public `frame-ancestors 'none'`."""
    request = rf.get("/admin/pages/1/edit/preview/")
    request.user = editor
    course = network["intro"].specific
    response = course.make_preview_request(request, course.default_preview_mode)
    assert response.status_code == 200
    assert course.title in response.content.decode()
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" in policy["script-src"]
