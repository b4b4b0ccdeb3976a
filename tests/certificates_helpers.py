"""Builders shared by the certificate tests: sessions that took place, learners who attended or
completed them, through the services."""

from datetime import datetime, time, timedelta

from django.db import connection
from django.test import TestCase
from django.utils import timezone

from certificates.services import issue_certificate
from courses.meetings import sync_meetings
from courses.models import Session
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services.attendance import mark, record
from enrolments.services.counts import refresh_display_counts
from enrolments.services.enrolment import enrol
from jazari.time import CASABLANCA
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


def ended(session, *, days_ago=1):
    """Move a session still to come into the past, as if it had taken place: it ended
    `days_ago` days ago at 17:00 in Casablanca (a six-hour session ran from 11:00), its meetings
    with it. A session that has ended already stays as it is."""
    now = timezone.now()
    if session.ends_at <= now:
        return session
    day = timezone.localtime(now, CASABLANCA).date() - timedelta(days=days_ago)
    ends_at = datetime.combine(day, time(17), tzinfo=CASABLANCA)
    starts_at = ends_at - (session.ends_at - session.starts_at)
    Session.objects.filter(pk=session.pk).update(starts_at=starts_at, ends_at=ends_at)
    session.refresh_from_db()
    sync_meetings(session)
    return session


def enrolled(learner, session):
    """`learner` with a seat in `session`: enrolled through the service while it is ahead,
    else written as enrolled before it started."""
    if session.starts_at > timezone.now():
        return enrol(learner, session.pk).enrolment
    enrolment = Enrolment.objects.create(
        session=session,
        learner=learner,
        status=EnrolmentStatus.CONFIRMED,
        queued_at=session.starts_at - timedelta(days=7),
        confirmed_at=session.starts_at - timedelta(days=7),
    )
    refresh_display_counts(session.pk)
    return enrolment


def attend(learner, session, *, meetings=None):
    """Enrol `learner` and, once the session has ended, record them present at its meetings
    (all, or the first `meetings`), as a trainer does on the participant list."""
    enrolment = enrolled(learner, session)
    ended(session)
    for meeting in list(session.meetings.order_by("starts_at"))[:meetings]:
        record(enrolment.pk, meeting.pk, True, actor=None)
    enrolment.refresh_from_db()
    return enrolment


def complete(learner, session, *, actor=None, render_pdf=False):
    """Enrol `learner`, mark them present at every meeting and completed once the session has
    ended, as an organiser does; the certificate of completion is issued.

    The session is moved into the past first if it is still to come (`ended`). In a test
    wrapped in a transaction, with `render_pdf` the callbacks queued on commit run as if it had
    committed: the task issues the certificate and renders its PDF, and the "certificate
    ready" email goes out. Without it (for the tests that don't read the PDF) they are dropped
    and the certificate is issued by the service the task calls, `issue_certificate(…,
    render_pdf=False)`: the PDF is left to the first download, as for the demo's
    certificates. In a transactional test the completion commits and the task runs at once,
    PDF included.
    """
    enrolment = enrolled(learner, session)
    ended(session)
    mark(enrolment.pk, "attended", actor=actor)
    if not connection.in_atomic_block:
        mark(enrolment.pk, "completed", actor=actor)
        return enrolment
    with TestCase.captureOnCommitCallbacks(execute=render_pdf):
        mark(enrolment.pk, "completed", actor=actor)
    if not render_pdf:
        issue_certificate(enrolment.pk, render_pdf=False)  # as the task does, without the PDF
    return enrolment
