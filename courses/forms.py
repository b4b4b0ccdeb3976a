"""The course page's admin form, and the rules other apps add to it.

The course page edits its sessions and its material inline. Rules about them belong to the apps
above, which register them here from their `AppConfig.ready()`:

- `course_form_setup`: called with the form once it is built, e.g. `materials` offers only the
  course's own sessions in the material inline;
- `course_form_checks`: called with the validated form, each returning False after adding its
  errors, e.g. `enrolments` refuses to delete a session learners are enrolled in, or to lower
  its capacity below the seats taken.
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
