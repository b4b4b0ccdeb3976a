"""The course page's admin form, and the rules other apps add to it.

The course page edits its sessions and its material inline. Rules about them belong to the apps
above, which register them here from their `AppConfig.ready()`:

- `course_form_setup`: called with the form once it is built, e.g. `materials` offers only the
  course's own sessions in the material inline;
- `course_form_checks`: called with the validated form, each returning False after adding its
  errors, e.g. `enrolments` refuses to delete a session learners are enrolled in, or to lower
  its capacity below the seats taken, and `materials` refuses to delete material the editor
  did not delete.

What saving the form removes is the same whichever admin view built it: the edit view (from the
latest revision) or the revert view (from an older one, which may lack sessions and material
added since). `CoursePageForm.children_removed` answers it for every check.
"""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from jazari.i18n import is_original
from jazari.registry import Registry

course_form_setup = Registry("course form setup")
course_form_checks = Registry("course form checks")


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The organiser is the institute whose folder holds the course, never chosen.
        self.instance.follow_folder(self.parent_page)
        for setup in course_form_setup:
            setup(self)

    def is_valid(self):
        valid = super().is_valid()  # the page form and its formsets, sessions included
        # Every check runs, so the editor sees all that is wrong at once.
        results = [
            self.check_venues(),
            self.check_translation_has_no_sessions(),
            *(check(self) for check in course_form_checks),
        ]
        return valid and all(results)

    def check_translation_has_no_sessions(self) -> bool:
        """A translation's sessions would be nobody's: learners see, and enrol in, the sessions
        of the original course. Refused with a message pointing there."""
        formset = self.formsets.get("sessions")
        if formset is None or not self.instance.locale_id or is_original(self.instance):
            return True
        kept = [
            form
            for form in formset.forms
            if (getattr(form, "cleaned_data", None) or {}) and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            return True
        formset._non_form_errors = formset.error_class(
            [_("Sessions are added on the original course; its translations show them.")]
        )
        return False

    def check_venues(self) -> bool:
        """Refuse a venue the editor may not choose (`Session.venue_allowed_for`); a stored
        venue left as it was stays, so that an administrator's choice does not block edits."""
        formset = self.formsets.get("sessions")
        if formset is None:
            return True
        valid = True
        organiser_id = self.instance.institute_id
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            if form.instance.pk and "institute" not in form.changed_data:
                continue
            if not form.instance.venue_allowed_for(self.for_user, organiser_id):
                form.add_error(
                    "institute",
                    _(
                        "You may hold a session only at the course's organising institute, "
                        "or online; ask an administrator for a session elsewhere."
                    ),
                )
                valid = False
        return valid

    def children_removed(self, relation: str) -> dict[int, bool]:
        """The page's stored children in `relation` that saving this form would delete.

        Maps each child's id to whether the editor ticked "delete" for it; False means the
        version in the form lacks it (an older revision being restored, or a draft saved
        without it), so saving would delete it without the editor having asked.
        """
        formset = self.formsets.get(relation)
        if formset is None or not self.instance.pk:
            return {}
        stored = set(
            formset.model.objects.filter(**{formset.fk.name: self.instance.pk}).values_list(
                "pk", flat=True
            )
        )
        ticked = {
            child.instance.pk
            for child in formset.forms
            if child.instance.pk and getattr(child, "cleaned_data", {}).get("DELETE")
        }
        # Children the formset doesn't mention stay in the page's relation as they were.
        kept = {child.pk for child in getattr(self.instance, relation).all()} - ticked
        return {pk: pk in ticked for pk in stored - kept}
