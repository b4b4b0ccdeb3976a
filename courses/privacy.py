"""Private courses: Wagtail's page privacy (a view restriction) obeyed everywhere a course shows.

An editor makes a course private with Wagtail's "Privacy" setting, on the course itself or on
any page above it (the catalogue, an institute's folder…): a shared password, any logged-in
user, or members of some groups. Wagtail guards the page itself; this module is the rule for
everything else that shows or acts on a course.

- Listings (the catalogue and its facet counts, search, the API's lists, the institute, skill,
  home and learning-path pages, the dashboard's suggestions) show only the courses without a
  restriction on them or on an ancestor, Wagtail's `PageQuerySet.public()` reading of the tree.
  `not_restricted(path)` says it inside the listing's own SQL (no query of its own), through
  `CoursePage.objects.listed()` and `Session.objects.listed()`. A listing is then the same for
  every visitor, so a cached rendering stays valid for all.
- One course (its API detail, enrolling in one of its sessions from the page or the API, a
  session's calendar file, its material) is for a request that passes every restriction on the
  course and its ancestors as Wagtail's page view decides (`PageViewRestriction.accept_request`):
  `passes(request, course)`, `passing(request, courses)` for many at once.
- A request without a browser session cannot have entered a password: an API token, a
  calendar application reading a learner's feed. `without_session(request or user)` is how it
  is judged: logged-in and group restrictions pass by the account, a password one never does.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageViewRestriction


def restricted(path: str = "path") -> Exists:
    """True where a view restriction stands on the page whose tree path is the outer field
    `path` (e.g. `"course__path"` from a session) or on one of its ancestors: a restricted
    page's path is a prefix of the path of every page below it."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef(path), 1, Length("page__path"))
        )
    )


def not_restricted(path: str = "path"):
    """The condition a listing keeps its courses by (see `restricted`)."""
    return ~restricted(path)


def _ancestor_paths(path: str) -> list[str]:
    step = Page.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def restrictions_of(pages: Iterable[Any]) -> dict[int, list[PageViewRestriction]]:
    """{page id: the view restrictions on the page and its ancestors}, in two queries (the
    restrictions, their groups) whatever the number of pages."""
    pages = list(pages)
    paths = {prefix for page in pages for prefix in _ancestor_paths(page.path)}
    if not paths:
        return {}
    found = list(
        PageViewRestriction.objects.filter(page__path__in=paths)
        .select_related("page")
        .prefetch_related("groups")
        .order_by("page__path", "pk")
    )
    return {page.pk: [r for r in found if page.path.startswith(r.page.path)] for page in pages}


@dataclass
class _SessionLess:
    """A request as seen without its browser session: the account only."""

    user: Any
    session: dict = field(default_factory=dict)


def without_session(user) -> _SessionLess:
    """What to judge an API token request or a learner's calendar feed by: its user, with no
    password entered."""
    return _SessionLess(user)


def passing(request, pages: Iterable[Any]) -> set[int]:
    """Ids of the pages whose every restriction accepts `request` (see `without_session`)."""
    restrictions = restrictions_of(pages)
    user_groups = None
    user = request.user
    needs_groups = any(
        r.restriction_type == PageViewRestriction.GROUPS
        for found in restrictions.values()
        for r in found
    )
    if needs_groups and user.is_authenticated and not user.is_superuser:
        # `accept_request` reads the user's groups once per restriction; here once in all.
        user_groups = set(user.groups.all())
    return {
        page_id
        for page_id, found in restrictions.items()
        if all(_accepts(restriction, request, user_groups) for restriction in found)
    }


def _accepts(restriction, request, user_groups) -> bool:
    """`restriction.accept_request(request)`, the user's groups given when already read."""
    if restriction.restriction_type == PageViewRestriction.GROUPS and user_groups is not None:
        return any(group in user_groups for group in restriction.groups.all())
    return restriction.accept_request(request)


def passes(request, page) -> bool:
    """Whether `request` may see or act on `page` (a course) under its restrictions."""
    return page.pk in passing(request, [page])
