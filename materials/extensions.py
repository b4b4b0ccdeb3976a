"""What materials add to the course page: its files, and the material inline's session choices.

Registered by `MaterialsConfig.ready()`.
"""

from courses.forms import course_form_setup
from courses.models import Session, course_page_context
from materials.access import course_materials


@course_page_context.register
def material_list(course, request) -> dict:
    """The course's material with the viewer's access to each: one query for the files and
    their access; the files themselves are never opened."""
    return {"materials": course_materials(course, request.user)}


@course_form_setup.register
def restrict_material_sessions(form) -> None:
    """Offer only the course's own sessions in the material inline's "session" field.

    Sessions added in the same submission can be chosen once the page is saved.
    """
    formset = form.formsets.get("materials")
    if formset is None:
        return
    course = form.instance
    sessions = (
        Session.objects.filter(course_id=course.pk).select_related("course").order_by("starts_at")
        if course.pk
        else Session.objects.none()
    )
    base = formset.form

    class MaterialForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if "session" in self.fields:
                self.fields["session"].queryset = sessions

    MaterialForm.__name__ = base.__name__
    formset.form = MaterialForm
