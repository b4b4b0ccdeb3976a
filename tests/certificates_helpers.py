"""Builders shared by the certificate tests: a completed enrolment, through the services."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase

from certificates.services import issue_certificate
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


def complete(learner, session, *, actor=None, render_pdf=False):
    """Enrol `learner`, mark them present at every meeting and completed once the session has
    ended, as an organiser does; the certificate is issued.

    In a test wrapped in a transaction, with `render_pdf` the callbacks queued on commit run as
    if it had committed: the task issues the certificate and renders its PDF. Without it (for
    the tests that don't read the PDF) they are dropped and the certificate is issued by the
    service the task calls, `issue_certificate(…, render_pdf=False)`: the PDF is left to the
    first download, as for the demo's certificates. In a transactional test the completion
    commits and the task runs at once, PDF included.
    """
    enrolment = enrol(learner, session.pk).enrolment
    after = session.ends_at + timedelta(minutes=5)  # completion follows the session's end
    mark(enrolment.pk, "attended", actor=actor, now=after)
    if not connection.in_atomic_block:
        mark(enrolment.pk, "completed", actor=actor, now=after)
        return enrolment
    with TestCase.captureOnCommitCallbacks(execute=render_pdf):
        mark(enrolment.pk, "completed", actor=actor, now=after)
    if not render_pdf:
        issue_certificate(enrolment.pk, render_pdf=False)  # as the task does, without the PDF
    return enrolment
