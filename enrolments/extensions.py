"""What enrolments add to the apps below: the course form keeps sessions learners are in.

Enrolments protect their session (`on_delete=PROTECT`, and `sessions_with_enrolments` says why):
deleting such a session through the course page would fail with a 500 when the page is
published. The course form refuses it with a message instead, and nothing is saved: whether the
editor ticked "delete" on the session, or the version being saved lacks it (an older revision
being restored, which predates the session). It also refuses a capacity lower than the seats
already taken, and a schedule or new dates that would drop a meeting at which attendance was
recorded (the attendance protects the meeting in the database: `courses.meetings` would keep it
outside the schedule). Raising a capacity is fine: once the page is published,
`enrolments.signals` promotes the waiting list.

A version published without a form (a workflow's approval, scheduled publishing) has no one to
show a message to: saving it keeps the enrolled sessions it lacks, and says so in the log.

Registered by `EnrolmentsConfig.ready()`.
"""

import logging
from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.forms import course_form_checks
from courses.models import Meeting, Session, course_children_kept
from courses.schedule import ScheduleError
from enrolments.models import Enrolment, sessions_with_enrolments
from jazari.time import format_casablanca

logger = logging.getLogger("jazari.enrolments")

SESSION_HAS_ENROLMENTS = _("This session has enrolments: cancel it instead of deleting it.")
SESSION_MISSING = _(
    "%(session)s: learners are enrolled in it, and this version would delete it. Restore a "
    "version that has this session, or cancel the session instead of deleting it."
)


@course_form_checks.register
def keep_enrolled_sessions(form) -> bool:
    """Refuse deleting an enrolled session, or lowering capacity below the seats taken."""
    return keep_sessions(form) & keep_seats(form)


def keep_sessions(form) -> bool:
    """Refuse a save that would delete a session learners are enrolled in."""
    removed = form.children_removed("sessions")
    enrolled = sessions_with_enrolments(removed)
    for session in Session.objects.filter(pk__in=enrolled).select_related("course"):
        if removed[session.pk]:
            form.add_error(None, f"{session}: {SESSION_HAS_ENROLMENTS}")
        else:
            form.add_error(None, SESSION_MISSING % {"session": session})
    return not enrolled


def keep_seats(form) -> bool:
    """Refuse a capacity lower than the seats already taken."""
    sessions = form.formsets.get("sessions")
    if sessions is None:
        return True
    existing = [session_form for session_form in sessions.forms if session_form.instance.pk]
    if not existing:
        return True
    held = dict(
        Enrolment.objects.filter(session_id__in=[f.instance.pk for f in existing])
        .holding_seats()
        .values("session_id")
        .annotate(held=Count("pk"))
        .values_list("session_id", "held")
    )
    ok = True
    for session_form in existing:
        taken = held.get(session_form.instance.pk, 0)
        cleaned = getattr(session_form, "cleaned_data", {})
        capacity = cleaned.get("capacity")
        if cleaned.get("DELETE") or capacity is None or capacity >= taken:
            continue
        session_form.add_error(
            "capacity",
            ngettext(
                "%(held)d seat is taken: the capacity can't be lower.",
                "%(held)d seats are taken: the capacity can't be lower.",
                taken,
            )
            % {"held": taken},
        )
        ok = False
    return ok


@course_form_checks.register
def keep_attended_meetings(form) -> bool:
    """Refuse a session's schedule or dates that would drop a meeting at which attendance was
    recorded (a meeting is kept when the schedule still has a meeting starting at its start)."""
    sessions = form.formsets.get("sessions")
    if sessions is None:
        return True
    edited = {}
    for session_form in sessions.forms:
        cleaned = getattr(session_form, "cleaned_data", None) or {}
        if session_form.instance.pk and cleaned and not cleaned.get("DELETE"):
            edited[session_form.instance.pk] = session_form
    if not edited:
        return True
    attended = defaultdict(list)
    for meeting in (
        Meeting.objects.filter(session_id__in=list(edited), attendances__isnull=False)
        .distinct()
        .order_by("starts_at")
    ):
        attended[meeting.session_id].append(meeting)
    ok = True
    for session_id, meetings in attended.items():
        session_form = edited[session_id]
        if any(session_form.has_error(name) for name in ("schedule", "starts_at", "ends_at")):
            continue  # the new schedule can't be read: its own message says why
        try:
            kept = {slot.starts_at for slot in session_form.instance.meeting_slots()}
        except ScheduleError:
            continue
        dropped = [meeting for meeting in meetings if meeting.starts_at not in kept]
        if dropped:
            session_form.add_error("schedule", _dropped_message(dropped))
            ok = False
    return ok


def _dropped_message(meetings) -> str:
    return ngettext(
        "Attendance was recorded at the meeting of %(meetings)s: keep it in the schedule "
        "(same day and start time), or keep the session's dates.",
        "Attendance was recorded at the meetings of %(meetings)s: keep them in the schedule "
        "(same days and start times), or keep the session's dates.",
        len(meetings),
    ) % {"meetings": ", ".join(format_casablanca(meeting.starts_at) for meeting in meetings)}


@course_children_kept.register
def keep_enrolled_sessions_on_save(page) -> None:
    """Put back into `page` the stored sessions with enrolments that its version lacks."""
    present = {session.pk for session in page.sessions.all()}
    stored = set(Session.objects.filter(course_id=page.pk).values_list("pk", flat=True))
    enrolled = sessions_with_enrolments(stored - present)
    if not enrolled:
        return
    kept = list(Session.objects.filter(pk__in=enrolled))
    page.sessions.add(*kept)
    logger.warning(
        "course %s: the version being saved lacks sessions learners are enrolled in; kept %s",
        page.pk,
        sorted(enrolled),
    )
