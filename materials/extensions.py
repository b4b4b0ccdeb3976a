"""What materials add to the course page: its files, the material inline's session choices and
course, and the rule that saving the page never deletes material the editor did not delete.

Material is an inline of the course page, attached to the course or to one of its sessions
(deleting the session deletes its material). A version of the page that lacks material (an older
revision being restored) or that deletes a session with material attached would delete files
learners download, without the editor having asked: the course form refuses it with a message,
and the editor deletes the material on the current version if that is what they want.

Registered by `MaterialsConfig.ready()`.
"""

from django.utils.translation import gettext_lazy as _

from courses.forms import course_form_checks, course_form_setup
from courses.models import Session, course_page_context
from materials.access import course_materials
from materials.models import Material

MATERIAL_MISSING = _(
    "“%(material)s”: this version would delete this material of the course. Delete it on the "
    "current version first if that is what you want."
)
MATERIAL_OF_DELETED_SESSION = _(
    "Its session is deleted: attach the material to another session or to the whole course, "
    "or delete it too."
)


@course_page_context.register
def material_list(course, request) -> dict:
    """The course's material with the viewer's access to each: one query for the files and
    their access; the files themselves are never opened."""
    return {"materials": course_materials(course, request.user)}


@course_form_setup.register
def restrict_material_sessions(form) -> None:
    """Offer only the course's own sessions in the material inline's "session" field, and give
    each material the course as the form has it, organising institute included, so that the
    material's own checks (`Material.clean`) see it: the inline leaves it unset until saving.

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
            self.instance.course = course
            if "session" in self.fields:
                self.fields["session"].queryset = sessions

    MaterialForm.__name__ = base.__name__
    formset.form = MaterialForm


@course_form_checks.register
def keep_material(form) -> bool:
    """Refuse a save that would delete material the editor did not tick "delete" for."""
    removed = form.children_removed("materials")
    sessions_removed = set(form.children_removed("sessions"))
    ok = True
    missing = [pk for pk, ticked in removed.items() if not ticked]
    for material in Material.objects.filter(pk__in=missing).select_related("document"):
        form.add_error(None, MATERIAL_MISSING % {"material": material.display_title})
        ok = False
    formset = form.formsets.get("materials")
    for material_form in formset.forms if formset is not None and sessions_removed else ():
        cleaned = getattr(material_form, "cleaned_data", {})
        session = cleaned.get("session")
        if not cleaned.get("DELETE") and session is not None and session.pk in sessions_removed:
            material_form.add_error("session", MATERIAL_OF_DELETED_SESSION)
            ok = False
    return ok
