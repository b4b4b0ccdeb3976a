"""Which enrolments (and so which learners) a staff member may see: those of their sessions.

Learners' personal data is shown only to administrators (superusers) and to the editors of the
institute that hosts a session (its venue) or organises its course. Every admin view, export
and bulk action starts from `visible_enrolments(user)`, so an editor of one institute never
reaches another's learners, whatever the URL.

The admin's Enrolments and Certificates areas open with `VIEW_LEARNERS` ("can view learner
profile"), given to editor groups, not with a permission on `Enrolment`: Wagtail's site history
report shows the audit entries of every enrolment (labelled with the learner's email address) to
anyone holding any permission on the Enrolment content type. So give editor groups no
permission on `Enrolment`.
"""

from django.db.models import Q

from enrolments.models import Enrolment
from institutes.permissions import editable_institutes, is_active_user

# The permission that opens the areas showing learners (see the module's docstring).
VIEW_LEARNERS = "learners.view_profile"


def visible_enrolments(user):
    """The enrolments (and so the learners) `user` may see in the admin."""
    if not is_active_user(user):
        return Enrolment.objects.none()
    if user.is_superuser:
        return Enrolment.objects.all()
    ids = editable_institutes(user).values("pk")
    return Enrolment.objects.filter(
        Q(session__institute__in=ids) | Q(session__course__institute__in=ids)
    )
