"""Wagtail's permission policy for the admin's Enrolments area.

Who may see which learners is decided by `enrolments.permissions.visible_enrolments`, who may
act on their enrolments by `manageable_enrolments` (the "manage" action below: promote, cancel,
record attendance).
Enrolments are never added, edited or deleted through generic admin forms: they change only
through `enrolments.services`. `EnrolmentPermissionPolicy` says so to Wagtail (no "add", "change"
or "delete", even for superusers) and limits "view" to the enrolments above.

The area opens with `VIEW_LEARNERS` (`learners.view_profile`): see `enrolments.permissions` for
why it is not a permission on `Enrolment`.
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

from courses.permissions import acts_anywhere, can_manage_session, can_see_session
from enrolments.models import Enrolment
from enrolments.permissions import manageable_enrolments, visible_enrolments
from learners.models import Profile

# Acting on enrolments through the services (promote, cancel, attendance): see the policy.
MANAGE = "manage"
# Generic admin forms would bypass the services' rules, locks and audit entries.
READ_ONLY_REFUSED = frozenset({"add", "change", "delete"})


class EnrolmentPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's view of enrolments: read-only, and only the rows of the user's institutes.

    "view" is `VIEW_LEARNERS` (the policy's `auth_model` is Profile); which rows show is
    decided by `visible_enrolments`. "manage" (act through the services) is "view" plus working
    for an institute (`acts_anywhere`): programme managers view and never manage.
    """

    def user_has_permission(self, user, action):
        if action in READ_ONLY_REFUSED:
            return False
        if action == MANAGE:
            return super().user_has_permission(user, "view") and acts_anywhere(user)
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action == MANAGE:
            return can_manage_session(user, instance.session)
        return can_see_session(user, instance.session)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Enrolment.objects.none()
        if set(actions) == {MANAGE}:
            return manageable_enrolments(user)
        return visible_enrolments(user)

    def users_with_any_permission(self, actions):
        actions = ["view" if action == MANAGE else action for action in actions]
        actions = [action for action in actions if action not in READ_ONLY_REFUSED]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


enrolment_permission_policy = EnrolmentPermissionPolicy(Enrolment, auth_model=Profile)
