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

from wagtail.admin.forms import WagtailAdminPageForm

from jazari.registry import Registry

course_form_setup = Registry("course form setup")
course_form_checks = Registry("course form checks")


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for setup in course_form_setup:
            setup(self)

    def is_valid(self):
        valid = super().is_valid()  # the page form and its formsets, sessions included
        # Every check runs, so the editor sees all that is wrong at once.
        results = [check(self) for check in course_form_checks]
        return valid and all(results)

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
