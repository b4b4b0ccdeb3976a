"""What learning paths add to the pages below: links from courses and skills to their paths.

Registered by `PathsConfig.ready()`, with the receivers that retire the cached catalogue when
a path's courses change (its cards say which paths a course is part of).
"""

from django.db.models.signals import post_delete, post_save

from courses.cache import bump_catalogue_version
from courses.catalogue import catalogue_card_details
from courses.models import CoursePage, course_page_context
from jazari.i18n import with_text
from paths.models import LearningPathCourse, LearningPathPage
from paths.progress import paths_by_course
from skills.models import skill_page_context


@course_page_context.register
def course_paths(course, request) -> dict:
    """The live learning paths that list the course (one query, and one for their text)."""
    return {"learning_paths": with_text(paths_by_course([course.pk]).get(course.pk, []))}


@catalogue_card_details.register
def card_paths(courses) -> None:
    """`course.path_list`: the live paths of each course on a catalogue page, with their text
    in the reader's language (one query, and one for their translations)."""
    paths = paths_by_course([course.pk for course in courses])
    for course in courses:
        course.path_list = paths.get(course.pk, [])
    with_text([path for course_paths in paths.values() for path in course_paths])


@skill_page_context.register
def skill_paths(skill) -> dict:
    """The live paths with a listed course teaching the skill, by title."""
    teaching = CoursePage.objects.listed().filter(course_skills__skill=skill).values("pk")
    paths = (
        LearningPathPage.objects.live()
        .originals()
        .filter(path_courses__course__in=teaching)
        .distinct()
        .order_by("title")
    )
    return {"paths": with_text(list(paths))}


def path_courses_changed(sender, instance, **kwargs):
    bump_catalogue_version()


post_save.connect(path_courses_changed, sender=LearningPathCourse, dispatch_uid="catalogue-path")
post_delete.connect(
    path_courses_changed, sender=LearningPathCourse, dispatch_uid="catalogue-path-d"
)
