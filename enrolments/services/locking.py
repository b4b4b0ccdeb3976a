"""The session lock under which seats are counted.

PostgreSQL: the session's row is locked with SELECT … FOR UPDATE, waiting at most the
connection's `lock_timeout` (5 s); every service locks one session at a time, so there is
no lock-order cycle.
SQLite serialises writers (transactions start IMMEDIATE, see settings), so the lock is implicit.
"""

from courses.models import Session


def lock_session(session_id):
    """The session, locked until the surrounding transaction ends.

    On PostgreSQL every connection has `lock_timeout` set (settings: DATABASES OPTIONS), so
    the wait is bounded without a statement of its own here.
    """
    return (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session_id)
    )
