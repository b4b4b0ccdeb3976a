"""The session lock under which seats are counted.

PostgreSQL: the session's row is locked with SELECT … FOR UPDATE, waiting at most
`LOCK_TIMEOUT`; every service locks one session at a time, so there is no lock-order cycle.
SQLite serialises writers (transactions start IMMEDIATE, see settings), so the lock is implicit.
"""

from django.db import connection

from courses.models import Session

LOCK_TIMEOUT = "5s"


def lock_session(session_id):
    """The session, locked until the surrounding transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    return (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session_id)
    )
