"""Demo certificates: every completed enrolment of a demo learner has its certificate of
completion, and every enrolment present at a meeting of a session that has ended its
certificate of attendance.

Past demo enrolments are historical rows written directly by `enrolments` (never through
`enrolments.services.attendance.mark`, so no certificate task is queued for them). Here each one
that never had a certificate of a kind it earns gets it from
`certificates.services.issue_certificate(…, render_pdf=False)`, the same rule the tasks apply
(one valid certificate per enrolment and kind, the snapshot of the day, the signed credential,
an audit entry), but without rendering the PDF: the download view renders and stores it the
first time someone asks, which keeps the seed fast. Enrolments that have a certificate of that
kind, valid or revoked, are not looked at again, so a rerun issues nothing: a certificate an
editor revoked stays revoked (re-issuing is the editor's decision, in the admin). The "your
certificate is ready" emails owed are stamped sent: demo learners are not mailed (see
`demo.enrolments`).

So that logging in as `learner1@example.com` always shows a certificate in the skills
portfolio, whatever the day's plan gave that learner, learner 1 gets one completed enrolment
in a past session of a hand-written course when the plan gave none (a free seat and no
enrolment of theirs there; written like the other historical enrolments).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q

from certificates.models import Certificate, CertificateKind
from certificates.services import CertificateError, issue_certificate
from courses.models import Session, SessionStatus
from demo.attendance import write_attendance
from demo.data import COURSE_TEMPLATES
from demo.users import demo_learners
from enrolments.models import Enrolment, EnrolmentStatus, Notification, NotificationKind
from enrolments.services.counts import refresh_display_counts
from enrolments.states import HOLDS_SEAT

BATCH_SIZE = 1000
SHOWCASE_LEARNER = 1


@dataclass
class CertificateReport:
    issued: int = 0
    """Certificates issued by this run."""
    total: int = 0
    """Valid certificates of the demo learners."""
    showcase_enrolment: bool = False
    """Whether learner 1 was given a completed enrolment by this run."""


def ensure_certificates(courses, learner_count, now) -> CertificateReport:
    """Issue a certificate to each completed enrolment of the demo learners that never had one."""
    report = CertificateReport()
    learners = demo_learners(learner_count)
    if not learners:
        return report
    report.showcase_enrolment = _showcase(courses, learners.get(SHOWCASE_LEARNER), now)

    learner_ids = sorted(user.pk for user in learners.values())
    for chunk in _chunks(learner_ids, BATCH_SIZE):
        for kind, pending in _earned(chunk, now):
            for enrolment_id in pending:
                try:
                    issue_certificate(enrolment_id, kind=kind, render_pdf=False, now=now)
                except CertificateError:
                    continue  # not due (yet): the tasks issue it when it is
                report.issued += 1
        Notification.objects.filter(
            user_id__in=chunk, kind=NotificationKind.CERTIFICATE_READY, sent_at__isnull=True
        ).update(sent_at=now)
        report.total += Certificate.objects.valid().filter(enrolment__learner_id__in=chunk).count()
    return report


def _earned(learner_ids, now):
    """(kind, enrolment ids) of the learners' enrolments that earn a certificate of that kind
    and never had one."""
    for kind, statuses in (
        (CertificateKind.COMPLETION, [EnrolmentStatus.COMPLETED]),
        (CertificateKind.ATTENDANCE, [EnrolmentStatus.ATTENDED, EnrolmentStatus.COMPLETED]),
    ):
        has_one = Certificate.objects.filter(enrolment=OuterRef("pk"), kind=kind)
        pending = Enrolment.objects.filter(
            learner_id__in=learner_ids, status__in=statuses, session__ends_at__lte=now
        ).exclude(Exists(has_one))
        if kind == CertificateKind.ATTENDANCE:
            pending = pending.filter(attendances__present=True).distinct()
        yield kind, list(pending.order_by("pk").values_list("pk", flat=True))


def _showcase(courses, learner, now):
    """A completed enrolment for learner 1 if they have none; True if one was written."""
    if learner is None:
        return False
    if Enrolment.objects.filter(learner=learner, status=EnrolmentStatus.COMPLETED).exists():
        return False
    hand_written = [course.pk for course in courses[: len(COURSE_TEMPLATES)]]
    order = {pk: index for index, pk in enumerate(hand_written)}
    candidates = (
        Session.objects.filter(
            course_id__in=hand_written, status=SessionStatus.SCHEDULED, ends_at__lt=now
        )
        .exclude(enrolments__learner=learner)
        .annotate(held=Count("enrolments", filter=Q(enrolments__status__in=HOLDS_SEAT)))
    )
    free = [session for session in candidates if session.held < session.capacity]
    if not free:
        return False
    session = min(free, key=lambda s: (order[s.course_id], s.sort_order, s.pk))
    queued_at = session.starts_at - timedelta(days=14)
    if session.enrolment_opens_at:
        queued_at = max(queued_at, session.enrolment_opens_at)
    enrolment = Enrolment.objects.create(
        session=session,
        learner=learner,
        status=EnrolmentStatus.COMPLETED,
        queued_at=queued_at,
        confirmed_at=queued_at,
    )
    write_attendance([enrolment], {session.pk: session})
    refresh_display_counts(session.pk)
    return True


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
