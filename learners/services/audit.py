"""Audit entries for enrolment changes, in Wagtail's log (shown in the admin's history views)."""

from wagtail.log_actions import log

# Actions are registered with their labels in learners/wagtail_hooks.py.


def record(instance, action, actor=None, **data):
    """Write an audit entry: who (`actor`, None for the system), when (now), what."""
    log(instance=instance, action=action, user=actor, data=data or None)
