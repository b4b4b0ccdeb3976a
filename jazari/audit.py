"""Audit entries in Wagtail's log (shown in the admin's history views): who did what, and when.

Actions are registered with their labels by the apps that write them (`wagtail_hooks.py`).
An entry keeps no more personal data than it needs: its label is the object's `audit_label`
when the object has one (an enrolment is named by its number and session, not by the learner's
email address), the actor is a link to the account, and `data` holds ids and codes.
"""

from wagtail.models import ModelLogEntry


def record(instance, action, actor=None, **data):
    """Write an audit entry: who (`actor`, None for the system), when (now), what.

    Written with the log manager directly (one INSERT), since this runs under the session's
    lock; `wagtail.log_actions.log` would validate the entry with extra queries first.
    """
    ModelLogEntry.objects.log_action(
        instance, action, user=actor, data=data or None, title=label(instance)
    )


def label(instance) -> str:
    """How the log names `instance`: its `audit_label` if it has one, else `str(instance)`."""
    return getattr(instance, "audit_label", None) or str(instance)
