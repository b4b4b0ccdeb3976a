"""The session lock under which seats are counted.

PostgreSQL: the session's row is locked with SELECT … FOR UPDATE, waiting at most the
connection's `lock_timeout` (5 s, set for every connection in settings); every service locks one
session at a time, so there is no lock-order cycle. A wait that runs out, or a deadlock, becomes
`jazari.errors.Busy`: nothing was changed, and every entry point answers it the same way.
SQLite serialises writers (transactions start IMMEDIATE, see settings), so the lock is implicit;
its "database is locked" is a `Busy` too.
"""

from django.db import connection, transaction

from courses.models import Session
from jazari.errors import busy_if_locked


def lock_session(session_id: int) -> Session:
    """The session (with its course), locked until the surrounding transaction ends.

    Refuses to run outside `transaction.atomic()`, where the lock would end at once.
    """
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "lock_session() must run inside transaction.atomic()"
        )
    with busy_if_locked():
        return (
            Session.objects.select_for_update(of=("self",))
            .select_related("course")
            .get(pk=session_id)
        )
