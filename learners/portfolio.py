"""A learner's skills portfolio: the skills gained from completed courses, and the proof.

A skill is gained when an enrolment in a session of a course teaching it is completed; the
level shown is the highest any completed course teaches it at, and the certificate is that of
the enrolment behind that level (the most recent one when several courses reach it). The
levels come from the courses as they are now, so a certificate not yet issued doesn't hide a
skill; the certificate itself keeps the skills as they were on the day it was issued.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery

from certificates.models import Certificate
from courses.models import CoursePage, CourseSkill
from enrolments.models import Enrolment, EnrolmentStatus
from skills.models import Skill, SkillLevel


@dataclass(frozen=True)
class GainedSkill:
    skill: Skill
    level: int
    course: CoursePage
    completed_at: datetime
    certificate_code: str | None
    """The valid certificate of the enrolment behind the level; None while being issued."""

    @property
    def level_label(self):
        return SkillLevel(self.level).label


def skills_portfolio(user) -> list[GainedSkill]:
    """The learner's gained skills by category and name: two queries whatever their number."""
    certificate = (
        Certificate.objects.valid()
        .completion()
        .filter(enrolment=OuterRef("pk"))
        .order_by("-issued_at")
        .values("code")[:1]
    )
    enrolments = list(
        Enrolment.objects.filter(learner=user, status=EnrolmentStatus.COMPLETED)
        .select_related("session__course")
        .annotate(certificate_code=Subquery(certificate))
        .order_by("-session__ends_at", "-pk")
    )
    if not enrolments:
        return []
    taught = defaultdict(list)
    course_skills = CourseSkill.objects.filter(
        course_id__in={e.session.course_id for e in enrolments}
    ).select_related("skill__category")
    for course_skill in course_skills:
        taught[course_skill.course_id].append(course_skill)

    gained = {}
    for enrolment in enrolments:  # the most recent first: it wins a tie
        session = enrolment.session
        for course_skill in taught[session.course_id]:
            best = gained.get(course_skill.skill_id)
            if best is None or course_skill.level > best.level:
                gained[course_skill.skill_id] = GainedSkill(
                    skill=course_skill.skill,
                    level=course_skill.level,
                    course=session.course,
                    completed_at=session.ends_at,
                    certificate_code=enrolment.certificate_code,
                )
    return sorted(
        gained.values(),
        key=lambda g: (g.skill.category.sort_order, g.skill.category.name, g.skill.name),
    )


def gained_levels(portfolio) -> dict[int, int]:
    """{skill id: level} of a portfolio, for `paths.progress.suggested_sessions`."""
    return {item.skill.pk: item.level for item in portfolio}
