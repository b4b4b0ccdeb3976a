"""The one way an enrolment's status changes: checked against the table, then recorded.

`create` (a new enrolment) and `move` (an existing one) check the change with
`enrolments.states.check`, set the status and its timestamps, save, write the audit entry and
owe the learner the email of the change; a completion tells the apps above
(`enrolment_completed`). Call them under the session's lock
(`enrolments.services.locking.lock_session`), as every service does.
"""

from datetime import datetime

from django.utils import timezone

from courses.models import Session
from enrolments.models import Enrolment, NotificationKind
from enrolments.outbox import notify
from enrolments.signals import enrolment_completed
from enrolments.states import Actor, EnrolmentStatus, Moment, check
from jazari import audit

S = EnrolmentStatus

# The email owed to the learner for each change (none for attendance).
NOTIFICATIONS = {
    (None, S.CONFIRMED): NotificationKind.CONFIRMED,
    (None, S.WAITLISTED): NotificationKind.WAITLISTED,
    (S.WAITLISTED, S.CONFIRMED): NotificationKind.PROMOTED,
    (S.CONFIRMED, S.CANCELLED): NotificationKind.CANCELLED,
    (S.WAITLISTED, S.CANCELLED): NotificationKind.CANCELLED,
}
AS_TABLE = object()  # `move(notification=…)`: the email of `NOTIFICATIONS`


def create(session: Session, learner, status: EnrolmentStatus, *, now: datetime) -> Enrolment:
    """A new enrolment of `learner` in `session`, confirmed or waitlisted.

    One INSERT for the enrolment, one for its audit entry, one for the email owed: this runs
    under the session's lock, where every statement counts.
    """
    transition = check(None, status, Actor.LEARNER, Moment.of(session, now))
    enrolment = Enrolment.objects.create(
        session=session,
        learner=learner,
        status=status,
        queued_at=timezone.now(),  # arrival, taken under the lock: the line's order
        confirmed_at=now if status == S.CONFIRMED else None,
    )
    audit.record(enrolment, transition.action, actor=learner)
    notify(NOTIFICATIONS[(None, status)], enrolment, new=True)
    return enrolment


def move(
    enrolment: Enrolment,
    target: EnrolmentStatus,
    *,
    actor: Actor,
    user=None,
    now: datetime,
    session: Session | None = None,
    notification=AS_TABLE,
    **audit_data,
) -> Enrolment:
    """Change `enrolment` to `target`, made by `actor` (`user`: who, for the audit log).

    `notification` replaces the email of the table (a session cancelled tells its learners
    so); `audit_data` goes into the audit entry.
    """
    session = session or enrolment.session
    source = enrolment.status
    transition = check(source, target, actor, Moment.of(session, now))
    enrolment.status = target
    fields = ["status", "updated_at"]
    if target == S.CONFIRMED:
        enrolment.confirmed_at = now
        fields.append("confirmed_at")
    elif target == S.CANCELLED:
        enrolment.cancelled_at = now
        fields.append("cancelled_at")
    enrolment.save(update_fields=fields)
    audit.record(enrolment, transition.action, actor=user, **audit_data)
    kind = NOTIFICATIONS.get((source, target)) if notification is AS_TABLE else notification
    if kind:
        notify(kind, enrolment)
    if target == S.COMPLETED:
        enrolment_completed.send(sender=Enrolment, enrolment=enrolment, actor=user)
    return enrolment
