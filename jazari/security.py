"""Security headers Django has no setting for, and the Wagtail admin's own CSP.

- `Permissions-Policy` from `settings.PERMISSIONS_POLICY`: each browser feature the site may
  use, with the origins allowed to (`[]` for none, `["self"]` for this site).
- The admin (`/admin/…`, Wagtail's editing interface and the previews it renders) gets
  `settings.SECURE_CSP_ADMIN` instead of `SECURE_CSP`: Wagtail 8 writes inline `<script>`
  elements (inline panels, date pickers, choosers) and `style` attributes without a nonce, so
  the admin needs `'unsafe-inline'`; the public site does not.

Django's `ContentSecurityPolicyMiddleware` writes the CSP header; this middleware must come
after it in `MIDDLEWARE`, so that it picks the policy before that one writes it.
"""

from functools import cache

from django.conf import settings
from django.urls import reverse


@cache
def admin_prefix():
    return reverse("wagtailadmin_home")


def permissions_policy(features):
    """`{"camera": ["self"], "geolocation": []}` -> `camera=(self), geolocation=()`."""

    def allowlist(origins):
        return " ".join(origin if origin in ("self", "*") else f'"{origin}"' for origin in origins)

    return ", ".join(f"{feature}=({allowlist(origins)})" for feature, origins in features.items())


def is_admin_path(path):
    return path.startswith(admin_prefix())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        # A view's own policy (`csp_override`) wins over the admin's. A preview is rendered by
        # Wagtail through the middleware again, in a request of its own to the page's URL
        # (`is_dummy`), inside an admin view: it gets the admin's policy, for the panel.
        in_admin = is_admin_path(request.path_info) or getattr(request, "is_dummy", False)
        if in_admin and not hasattr(response, "_csp_config"):
            response._csp_config = settings.SECURE_CSP_ADMIN
        return response
