"""The app's Celery tasks: ids in, objects re-fetched, safe to run twice.

The outbox's tasks (`send_notification`, `dispatch_pending`, `send_reminders`) live with the
outbox in `enrolments.outbox`; they are imported here, where Celery's autodiscovery looks.
"""

from celery import shared_task
from django.contrib.auth import get_user_model

from enrolments.outbox import dispatch_pending, send_notification, send_reminders
from enrolments.services.completion import complete_automatically
from enrolments.services.sessions import sync_session
from jazari.errors import Busy

__all__ = [
    "complete_ended_sessions",
    "dispatch_pending",
    "send_notification",
    "send_reminders",
    "sync_session_task",
]


@shared_task(
    name="enrolments.sync_session",
    autoretry_for=(Busy,),
    retry_backoff=5,
    max_retries=8,
    acks_late=True,
)
def sync_session_task(session_id: int, actor_id: int | None = None) -> None:
    """`sync_session` for a session whose lock was busy when its course was published."""
    sync_session(session_id, actor=_user(actor_id))


@shared_task(name="enrolments.complete_ended_sessions")
def complete_ended_sessions() -> dict[str, int]:
    """Beat, every 15 minutes: complete the learners meeting the rule in every ended session
    whose course completes automatically (`complete_automatically`). Safe to run twice: the
    completed are no longer proposed. Returns {session id: learners completed}."""
    return {str(pk): count for pk, count in complete_automatically().items()}


def _user(user_id):
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None
