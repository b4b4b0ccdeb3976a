"""Builders shared by the certificate tests: a completed enrolment, through the services."""

from datetime import timedelta

from django.db import connection

from enrolments.services.attendance import mark
from enrolments.services.enrolment import enrol
from skills.models import SkillLevel
from tests import factories


def course_with_skills(tree, *, title="Introduction au machine learning", hours=21):
    """Jazari Root's course with two skills, one of them linked to ESCO, and a session."""
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    fes = factories.institute(tree, "Jazari Institute Fès", region="fes-meknes", city="Fès")
    ml = factories.skill(
        "Apprentissage supervisé",
        esco_uri="http://data.europa.eu/esco/skill/4c0a7a5b-8a6b-4a5a-9c3e-2f3b8e1d6a10",
    )
    python = factories.skill("Programmation Python", category="Programmation")
    course = factories.course(
        tree,
        title,
        fes,
        skills=[(ml, SkillLevel.INTERMEDIATE), (python, SkillLevel.FOUNDATION)],
        duration_hours=hours,
    )
    session = factories.session(course, starts_in=timedelta(days=3), hours=6)
    return {"root": root, "fes": fes, "course": course, "session": session, "ml": ml}


def complete(learner, session, *, actor=None):
    """Enrol `learner` and mark them completed once the session has ended, as an organiser
    does; commit callbacks run.

    In a test wrapped in a transaction, the callbacks queued on commit (the certificate task)
    are run as if it had committed.
    """
    enrolment = enrol(learner, session.pk).enrolment
    after = session.ends_at + timedelta(minutes=5)
    if connection.in_atomic_block:
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            mark(enrolment.pk, "completed", actor=actor, now=after)
    else:
        mark(enrolment.pk, "completed", actor=actor, now=after)
    return enrolment
