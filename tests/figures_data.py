"""A small network whose programme figures were counted by hand (tests/test_service_figures.py).

Six sessions: three held (s1, s2 online, s3), one cancelled (s4), one to come (s5) and one held
long before `PERIOD` (s6). Nine learners, L0…L8, with every enrolment status, a waiting list
left, one joined then left and re-entered with a seat, certificates valid, revoked and
re-issued.
"""

from datetime import timedelta

from django.utils import timezone

from certificates.models import Certificate
from courses.models import Session
from enrolments.models import Enrolment
from reports import figures as f
from skills.models import SkillLevel
from tests import factories

NOW = timezone.now()
PERIOD = f.Period(start=NOW - timedelta(days=200), end=NOW + timedelta(days=100))
RABAT, FES = "rabat-sale-kenitra", "fes-meknes"


def session_at(course, *, ago=None, ahead=None, **fields):
    starts_at = NOW - timedelta(days=ago) if ago else NOW + timedelta(days=ahead)
    if fields.get("mode") == "online":
        fields.setdefault("online_url", "https://meet.example.com/x")
        fields.setdefault("institute", None)
    else:
        fields.setdefault("institute", course.institute)
    return Session.objects.create(
        course=course, starts_at=starts_at, ends_at=starts_at + timedelta(hours=7), **fields
    )


def more_completed_sessions(course, *, sessions, learners, prefix, capacity=30):
    """`sessions` more past sessions of `course`, one a day from two days ago, each with
    `learners` new learners who completed it: data grown for the query-count tests."""
    for day in range(sessions):
        session = session_at(course, ago=day + 2, capacity=capacity)
        Enrolment.objects.bulk_create(
            Enrolment(
                session=session,
                learner=factories.learner(f"{prefix}{day}-{i}@example.com"),
                status="completed",
                confirmed_at=NOW,
            )
            for i in range(learners)
        )


def _enrol(learner, session, status, *, seated=None):
    """An enrolment as the services leave it: `confirmed_at` set once it got a seat."""
    if seated is None:
        seated = status not in ("waitlisted",)
    return Enrolment.objects.create(
        session=session,
        learner=learner,
        status=status,
        confirmed_at=session.starts_at - timedelta(days=3) if seated else None,
        cancelled_at=NOW if status == "cancelled" else None,
    )


def _certificate(enrolment, code, *, revoked=False):
    return Certificate.objects.create(
        enrolment=enrolment,
        code=code,
        language="fr",
        holder_name="X",
        course_title="C",
        institute_name="I",
        starts_on=enrolment.session.starts_at.date(),
        ends_on=enrolment.session.ends_at.date(),
        minutes=420,
        revoked_at=NOW if revoked else None,
    )


def build():
    """The network, its sessions (s1…s6) and learners (L0…L8)."""
    tree = factories.site_tree()
    rabat = factories.institute(tree, "Jazari Root", is_hub=True)
    fes = factories.institute(tree, "Jazari Institute Fès", region=FES, city="Fès")
    ml = factories.skill("Apprentissage supervisé")
    py = factories.skill("Python pour la donnée")  # same category as ml
    nlp = factories.skill("Traitement de l'arabe", category="Langues")
    a = factories.course(
        tree,
        "Introduction au ML",
        rabat,
        format="course",
        skills=[(ml, SkillLevel.FOUNDATION), (py, SkillLevel.FOUNDATION)],
    )
    b = factories.course(
        tree, "LLM et arabe", fes, format="workshop", skills=[(nlp, SkillLevel.ADVANCED)]
    )
    s6 = session_at(a, ago=400, capacity=10)
    s1 = session_at(a, ago=30, capacity=10, language="fr")
    s2 = session_at(a, ago=10, capacity=5, mode="online", language="ar")
    s3 = session_at(b, ago=20, capacity=4, language="ar")
    s4 = session_at(b, ago=15, capacity=20, status="cancelled")
    s5 = session_at(a, ahead=20, capacity=8)

    profiles = [
        (RABAT, "student"),
        (RABAT, "public_servant"),
        ("casablanca-settat", "public_servant"),
        (FES, "student"),
        (FES, "researcher"),
        ("", ""),
        ("oriental", ""),
        (RABAT, ""),
        ("souss-massa", ""),
    ]
    L = [
        factories.learner(f"l{i}@example.com", region=region, audience=audience)
        for i, (region, audience) in enumerate(profiles)
    ]
    _enrol(L[0], s6, "completed")  # L0's first enrolment, long before the period
    e = {
        "l1s1": _enrol(L[1], s1, "completed"),
        "l2s1": _enrol(L[2], s1, "completed"),
        "l3s1": _enrol(L[3], s1, "attended"),
        "l4s1": _enrol(L[4], s1, "no_show"),
        "l5s1": _enrol(L[5], s1, "cancelled"),
        "l0s1": _enrol(L[0], s1, "completed"),
        "l1s2": _enrol(L[1], s2, "completed"),
        "l6s2": _enrol(L[6], s2, "attended"),
        "l7s2": _enrol(L[7], s2, "cancelled", seated=False),  # left the waiting list
        "l8s3": _enrol(L[8], s3, "waitlisted"),  # never got a seat
        "l3s3": _enrol(L[3], s3, "completed"),
        "l5s3a": _enrol(L[5], s3, "cancelled", seated=False),  # left the line…
        "l5s3b": _enrol(L[5], s3, "attended"),  # …came back and got a seat
        "l6s4": _enrol(L[6], s4, "cancelled"),  # the session was cancelled
        "l2s5": _enrol(L[2], s5, "confirmed"),
        "l8s5": _enrol(L[8], s5, "waitlisted"),
    }
    _certificate(e["l1s1"], "C1")
    _certificate(e["l2s1"], "C2-OLD", revoked=True)
    _certificate(e["l2s1"], "C2")
    _certificate(e["l1s2"], "C3")
    return {"rabat": rabat, "fes": fes, "learners": L, "sessions": (s1, s2, s3, s4, s5, s6)}
