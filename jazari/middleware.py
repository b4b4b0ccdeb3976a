"""Middleware of the site: busy database pages, actions that came too often, staff sent to
set up two-factor authentication, and Wagtail's redirects under the language prefixes.

A page whose change found the database busy answers a clear 503 page, never a 500; one whose
action came too often a 429 page.

When a session's lock was not had in time (`jazari.errors.Busy`, e.g. many learners enrolling
at once) or the database gave up on a lock or a deadlock, nothing was changed: the visitor is
told so, with `Retry-After`, and may simply try again. The API answers the same with JSON
(`api.exceptions`), the admin with a message; anything else is left to Django.

When no database connection can be had at all (too many clients, the pool empty for too long,
the server restarting), the error may come from a middleware before any view (sessions,
authentication), where `process_exception` never sees it. Django's last resort does:
`server_error`, the site's `handler500`, answers those with a 503 and `Retry-After` (JSON
`{"detail": …}` under `/api/`, else a page rendered without the database) and everything
else with the usual 500 page. The next request simply tries to connect again.
"""

import logging
import sys
from urllib.parse import urlparse

from django.contrib import messages
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect

from jazari import staff
from jazari.errors import (
    RETRY_AFTER_SECONDS,
    UNAVAILABLE_RETRY_AFTER_SECONDS,
    Busy,
    RateLimited,
    is_busy,
    is_database_unavailable,
)
from jazari.i18n import strip_language_prefix

logger = logging.getLogger("jazari.busy")
rate_logger = logging.getLogger("jazari.ratelimit")


def _back(request):
    """The page the visitor came from, when it is on this site."""
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return back


class BusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy(exception):
            return None
        logger.warning("busy: %s %s: %r", request.method, request.path, exception)
        message = exception.message if isinstance(exception, Busy) else Busy().message
        back = _back(request)
        response = HttpResponse(
            render_to_string("busy.html", {"message": message, "back": back}, request=request),
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class StaffTwoFactorMiddleware:
    """Staff without two-factor authentication, where it is required, set it up before the admin.

    Any admin URL but log-out sends them to allauth's page that sets up an authenticator app
    (`jazari.staff.two_factor_required`); learners and the rest of the site are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "wagtailadmin_logout" in (match.url_name, match.view_name):
            return None
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        user = request.user
        if not user.is_authenticated or not staff.two_factor_required(user):
            return None
        if staff.has_two_factor(user):
            return None
        messages.warning(
            request,
            _("Set up two-factor authentication with an authenticator app to use the admin."),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))


class RateLimitedMiddleware:
    """A page whose action came too often (`jazari.errors.RateLimited`): a 429 page saying how
    long to wait, with `Retry-After`; nothing was changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        rate_logger.warning(
            "rate limited: %s %s (%s)", request.method, request.path, exception.code
        )
        context = {
            "message": exception.message,
            "retry_after": exception.retry_after,
            "back": _back(request),
        }
        response = HttpResponse(
            render_to_string("rate_limited.html", context, request=request), status=429
        )
        response["Retry-After"] = str(exception.retry_after)
        return response


def server_error(request):
    """The site's `handler500`: a database out of reach is a 503 to retry, anything else a 500."""
    exception = sys.exc_info()[1]
    if not is_database_unavailable(exception):
        return defaults.server_error(request)
    logger.warning("database unavailable: %s %s: %r", request.method, request.path, exception)
    message = _("The service is unavailable for a moment: try again in a few seconds.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "unavailable"}, status=503)
    else:
        # No request in the context: its processors would ask the database for the user.
        response = HttpResponse(
            render_to_string("unavailable.html", {"message": message}), status=503
        )
    response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER_SECONDS)
    return response


class LanguageRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects (`wagtail.contrib.redirects`), also under the language prefixes.

    Pages without a translation are served under every prefix (`jazari.i18n`), so a redirect
    from `/courses/old/` also answers `/ar/courses/old/` and `/en/courses/old/`, to the page's
    URL in that language; one redirect per old path, whether Wagtail made it (a page moved or
    renamed) or a migration did.
    """

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if response.status_code != 404:
            return response
        full_path = request.get_full_path()
        stripped = strip_language_prefix(full_path)
        if stripped == full_path:
            return response
        path = Redirect.normalise_path(stripped, decode_unicode=False)
        redirect = get_redirect(request, path) or get_redirect(request, urlparse(path).path)
        if redirect is None or redirect.link is None:
            return response
        if redirect.is_permanent:
            return HttpResponsePermanentRedirect(redirect.link)
        return HttpResponseRedirect(redirect.link)
