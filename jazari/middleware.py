"""A page whose change found the database busy answers a clear 503 page, never a 500.

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

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults

from jazari.errors import (
    RETRY_AFTER_SECONDS,
    UNAVAILABLE_RETRY_AFTER_SECONDS,
    Busy,
    is_busy,
    is_database_unavailable,
)

logger = logging.getLogger("jazari.busy")


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
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        response = HttpResponse(
            render_to_string("busy.html", {"message": message, "back": back}, request=request),
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
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
