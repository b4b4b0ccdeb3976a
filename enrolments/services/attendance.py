"""Attendance: organisers mark learners attended or no-show once the session has started, and
completed once it has ended (`enrolments.states`)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment
from enrolments.services import transitions
from enrolments.services.locking import lock_session
from enrolments.states import ATTENDANCE, Actor, EnrolmentStatus


def mark(
    enrolment_id: int, status: EnrolmentStatus | str, *, actor, now: datetime | None = None
) -> Enrolment:
    """Record attendance (attended, no-show) or completion; marking it again changes nothing.

    Only confirmed learners and those already marked can be marked; completed is final.
    """
    if status not in ATTENDANCE:
        raise EnrolmentError(_("Unknown attendance status."), "bad_status")
    now = now or timezone.now()
    with transaction.atomic():
        session_id = Enrolment.objects.values_list("session_id", flat=True).get(pk=enrolment_id)
        session = lock_session(session_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.status == status:
            return enrolment
        transitions.move(
            enrolment,
            EnrolmentStatus(status),
            actor=Actor.ORGANISER,
            user=actor,
            now=now,
            session=session,
        )
    return enrolment
