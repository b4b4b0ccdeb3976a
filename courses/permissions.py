"""Which sessions and courses a staff member manages or may look at, and which a trainer teaches.

A session belongs to the institute that hosts it (its venue) and to the one that organises its
course; see `institutes.permissions` for who works for which institute and for the two rules:
"may act" (`manageable_*`, `can_manage_session`, `session_scope(user, act=True)`) and "may
see" (`visible_*`, `can_see_session`). Programme managers see every session and act on none.
Which venue an editor may choose is `Session.venue_allowed_for`; which pages the admin's page
chooser shows them, `choosable_pages`.

A trainer is a user linked to an instructor (`Instructor.user`, set by administrators); they
teach the sessions of the courses that list that instructor (`taught_sessions`).

Who takes a session's attendance (its participant list, check-in, the printable list): staff
who may act on the session, and its trainers (`attendance_sessions`, `can_take_attendance`).
"""

from django.db.models import Q
from wagtail.permission_policies.pages import PagePermissionPolicy

from courses.models import CoursePage, Session
from institutes.permissions import (
    editable_institutes,
    is_active_user,
    sees_whole_network,
    visible_institutes,
)

EVERYTHING = Q()
NOTHING = Q(pk__in=[])


def session_scope(user, *, act: bool, via: str = "") -> Q:
    """The condition on sessions (or on rows reaching a session through `via`, e.g.
    "session__") that `user` may act on (`act=True`) or see (`act=False`).

    The one definition of "held at or organised by one of the user's institutes"; the
    enrolments' and certificates' scopes are built from it.
    """
    if not is_active_user(user):
        return NOTHING
    if user.is_superuser or (not act and sees_whole_network(user)):
        return EVERYTHING
    ids = editable_institutes(user).values("pk")
    return Q(**{f"{via}institute__in": ids}) | Q(**{f"{via}course__institute__in": ids})


def manageable_sessions(user):
    """Sessions held at, or whose course is organised by, one of the user's institutes."""
    return Session.objects.filter(session_scope(user, act=True))


def visible_sessions(user):
    """Sessions whose learners `user` may see: their institutes', or all for managers."""
    return Session.objects.filter(session_scope(user, act=False))


def _courses_of(institutes):
    ids = institutes.values("pk")
    return CoursePage.objects.filter(
        Q(institute__in=ids) | Q(pk__in=Session.objects.filter(institute__in=ids).values("course"))
    )


def manageable_courses(user):
    """Courses with at least one session the user manages, or organised by their institute."""
    if not is_active_user(user):
        return CoursePage.objects.none()
    if user.is_superuser:
        return CoursePage.objects.all()
    return _courses_of(editable_institutes(user))


def visible_courses(user):
    """Courses whose learners `user` may see: `manageable_courses`, or all for managers."""
    if sees_whole_network(user):
        return CoursePage.objects.all()
    return _courses_of(visible_institutes(user))


def _session_in(session, institutes) -> bool:
    ids = set(institutes.values_list("pk", flat=True))
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


def can_manage_session(user, session) -> bool:
    """Whether `user` may act on this session's enrolments ("may act")."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return _session_in(session, editable_institutes(user))


def can_see_session(user, session) -> bool:
    """Whether `user` may see this session's learners ("may see")."""
    if sees_whole_network(user):
        return True
    return can_manage_session(user, session)


def acts_anywhere(user) -> bool:
    """Whether `user` may act on some institute's sessions at all (not a programme manager who
    edits no institute)."""
    if not is_active_user(user):
        return False
    return user.is_superuser or editable_institutes(user).exists()


def taught_sessions(user):
    """The sessions `user` teaches: those of the courses listing an instructor linked to them."""
    if not is_active_user(user):
        return Session.objects.none()
    return Session.objects.filter(
        course__in=CoursePage.objects.filter(course_instructors__instructor__user=user).values("pk")
    )


def attendance_sessions(user):
    """The sessions whose attendance `user` takes: those they may act on, and those they teach."""
    if not is_active_user(user):
        return Session.objects.none()
    scope = session_scope(user, act=True)
    if scope == EVERYTHING:  # `Q() | q` would be `q` alone
        return Session.objects.all()
    taught = CoursePage.objects.filter(course_instructors__instructor__user=user).values("pk")
    return Session.objects.filter(scope | Q(course__in=taught))


def can_take_attendance(user, session) -> bool:
    """Whether `user` may check learners in and record attendance in `session`."""
    return attendance_sessions(user).filter(pk=session.pk).exists()


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
