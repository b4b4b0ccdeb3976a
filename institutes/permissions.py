"""Which institutes a staff member works for: the root of every per-institute scope.

An institute's editors are the members of its `editors` group; administrators (superusers)
work for all of them. The scopes built on it live beside their models: sessions and courses in
`courses.permissions`, enrolments in `enrolments.permissions`.
"""

from institutes.models import InstitutePage


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def editable_institutes(user):
    """Institutes whose learners `user` may see: all for superusers, else those they edit."""
    if not is_active_user(user):
        return InstitutePage.objects.none()
    if user.is_superuser:
        return InstitutePage.objects.all()
    return InstitutePage.objects.filter(editors__in=user.groups.all())
