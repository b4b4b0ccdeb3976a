"""Which sessions and courses a staff member manages: those of their institutes.

A session belongs to the institute that hosts it (its venue) and to the one that organises its
course; see `institutes.permissions` for who works for which institute. Which venue an editor
may choose is `Session.venue_allowed_for`; which pages the admin's page chooser shows them,
`choosable_pages`.
"""

from django.db.models import Q
from wagtail.permission_policies.pages import PagePermissionPolicy

from courses.models import CoursePage, Session
from institutes.permissions import editable_institutes, is_active_user


def manageable_sessions(user):
    """Sessions held at, or whose course is organised by, one of the user's institutes."""
    if not is_active_user(user):
        return Session.objects.none()
    if user.is_superuser:
        return Session.objects.all()
    ids = editable_institutes(user).values("pk")
    return Session.objects.filter(Q(institute__in=ids) | Q(course__institute__in=ids))


def manageable_courses(user):
    """Courses with at least one session the user manages, or organised by their institute."""
    if not is_active_user(user):
        return CoursePage.objects.none()
    if user.is_superuser:
        return CoursePage.objects.all()
    ids = editable_institutes(user).values("pk")
    return CoursePage.objects.filter(
        Q(institute__in=ids) | Q(pk__in=Session.objects.filter(institute__in=ids).values("course"))
    )


def can_manage_session(user, session) -> bool:
    """Whether `user` may see this session's learners and act on its enrolments."""
    if not is_active_user(user):
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


def choosable_pages(pages, user):
    """The pages of `pages` the admin's page chooser shows `user`: live ones and those they may
    edit, so that another institute's drafts never show, not even their titles; all of them
    to administrators."""
    if user.is_active and user.is_superuser:
        return pages
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, {"change", "publish"}
    )
    return pages.filter(Q(live=True) | Q(pk__in=editable.values("pk")))
