"""Who may see which learners: the one source of truth for every admin view.

Learners' personal data is shown only to administrators (superusers) and to the editors of the
institute that hosts a session (its venue) or organises its course. An institute's editors are
the members of its `editors` group. Every admin view, export and bulk action starts from
`visible_enrolments(user)`, so an editor of one institute never reaches another's learners,
whatever the URL.

Enrolments are never added, edited or deleted through generic admin forms: they change only
through `learners.services`. `EnrolmentPermissionPolicy` says so to Wagtail (no "add", "change"
or "delete", even for superusers) and limits "view" to the enrolments above.

The enrolments area opens with `learners.view_profile` ("can view learner profile"), given to
editor groups, not with a permission on `Enrolment`: Wagtail's site history report shows the
audit entries of every enrolment (labelled with the learner's email address) to anyone holding any
permission on the Enrolment content type. So give editor groups no permission on `Enrolment`.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from courses.models import CoursePage, Session
from institutes.models import InstitutePage
from learners.models import Enrolment, Profile

# Generic admin forms would bypass the services' rules, locks and audit entries.
READ_ONLY_REFUSED = frozenset({"add", "change", "delete"})


def _is_staff_user(user):
    return bool(user and user.is_authenticated and user.is_active)


def editable_institutes(user):
    """Institutes whose learners `user` may see: all for superusers, else those they edit."""
    if not _is_staff_user(user):
        return InstitutePage.objects.none()
    if user.is_superuser:
        return InstitutePage.objects.all()
    return InstitutePage.objects.filter(editors__in=user.groups.all())


def _institute_ids(user):
    return editable_institutes(user).values("pk")


def manageable_sessions(user):
    """Sessions held at, or whose course is organised by, one of the user's institutes."""
    if not _is_staff_user(user):
        return Session.objects.none()
    if user.is_superuser:
        return Session.objects.all()
    ids = _institute_ids(user)
    return Session.objects.filter(Q(institute__in=ids) | Q(course__institute__in=ids))


def manageable_courses(user):
    """Courses with at least one session the user manages, or organised by their institute."""
    if not _is_staff_user(user):
        return CoursePage.objects.none()
    if user.is_superuser:
        return CoursePage.objects.all()
    ids = _institute_ids(user)
    return CoursePage.objects.filter(
        Q(institute__in=ids) | Q(pk__in=Session.objects.filter(institute__in=ids).values("course"))
    )


def visible_enrolments(user):
    """The enrolments (and so the learners) `user` may see in the admin."""
    if not _is_staff_user(user):
        return Enrolment.objects.none()
    if user.is_superuser:
        return Enrolment.objects.all()
    ids = _institute_ids(user)
    return Enrolment.objects.filter(
        Q(session__institute__in=ids) | Q(session__course__institute__in=ids)
    )


def can_manage_session(user, session):
    """Whether `user` may see this session's learners and act on its enrolments."""
    if not _is_staff_user(user):
        return False
    if user.is_superuser:
        return True
    ids = set(editable_institutes(user).values_list("pk", flat=True))
    if not ids:
        return False
    if session.institute_id in ids:
        return True
    organiser_id = (
        CoursePage.objects.filter(pk=session.course_id)
        .values_list("institute_id", flat=True)
        .first()
    )
    return organiser_id in ids


# The permission that opens the enrolments area (see the module's docstring).
VIEW_LEARNERS = "learners.view_profile"


class EnrolmentPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's view of enrolments: read-only, and only the rows of the user's institutes.

    "view" is `VIEW_LEARNERS` (the policy's `auth_model` is Profile); which rows show is
    decided by `visible_enrolments`.
    """

    def user_has_permission(self, user, action):
        if action in READ_ONLY_REFUSED:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and can_manage_session(user, instance.session)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Enrolment.objects.none()
        return visible_enrolments(user)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in READ_ONLY_REFUSED]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


enrolment_permission_policy = EnrolmentPermissionPolicy(Enrolment, auth_model=Profile)
