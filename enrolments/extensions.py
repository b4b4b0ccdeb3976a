"""What enrolments add to the apps below: the course form keeps sessions learners are in.

Enrolments protect their session (`on_delete=PROTECT`): deleting such a session from the course
page's inline would fail with a 500 when the page is published. The course form refuses it with a
message instead, and refuses a capacity lower than the seats already taken. Raising a capacity is
fine: once the page is published, `enrolments.signals` promotes the waiting list.

Registered by `EnrolmentsConfig.ready()`.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.forms import course_form_checks
from enrolments.models import Enrolment
from enrolments.states import HOLDS_SEAT

SESSION_HAS_ENROLMENTS = _("This session has enrolments: cancel it instead of deleting it.")


@course_form_checks.register
def keep_enrolled_sessions(form) -> bool:
    """Refuse deleting an enrolled session, or lowering capacity below the seats taken."""
    sessions = form.formsets.get("sessions")
    if sessions is None:
        return True
    existing = [session_form for session_form in sessions.forms if session_form.instance.pk]
    if not existing:
        return True
    counts = {
        row["session_id"]: row
        for row in Enrolment.objects.filter(session_id__in=[f.instance.pk for f in existing])
        .values("session_id")
        .annotate(total=Count("pk"), held=Count("pk", filter=Q(status__in=HOLDS_SEAT)))
    }
    ok = True
    for session_form in existing:
        count = counts.get(session_form.instance.pk)
        if count is None:
            continue
        cleaned = getattr(session_form, "cleaned_data", {})
        if cleaned.get("DELETE"):
            form.add_error(None, f"{session_form.instance}: {SESSION_HAS_ENROLMENTS}")
            ok = False
            continue
        capacity = cleaned.get("capacity")
        if capacity is not None and capacity < count["held"]:
            session_form.add_error(
                "capacity",
                ngettext(
                    "%(held)d seat is taken: the capacity can't be lower.",
                    "%(held)d seats are taken: the capacity can't be lower.",
                    count["held"],
                )
                % {"held": count["held"]},
            )
            ok = False
    return ok
