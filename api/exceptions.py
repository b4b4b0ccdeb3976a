"""Every API error is JSON `{"detail": …}` with a 4xx status; bad input is never a 500."""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jazari.errors import RETRY_AFTER_SECONDS, Busy, DomainError, RateLimited, is_busy


def _flatten(detail):
    """A readable sentence from DRF's nested validation errors."""
    if isinstance(detail, dict):
        parts = []
        for field, value in detail.items():
            text = _flatten(value)
            parts.append(text if field in ("non_field_errors", "detail") else f"{field}: {text}")
        return " ".join(parts)
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    return str(detail)


def exception_handler(exc, context):
    if is_busy(exc):  # a session's lock not had in time, a deadlock: nothing changed
        busy = exc if isinstance(exc, Busy) else Busy()
        response = Response(
            {"detail": str(busy.message), "code": busy.code},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, RateLimited):  # one learner acting too often: nothing changed
        response = Response(
            {"detail": str(exc.message), "code": exc.code},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, DomainError):  # a rule refused: enrolment closed, full, too late…
        return Response(
            {"detail": str(exc.message), "code": exc.code}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": _("The request body is too large.")},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, SuspiciousOperation):
        return Response({"detail": _("Bad request.")}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _flatten(exc.detail), "errors": exc.detail}
    elif not (isinstance(response.data, dict) and "detail" in response.data):
        response.data = {"detail": _flatten(response.data)}
    return response
