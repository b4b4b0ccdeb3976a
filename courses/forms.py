"""The course page's admin form: sessions learners are enrolled in can't vanish or shrink.

Enrolments protect their session (`on_delete=PROTECT`): deleting such a session from the inline
would fail with a 500 when the page is published. The form refuses it with a message instead, and
refuses a capacity lower than the seats already taken. Raising a capacity is fine: once the page
is published, `learners.signals` promotes the waiting list.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm

SESSION_HAS_ENROLMENTS = _("This session has enrolments: cancel it instead of deleting it.")


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "materials" in self.formsets:  # only this course's sessions can be chosen
            from materials.forms import restrict_material_sessions

            restrict_material_sessions(self.formsets["materials"], self.instance)

    def is_valid(self):
        valid = super().is_valid()  # the page form and its formsets, sessions included
        sessions = self.formsets.get("sessions")
        if sessions is None:
            return valid
        return self.check_enrolled_sessions(sessions) and valid

    def check_enrolled_sessions(self, sessions):
        """Refuse deleting an enrolled session, or lowering capacity below the seats taken."""
        from learners.models import SEAT_HOLDING, Enrolment

        existing = [form for form in sessions.forms if form.instance.pk]
        if not existing:
            return True
        counts = {
            row["session_id"]: row
            for row in Enrolment.objects.filter(session_id__in=[f.instance.pk for f in existing])
            .values("session_id")
            .annotate(total=Count("pk"), held=Count("pk", filter=Q(status__in=SEAT_HOLDING)))
        }
        ok = True
        for form in existing:
            count = counts.get(form.instance.pk)
            if count is None:
                continue
            cleaned = getattr(form, "cleaned_data", {})
            if cleaned.get("DELETE"):
                self.add_error(None, f"{form.instance}: {SESSION_HAS_ENROLMENTS}")
                ok = False
                continue
            capacity = cleaned.get("capacity")
            if capacity is not None and capacity < count["held"]:
                form.add_error(
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
