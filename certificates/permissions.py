"""Who may see and revoke which certificates in the admin.

Certificates carry learners' names: they follow the enrolments' rules
(`enrolments.permissions`). Administrators and programme managers see them all, an institute's
editors those of the sessions their institute hosts or organises, nobody else any ("may see",
`visible_certificates`). Revoking and re-issuing is acting: only administrators and the editors
of those institutes may ("may act", `manageable_certificates`), never a programme manager.

- "view" (the certificates area) is `learners.view_profile`, the permission that already
  opens the enrolments area: whoever may see learners may see their certificates.
- "revoke" (revoke and re-issue) is `certificates.revoke_certificate`, given to groups in the
  groups editor, and only on the certificates one may act on.
- "add", "change" and "delete" are refused to everyone, superusers included: certificates are
  issued by the services and never edited, so what was certified stays as it was issued.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from certificates.models import Certificate
from courses.permissions import can_manage_session, can_see_session
from enrolments.permissions import VIEW_LEARNERS, manageable_enrolments, visible_enrolments

REVOKE = "certificates.revoke_certificate"
PERMISSIONS = {"view": VIEW_LEARNERS, "revoke": REVOKE}


def visible_certificates(user):
    """The certificates `user` may see in the admin: those of the enrolments they may see."""
    return Certificate.objects.filter(enrolment__in=visible_enrolments(user))


def manageable_certificates(user):
    """The certificates `user` may revoke or re-issue, given the "revoke" permission: those of
    the enrolments they may act on."""
    return Certificate.objects.filter(enrolment__in=manageable_enrolments(user))


class CertificatePermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        permission = PERMISSIONS.get(action)
        return bool(permission and user.is_active and user.has_perm(permission))

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action == "view":
            return can_see_session(user, instance.enrolment.session)
        return can_manage_session(user, instance.enrolment.session)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Certificate.objects.none()
        if "view" in actions:
            return visible_certificates(user)
        return manageable_certificates(user)

    def users_with_any_permission(self, actions):
        """Active superusers, and users given one of the permissions directly or by a group."""
        labels = [PERMISSIONS[action] for action in actions if action in PERMISSIONS]
        if not labels:
            return get_user_model().objects.none()
        permissions = Permission.objects.none()
        for label in labels:
            app_label, codename = label.split(".")
            permissions |= Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(user_permissions__in=permissions)
                | Q(groups__permissions__in=permissions)
            )
            .distinct()
        )


certificate_permission_policy = CertificatePermissionPolicy(Certificate)
