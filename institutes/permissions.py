"""Which institutes a staff member works for, and which they may look at: the root of every
per-institute scope.

Two rules, and every admin view and action uses one of them:

- "may act" (`editable_institutes`): an institute's editors (the members of its `editors`
  group) act on its sessions, learners and certificates; administrators (superusers) on all.
- "may see" (`visible_institutes`): the institutes whose learners one may look at (listings,
  details, exports). Programme managers see every institute, read only; everyone else sees
  what they may act on.

The scopes built on them live beside their models: sessions and courses in
`courses.permissions`, enrolments in `enrolments.permissions`, certificates in
`certificates.permissions`.
"""

from institutes.models import InstitutePage
from jazari.staff import is_programme_manager


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def sees_whole_network(user) -> bool:
    """Administrators and programme managers see every institute's learners."""
    return is_active_user(user) and (user.is_superuser or is_programme_manager(user))


def editable_institutes(user):
    """Institutes `user` acts for ("may act"): all for superusers, else those they edit."""
    if not is_active_user(user):
        return InstitutePage.objects.none()
    if user.is_superuser:
        return InstitutePage.objects.all()
    return InstitutePage.objects.filter(editors__in=user.groups.all())


def visible_institutes(user):
    """Institutes whose learners `user` may see ("may see"): all for superusers and programme
    managers, else those they edit."""
    if sees_whole_network(user):
        return InstitutePage.objects.all()
    return editable_institutes(user)
