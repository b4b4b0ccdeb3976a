"""Which enrolments (and so which learners) a staff member may see, and which they may act on.

- "may see" (`visible_enrolments`): administrators (superusers) and programme managers see
  every institute's enrolments; the editors of the institute that hosts a session (its venue)
  or organises its course see that session's. Listings, details, history, session overviews
  and exports start from it.
- "may act" (`manageable_enrolments`, `with_may_act`): the institute's editors and
  administrators only. Cancelling, promoting, recording attendance and every bulk action start
  from it, so a programme manager reads everything and changes nothing, and an editor of one
  institute never reaches another's learners, whatever the URL.

The admin's Enrolments and Certificates areas open with `VIEW_LEARNERS` ("can view learner
profile"), given to editor groups and to the programme managers, not with a permission on
`Enrolment`: Wagtail's site history report shows the audit entries of every enrolment
(labelled with the learner's email address) to anyone holding any permission on the Enrolment
content type. So give these groups no permission on `Enrolment`.
"""

from django.db.models import BooleanField, Case, Value, When

from courses.permissions import EVERYTHING, session_scope
from enrolments.models import Enrolment

# The permission that opens the areas showing learners (see the module's docstring).
VIEW_LEARNERS = "learners.view_profile"


def visible_enrolments(user):
    """The enrolments (and so the learners) `user` may see in the admin."""
    return Enrolment.objects.filter(session_scope(user, act=False, via="session__"))


def manageable_enrolments(user):
    """The enrolments `user` may act on: cancel, promote, record attendance or completion."""
    return Enrolment.objects.filter(session_scope(user, act=True, via="session__"))


def with_may_act(queryset, user, via="session__"):
    """`queryset` (enrolments, or rows reaching a session through `via`) with `may_act`: whether
    `user` may act on each row, in the same SQL query."""
    scope = session_scope(user, act=True, via=via)
    if scope == EVERYTHING:
        return queryset.annotate(may_act=Value(True, output_field=BooleanField()))
    return queryset.annotate(
        may_act=Case(
            When(scope, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )
