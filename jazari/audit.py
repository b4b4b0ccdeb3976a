"""Audit entries in Wagtail's log (shown in the admin's history views): who did what, and when.

Actions are registered with their labels by the apps that write them (`wagtail_hooks.py`).
"""

from wagtail.models import ModelLogEntry


def record(instance, action, actor=None, **data):
    """Write an audit entry: who (`actor`, None for the system), when (now), what.

    Written with the log manager directly (one INSERT), since this runs under the session's
    lock; `wagtail.log_actions.log` would validate the entry with extra queries first.
    """
    ModelLogEntry.objects.log_action(instance, action, user=actor, data=data or None)
