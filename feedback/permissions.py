"""Who may read which learners' feedback in the admin: those who may see the learners.

Feedback carries learners' names and their own words: it follows the enrolments' rules
(`enrolments.permissions`). The area opens with `VIEW_LEARNERS`, the permission of the
Enrolments area (see that module for why it is not a permission on a model of ours), and shows
the sessions whose learners the user may see (`courses.permissions.visible_sessions`): an
institute's editors their institute's, programme managers and administrators every one. It is
read only for everyone: answers belong to the learners who gave them.
"""

from courses.permissions import visible_sessions
from enrolments.permissions import VIEW_LEARNERS, visible_enrolments
from feedback.models import Feedback


def may_read_feedback(user) -> bool:
    """Whether the admin's Feedback area opens for `user` at all."""
    return bool(user.is_active and user.has_perm(VIEW_LEARNERS))


def feedback_sessions(user):
    """The sessions whose feedback `user` may read."""
    return visible_sessions(user)


def visible_feedback(user):
    """The answers `user` may read: those of the enrolments they may see."""
    return Feedback.objects.filter(enrolment__in=visible_enrolments(user))
