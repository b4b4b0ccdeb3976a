"""Attendance: organisers mark confirmed learners attended, no-show or completed."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services.errors import EnrolmentError
from enrolments.services.locking import lock_session
from enrolments.signals import enrolment_completed
from jazari import audit

MARKABLE = {
    EnrolmentStatus.ATTENDED: (EnrolmentStatus.CONFIRMED, EnrolmentStatus.NO_SHOW),
    EnrolmentStatus.NO_SHOW: (EnrolmentStatus.CONFIRMED, EnrolmentStatus.ATTENDED),
    EnrolmentStatus.COMPLETED: (EnrolmentStatus.CONFIRMED, EnrolmentStatus.ATTENDED),
}


def mark(enrolment_id, status, *, actor):
    """Record attendance. Only seat-holding enrolments can be marked; completed is final."""
    if status not in MARKABLE:
        raise EnrolmentError(_("Unknown attendance status."), "bad_status")
    with transaction.atomic():
        session_id = Enrolment.objects.values_list("session_id", flat=True).get(pk=enrolment_id)
        lock_session(session_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.status == status:
            return enrolment
        if enrolment.status not in MARKABLE[status]:
            raise EnrolmentError(
                _("A %(current)s enrolment can't be marked %(new)s.")
                % {
                    "current": enrolment.get_status_display().lower(),
                    "new": EnrolmentStatus(status).label.lower(),
                },
                "bad_transition",
            )
        enrolment.status = status
        enrolment.save(update_fields=["status", "updated_at"])
        audit.record(enrolment, f"jazari.enrolment.{status}", actor=actor)
        if status == EnrolmentStatus.COMPLETED:  # e.g. the certificate, issued by a task
            enrolment_completed.send(sender=Enrolment, enrolment=enrolment, actor=actor)
    return enrolment
