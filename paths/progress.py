"""Learning paths: their steps, a learner's progress through them, and what to take next.

Plain functions used by the path pages, the catalogue, the course and skill pages and the
learner dashboard. Each runs a fixed number of SQL queries whatever the length of a path or
the number of paths followed, so a page stays as cheap with thirty courses as with three.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Sum, Value, When
from django.utils.translation import pgettext_lazy

from courses.models import CoursePage, CourseSkill, Session
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.states import IN_PROGRESS
from jazari.i18n import with_text
from paths.models import LearningPathCourse, LearningPathPage, PathFollow
from skills.models import Skill, SkillLevel

SUGGESTION_COUNT = 6


class StepStatus(models.TextChoices):
    # Contexts: "Completed" is also an enrolment status, with another gender in French.
    COMPLETED = "completed", pgettext_lazy("path step", "Completed")
    IN_PROGRESS = "in_progress", pgettext_lazy("path step", "In progress")
    NOT_STARTED = "not_started", pgettext_lazy("path step", "Not started")


def step_status(enrolment_statuses) -> StepStatus:
    """Where a learner stands with a course, from the statuses of their enrolments in it.

    One completed session is enough to complete the course, whatever else happened.
    """
    statuses = set(enrolment_statuses)
    if EnrolmentStatus.COMPLETED in statuses:
        return StepStatus.COMPLETED
    if statuses & IN_PROGRESS:  # a seat or attendance; not a waiting list place, a no-show
        return StepStatus.IN_PROGRESS
    return StepStatus.NOT_STARTED


@dataclass(frozen=True)
class Progress:
    """How many of a path's courses a learner has completed."""

    completed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.completed == self.total


def progress_of(statuses) -> Progress:
    statuses = list(statuses)
    done = sum(1 for status in statuses if status == StepStatus.COMPLETED)
    return Progress(completed=done, total=len(statuses))


def enrolment_statuses(user, course_ids) -> dict[int, set[str]]:
    """{course id: statuses of the learner's enrolments in its sessions}, in one query."""
    if not (user and user.is_authenticated and course_ids):
        return {}
    rows = (
        Enrolment.objects.filter(learner=user, session__course_id__in=list(course_ids))
        .order_by()
        .values_list("session__course_id", "status")
        .distinct()
    )
    statuses = defaultdict(set)
    for course_id, status in rows:
        statuses[course_id].add(status)
    return statuses


def course_statuses(user, course_ids) -> dict[int, StepStatus]:
    statuses = enrolment_statuses(user, course_ids)
    return {course_id: step_status(statuses.get(course_id, ())) for course_id in course_ids}


# Following


def follow_path(user, path) -> PathFollow:
    """Follow a path; following it again changes nothing."""
    try:
        with transaction.atomic():
            follow, _created = PathFollow.objects.get_or_create(learner=user, path=path)
    except IntegrityError:  # the same learner following twice at the same instant
        follow = PathFollow.objects.get(learner=user, path=path)
    return follow


def unfollow_path(user, path) -> None:
    PathFollow.objects.filter(learner=user, path=path).delete()


# The path page


@dataclass
class Step:
    position: int
    course: CoursePage
    note: str
    next_session: Session | None
    status: StepStatus | None
    """None for a visitor who is not signed in."""


@dataclass(frozen=True)
class PathSkill:
    """A skill the path builds, at the highest level any of its courses teaches it."""

    skill: Skill
    level: int

    @property
    def level_label(self):
        return SkillLevel(self.level).label


@dataclass
class PathView:
    steps: list[Step]
    hours: int
    skills: list[PathSkill]
    progress: Progress | None
    following: bool


def _with_next_session(courses, now):
    upcoming = (
        Session.objects.upcoming(now).filter(course=OuterRef("pk")).order_by("starts_at", "pk")
    )
    return courses.annotate(next_session_id=Subquery(upcoming.values("pk")[:1]))


def path_view(page, user, now: datetime) -> PathView:
    """The steps of `page` in order, with their next session and, for a signed-in learner,
    their progress: six queries whatever the number of courses, and one per model for the
    text of its courses, institutes and skills in the reader's language (`with_text`).

    The steps come from `page.path_courses`, so a preview in the admin shows the courses as
    edited, before they are saved. Courses that are not listed (not live, or private: see
    `courses.privacy`) are left out.
    """
    entries = list(page.path_courses.all())
    course_ids = [entry.course_id for entry in entries]
    courses = _with_next_session(
        CoursePage.objects.listed().filter(pk__in=course_ids).select_related("institute"), now
    ).in_bulk()
    sessions = Session.objects.select_related("institute").in_bulk(
        [c.next_session_id for c in courses.values() if c.next_session_id]
    )
    signed_in = bool(user and user.is_authenticated)
    statuses = course_statuses(user, list(courses)) if signed_in else {}

    steps = []
    for entry in entries:
        course = courses.get(entry.course_id)
        if course is None:
            continue
        steps.append(
            Step(
                position=len(steps) + 1,
                course=course,
                note=entry.note,
                next_session=sessions.get(course.next_session_id),
                status=statuses.get(course.pk) if signed_in else None,
            )
        )

    levels = {}
    taught = CourseSkill.objects.filter(course_id__in=list(courses)).select_related(
        "skill__category"
    )
    for course_skill in taught:
        best = levels.get(course_skill.skill_id)
        if best is None or course_skill.level > best.level:
            levels[course_skill.skill_id] = PathSkill(course_skill.skill, course_skill.level)
    with_text(
        [
            *(step.course for step in steps),
            *(step.course.institute for step in steps),
            *(item.skill for item in levels.values()),
        ]
    )
    skills = sorted(
        levels.values(),
        key=lambda s: (s.skill.category.sort_order, s.skill.category.name, s.skill.text.name),
    )
    return PathView(
        steps=steps,
        hours=sum(step.course.duration_hours for step in steps),
        skills=skills,
        progress=progress_of(step.status for step in steps) if signed_in else None,
        following=signed_in and PathFollow.objects.filter(learner=user, path=page).exists(),
    )


def path_listing(index_page):
    """The live paths under `/paths/`, each with `course_count` and `hours` of their listed
    courses, in one query."""
    live_course = Q(path_courses__course__in=CoursePage.objects.listed().values("pk"))
    return (
        LearningPathPage.objects.live()
        .originals()
        .child_of(index_page)
        .annotate(
            course_count=Count("path_courses", filter=live_course),
            hours=Sum("path_courses__course__duration_hours", filter=live_course),
        )
        .order_by("path")
    )


# Links from courses to their paths


def paths_by_course(course_ids) -> dict[int, list[LearningPathPage]]:
    """{course id: live paths that contain it, by title}, in one query: the original paths (a
    translation lists the same courses)."""
    if not course_ids:
        return {}
    entries = (
        LearningPathCourse.objects.filter(
            course_id__in=list(course_ids),
            path__live=True,
            path__locale__language_code=settings.LANGUAGE_CODE,
        )
        .select_related("path")
        .order_by("path__title", "path_id")
    )
    paths = defaultdict(list)
    for entry in entries:
        paths[entry.course_id].append(entry.path)
    return dict(paths)


# The dashboard


@dataclass
class FollowedPath:
    path: LearningPathPage
    course_ids: list[int] = field(default_factory=list)
    statuses: dict[int, StepStatus] = field(default_factory=dict)
    progress: Progress | None = None


def followed_paths(user) -> list[FollowedPath]:
    """The live paths the learner follows, oldest follow first, with their progress: three
    queries whatever the number of paths."""
    follows = list(
        PathFollow.objects.filter(learner=user, path__live=True)
        .select_related("path")
        .order_by("created_at", "pk")
    )
    if not follows:
        return []
    followed = {follow.path_id: FollowedPath(follow.path) for follow in follows}
    rows = (
        LearningPathCourse.objects.filter(
            path_id__in=list(followed), course__in=CoursePage.objects.listed().values("pk")
        )
        .order_by("path_id", "sort_order", "pk")
        .values_list("path_id", "course_id")
    )
    for path_id, course_id in rows:
        followed[path_id].course_ids.append(course_id)
    statuses = course_statuses(user, {c for item in followed.values() for c in item.course_ids})
    for item in followed.values():
        item.statuses = {course_id: statuses[course_id] for course_id in item.course_ids}
        item.progress = progress_of(item.statuses.values())
    return list(followed.values())


def suggested_sessions(user, followed, gained, now: datetime, limit=SUGGESTION_COUNT):
    """Sessions to enrol in next, from the courses of the paths the learner follows.

    A course qualifies when the learner has neither completed nor started it and it teaches
    at least one skill the learner has not gained at that level (`gained`: {skill id: level}).
    A session qualifies when it is scheduled, not started, open for enrolment, has a seat or a
    waiting list, and the learner is not already in it. The first paths followed come first,
    then each path's order, then the soonest session. Two queries.
    """
    rank = {}
    for path_number, item in enumerate(followed):
        for position, course_id in enumerate(item.course_ids):
            if item.statuses.get(course_id, StepStatus.NOT_STARTED) != StepStatus.NOT_STARTED:
                continue
            rank.setdefault(course_id, (path_number, position))
    if not rank:
        return []
    teaches_new = set()
    levels = CourseSkill.objects.filter(course_id__in=list(rank)).values_list(
        "course_id", "skill_id", "level"
    )
    for course_id, skill_id, level in levels:
        if level > gained.get(skill_id, 0):
            teaches_new.add(course_id)
    if not teaches_new:
        return []

    ordered = sorted(teaches_new, key=rank.__getitem__)
    already_in = Enrolment.objects.active().filter(learner=user, session=OuterRef("pk"))
    sessions = (
        Session.objects.accepting_enrolment(now)
        .listed()
        .filter(course_id__in=ordered)
        .exclude(Exists(already_in))
        .annotate(
            path_rank=Case(
                *(When(course_id=pk, then=Value(i)) for i, pk in enumerate(ordered)),
                output_field=models.IntegerField(),
            )
        )
        .select_related("course__institute", "institute")
        .order_by("path_rank", "starts_at", "pk")
    )
    return list(sessions[:limit])
