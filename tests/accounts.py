"""Logging a test client in as allauth does, so that actions asking for a recent log-in
(`jazari.staff.require_recent_authentication`) see one."""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)


def log_in(client, user, *, seconds_ago=0, reauthenticated=False):
    """`client.force_login(user)` plus allauth's record of a password log-in `seconds_ago`
    (with `reauthenticated`, a password confirmed on allauth's "confirm it's you" page)."""
    client.force_login(user)
    session = client.session
    record = {"method": "password", "at": time.time() - seconds_ago}
    if reauthenticated:
        record["reauthenticated"] = True
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [record]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
