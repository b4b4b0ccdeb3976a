"""An object storage outage answers a clear 503 page, never a 500.

Pages that need the storage (a download, an upload that got past the form's check) fail when
it is down; this says so, with `Retry-After`, instead of the generic server error. Anything
else is left to Django.
"""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string

from jazari.storage import is_storage_unavailable

logger = logging.getLogger("jazari.storage")

RETRY_AFTER_SECONDS = 60


class StorageUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_storage_unavailable(exception):
            return None
        logger.warning(
            "object storage unavailable: %s %s: %r", request.method, request.path, exception
        )
        response = HttpResponse(render_to_string("materials/storage_unavailable.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
