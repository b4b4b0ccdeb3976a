"""Who may download a course's material: the rules, as plain functions.

A material is offered to everyone, to enrolled learners or to learners who attended. Enrolled
means confirmed, attended or completed in a session of the course, or in the material's own
session when it is tied to one; attended means attended or completed. Material of a course
that is not published is for editors only. Editors who may use the document's collection in
the Wagtail admin (change or choose documents there) may always download it, so they can
check what they published.

A document is private until published material offers it: wherever its URL is asked
(`document_access`, for Wagtail's `/documents/…` view), a file no material of a published course
uses (a fresh upload, one attached in a draft only, one removed from its course) is for the
editors of its collection and administrators only. Uploading makes nothing public.

`decide` is the rule itself, a pure function of a material and what is known about the viewer
(`Viewer`); `viewer_for` gathers that in a fixed number of queries, so the course page can
decide for all its material at once.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from enrolments.models import Enrolment
from enrolments.states import ATTENDED, ENROLLED
from materials.models import Material, Visibility

EDITOR_ACTIONS = ["change", "choose"]


class Access(StrEnum):
    """The answer for one viewer and one material, from most to least open."""

    ALLOWED = "allowed"
    LOG_IN = "log_in"
    ENROL = "enrol"
    ATTEND = "attend"
    UNAVAILABLE = "unavailable"


# Why a material is locked, as the course page says it next to the title.
LOCKED_LABELS = {
    Access.LOG_IN: _("Log in to download"),
    Access.ENROL: _("For enrolled learners"),
    Access.ATTEND: _("For learners who attended"),
}

# What a signed-in learner without the right is told (403).
DENIED_MESSAGES = {
    Access.ENROL: _(
        "This material is for learners enrolled in this course. Enrol in a session to download it."
    ),
    Access.ATTEND: _(
        "This material is for learners who attended this course. It can be downloaded once "
        "your attendance has been recorded."
    ),
}
DENIED_SESSION_MESSAGES = {
    Access.ENROL: _(
        "This material is for learners enrolled in the session it belongs to. Enrol in that "
        "session to download it."
    ),
    Access.ATTEND: _(
        "This material is for learners who attended the session it belongs to. It can be "
        "downloaded once your attendance has been recorded."
    ),
}


@dataclass(frozen=True)
class Viewer:
    """What the rules need to know about the person asking."""

    authenticated: bool = False
    # Enrolment statuses by session id and by course id.
    session_statuses: dict = field(default_factory=dict)
    course_statuses: dict = field(default_factory=dict)
    # Ids of the collections whose documents the viewer may use in the admin.
    editor_collections: frozenset = frozenset()


ANONYMOUS = Viewer()


def decide(material, viewer, *, course_live=True):
    """The `Access` of `viewer` to `material` (pure: no database access)."""
    if material.document.collection_id in viewer.editor_collections:
        return Access.ALLOWED
    if not course_live:
        return Access.UNAVAILABLE
    if material.visibility == Visibility.EVERYONE:
        return Access.ALLOWED
    if not viewer.authenticated:
        return Access.LOG_IN
    if material.session_id:
        statuses = viewer.session_statuses.get(material.session_id, frozenset())
    else:
        statuses = viewer.course_statuses.get(material.course_id, frozenset())
    if material.visibility == Visibility.ATTENDED:
        return Access.ALLOWED if statuses & ATTENDED else Access.ATTEND
    return Access.ALLOWED if statuses & ENROLLED else Access.ENROL


def viewer_for(user, course_ids):
    """The `Viewer` for `user` regarding these courses: one query for enrolments, and for an
    admin user the permission lookups of Wagtail's collection policy."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    session_statuses, course_statuses = {}, {}
    rows = Enrolment.objects.filter(learner=user, session__course_id__in=course_ids).values_list(
        "session_id", "session__course_id", "status"
    )
    for session_id, course_id, status in rows:
        session_statuses.setdefault(session_id, set()).add(status)
        course_statuses.setdefault(course_id, set()).add(status)
    return Viewer(
        authenticated=True,
        session_statuses=session_statuses,
        course_statuses=course_statuses,
        editor_collections=editor_collections(user),
    )


def editor_collections(user):
    """Ids of the collections whose documents `user` may use in the Wagtail admin."""
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    if not user.is_active or not user.has_perm("wagtailadmin.access_admin"):
        return frozenset()
    policy = policy_registry.get_by_type(get_document_model())
    collections = policy.collections_user_has_any_permission_for(user, EDITOR_ACTIONS)
    return frozenset(collections.values_list("pk", flat=True))


def check_download(user, material):
    """The `Access` of `user` to one material."""
    viewer = viewer_for(user, [material.course_id])
    return decide(material, viewer, course_live=material.course.live)


def can_download(user, material):
    return check_download(user, material) == Access.ALLOWED


def document_access(user, document):
    """The `Access` of `user` to a document, whichever URL asks for it.

    Editors of its collection and administrators always have it. Anyone else has it through
    the material that offers it, and a document offered in several places is as open as its
    most open offer (the file is the same whichever course page links to it); a document no
    material offers is unavailable.
    """
    materials = list(
        Material.objects.filter(document=document).select_related("course", "document")
    )
    viewer = viewer_for(user, {material.course_id for material in materials})
    if document.collection_id in viewer.editor_collections:
        return Access.ALLOWED
    order = list(Access)
    return min(
        (decide(material, viewer, course_live=material.course.live) for material in materials),
        key=order.index,
        default=Access.UNAVAILABLE,
    )


def denied_message(access, material=None):
    """What a signed-in user is told when `access` refuses them the file."""
    messages = DENIED_SESSION_MESSAGES if material and material.session_id else DENIED_MESSAGES
    return messages.get(access) or DENIED_MESSAGES[Access.ENROL]


@dataclass(frozen=True)
class MaterialEntry:
    """One line of the course page's material list."""

    material: Material
    access: Access

    @property
    def allowed(self):
        return self.access == Access.ALLOWED

    @property
    def locked_label(self):
        return LOCKED_LABELS.get(self.access, "")


def course_materials(course, user):
    """The course's material in order, each with the viewer's access: two queries for a
    signed-in learner, one for a visitor, whatever the number of files."""
    materials = list(
        Material.objects.filter(course_id=course.pk)
        .select_related("document", "session")
        .order_by("sort_order", "pk")
    )
    if not materials:
        return []
    viewer = viewer_for(user, [course.pk])
    return [
        MaterialEntry(material, decide(material, viewer, course_live=course.live))
        for material in materials
    ]
