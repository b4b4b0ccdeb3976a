"""What courses add to the pages of the apps below: the courses of an institute and of a skill.

Registered by `CoursesConfig.ready()`.
"""

from django.db.models import Q
from django.utils import timezone

from courses.models import CoursePage, Session
from institutes.models import institute_page_context
from jazari.i18n import with_text
from skills.models import skill_page_context

INSTITUTE_SESSIONS = 12


@institute_page_context.register
def institute_courses(institute) -> dict:
    """The institute's next sessions (held there, or of its courses) and its courses, with
    their text in the reader's language (`institute`: an original)."""
    sessions = list(
        Session.objects.upcoming(timezone.now())
        .filter(Q(institute=institute) | Q(course__institute=institute))
        .listed()
        .select_related("course", "institute")
        .order_by("starts_at")[:INSTITUTE_SESSIONS]
    )
    courses = list(CoursePage.objects.listed().filter(institute=institute).order_by("title"))
    with_text(
        [
            *courses,
            *(session.course for session in sessions),
            *(session.institute for session in sessions),
        ]
    )
    return {"upcoming_sessions": sessions, "courses": courses}


@skill_page_context.register
def skill_courses(skill) -> dict:
    """The listed courses that teach the skill, by title, with their text and their
    institutes' in the reader's language."""
    courses = list(
        CoursePage.objects.listed()
        .filter(course_skills__skill=skill)
        .select_related("institute")
        .distinct()
        .order_by("title")
    )
    with_text([*courses, *(course.institute for course in courses)])
    return {"courses": courses}
