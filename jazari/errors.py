"""The one shape of a rule's refusal, and the database's "busy" turned into one.

Services raise a `DomainError` subclass of their area (`EnrolmentError`, `CertificateError`)
with a translated `message` that is safe to show as it is and a stable `code` for programs.
Each entry point translates them once: the API into JSON 4xx (`api.exceptions`), pages into a
message, the admin into a message. `Busy` says the database gave up waiting for a lock: nothing
was changed, and trying again in a moment will do; the API answers it 503 with `Retry-After`,
pages a 503 page saying so (`jazari.middleware`), the admin a message. `RateLimited` says one
person acted too often (e.g. enrolling and cancelling in a loop): 429 with `Retry-After`.

`is_database_unavailable` says no connection could be had at all (PostgreSQL's "too many
clients", a role's connection limit, a server starting or shutting down, refused, or no
connection free in the pool in time): the site answers 503 with `Retry-After` too, from
Django's last resort (`jazari.middleware.server_error`), since it may happen before any view.
"""

from contextlib import contextmanager

from django.db import OperationalError
from django.utils.translation import gettext_lazy as _

# PostgreSQL: lock_not_available (the connection's lock_timeout), deadlock_detected,
# serialization_failure.
BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001"})
RETRY_AFTER_SECONDS = 1
# PostgreSQL: too_many_connections, cannot_connect_now, admin_shutdown, crash_shutdown; and
# class 08, connection exceptions.
UNAVAILABLE_SQLSTATES = frozenset({"53300", "57P03", "57P01", "57P02"})
UNAVAILABLE_RETRY_AFTER_SECONDS = 5


class DomainError(Exception):
    """A rule forbids the change. `message` is translated and safe to show; `code` is stable."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


class Busy(DomainError):
    """Others hold what this change needs (a session's lock): nothing changed, try again."""

    def __init__(self, message=None, code: str = "busy"):
        super().__init__(message or _("The service is busy: try again in a moment."), code)


class RateLimited(DomainError):
    """Too many actions of one person in a short time: nothing changed, try again after
    `retry_after` seconds. The API answers 429 JSON with `Retry-After`, pages a 429 page
    (`jazari.middleware`)."""

    def __init__(self, message, code: str = "rate_limited", *, retry_after: int = 60):
        super().__init__(message, code)
        self.retry_after = max(1, int(retry_after))


def is_busy(exc: BaseException) -> bool:
    """Did the database give up waiting for a lock? (a transient state, worth a retry)"""
    if isinstance(exc, Busy):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return "database is locked" in str(exc)  # SQLite


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Could no database connection be had (or was it lost)? Worth a retry in a few seconds.

    psycopg reports a failed connection (refused, "too many connections", timed out) and a
    `psycopg_pool.PoolTimeout` without a SQLSTATE: any `OperationalError` from the driver
    without one is about the connection, never about a statement.
    """
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if cause is None or cause.__class__.__module__.split(".")[0] not in ("psycopg", "psycopg_pool"):
        return False
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate in UNAVAILABLE_SQLSTATES or sqlstate.startswith("08")


@contextmanager
def busy_if_locked():
    """Turn the database's giving up on a lock (timeout, deadlock) into `Busy`."""
    try:
        yield
    except OperationalError as exc:
        if is_busy(exc):
            raise Busy() from exc
        raise
