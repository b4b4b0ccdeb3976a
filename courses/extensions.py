"""What courses add to the pages of the apps below: the courses of an institute and of a skill.

Registered by `CoursesConfig.ready()`.
"""

from django.db.models import Q
from django.utils import timezone

from courses.models import CoursePage, Session
from institutes.models import institute_page_context
from skills.models import skill_page_context

INSTITUTE_SESSIONS = 12


@institute_page_context.register
def institute_courses(institute) -> dict:
    """The institute's next sessions (held there, or of its courses) and its courses."""
    sessions = (
        Session.objects.upcoming(timezone.now())
        .filter(Q(institute=institute) | Q(course__institute=institute))
        .listed()
        .select_related("course", "institute")
        .order_by("starts_at")
    )
    return {
        "upcoming_sessions": sessions[:INSTITUTE_SESSIONS],
        "courses": CoursePage.objects.listed().filter(institute=institute).order_by("title"),
    }


@skill_page_context.register
def skill_courses(skill) -> dict:
    """The listed courses that teach the skill, by title."""
    courses = (
        CoursePage.objects.listed()
        .filter(course_skills__skill=skill)
        .select_related("institute")
        .distinct()
        .order_by("title")
    )
    return {"courses": courses}
