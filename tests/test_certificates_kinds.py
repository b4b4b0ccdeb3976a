"""Certificates of attendance and of completion: who earns which, when, and the email each owes."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates import services
from certificates.codes import new_code
from certificates.models import Certificate, CertificateKind
from certificates.tasks import issue_attendance_certificates, issue_missing_certificates
from courses.models import Session
from enrolments.models import Enrolment, EnrolmentStatus, Notification, NotificationKind
from enrolments.services.attendance import mark, record
from enrolments.tasks import dispatch_pending, send_notification
from jazari.time import CASABLANCA
from tests import factories
from tests.certificates_helpers import attend, complete, course_with_skills, ended, enrolled

ATTENDANCE, COMPLETION = CertificateKind.ATTENDANCE, CertificateKind.COMPLETION


@pytest.fixture
def setting(tree):
    return course_with_skills(tree)


@pytest.fixture
def bootcamp(setting):
    """A three-day session, 09:00-12:00 each day in ten days' time: three meetings of 3 hours."""
    day = timezone.localtime(timezone.now(), CASABLANCA).date() + timedelta(days=10)
    starts_at = datetime.combine(day, time(9), tzinfo=CASABLANCA)
    ends_at = datetime.combine(day + timedelta(days=2), time(12), tzinfo=CASABLANCA)
    session = Session.objects.create(
        course=setting["course"],
        starts_at=starts_at,
        ends_at=ends_at,
        institute=setting["fes"],
        capacity=10,
    )
    assert session.meetings.count() == 3
    return session


def learner(name):
    return factories.learner(f"{name.lower()}@example.com", full_name=name)


def certificates_of(enrolment):
    return sorted(Certificate.objects.filter(enrolment=enrolment).values_list("kind", flat=True))


def test_attendance_certificates_go_to_those_present_once_the_session_has_ended(bootcamp):
    """The beat task: present at one meeting at least, a certificate listing those meetings
    and their hours; absent only, or nothing recorded, none; run again, nothing more."""
    amina, bilal, chaima = learner("Amina"), learner("Bilal"), learner("Chaima")
    enrolments = [enrolled(person, bootcamp) for person in (amina, bilal, chaima)]
    ended(bootcamp)
    meetings = list(bootcamp.meetings.order_by("starts_at"))
    for meeting in meetings[:2]:  # Amina at the first two meetings, absent at the third
        record(enrolments[0].pk, meeting.pk, True, actor=None)
    record(enrolments[0].pk, meetings[2].pk, False, actor=None)
    for meeting in meetings:  # Bilal absent throughout
        record(enrolments[1].pk, meeting.pk, False, actor=None)
    # Chaima: nothing recorded.

    assert issue_attendance_certificates() == 1
    certificate = Certificate.objects.get()
    assert certificate.enrolment_id == enrolments[0].pk and certificate.kind == ATTENDANCE
    assert [m["starts_at"][:10] for m in certificate.meetings] == [
        meeting.starts_at.date().isoformat() for meeting in meetings[:2]
    ]
    assert (certificate.minutes, certificate.duration_label) == (360, "6 heures")
    assert certificate.credential and certificate.status_index is not None

    assert issue_attendance_certificates() == 0
    assert Certificate.objects.count() == 1


def test_no_certificate_before_the_session_ends(setting):
    """During the session: attendance recorded, yet no certificate of either kind is issued."""
    running = factories.session(setting["course"], starts_in=timedelta(hours=-2), hours=4)
    enrolment = enrolled(learner("Amina"), running)
    [meeting] = running.meetings.all()
    record(enrolment.pk, meeting.pk, True, actor=None)

    assert issue_attendance_certificates() == 0
    with pytest.raises(services.CertificateError) as refused:
        services.issue_certificate(enrolment.pk, kind=ATTENDANCE)
    assert refused.value.code == "session_not_ended"
    # Completion can't be recorded before the end either; had it been, still no certificate.
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.COMPLETED)
    with pytest.raises(services.CertificateError) as refused:
        services.issue_certificate(enrolment.pk, kind=COMPLETION)
    assert refused.value.code == "session_not_ended"
    assert not Certificate.objects.exists()
    # Once it has ended, both are due.
    assert services.issue_certificate(enrolment.pk, kind=ATTENDANCE, now=running.ends_at)
    assert services.issue_certificate(enrolment.pk, kind=COMPLETION, now=running.ends_at)


def test_completion_brings_a_certificate_of_completion_and_attendance_its_own(bootcamp):
    """Completed after attending: the certificate of completion (the task's service), and the
    beat's one of attendance; one valid of each kind, the database refusing a second."""
    enrolment = attend(learner("Amina"), bootcamp, meetings=3)
    mark(enrolment.pk, "completed", actor=None)
    services.issue_certificate(enrolment.pk, render_pdf=False)  # as the task does
    assert certificates_of(enrolment) == [COMPLETION]
    completion = Certificate.objects.get(kind=COMPLETION)
    assert completion.minutes == 9 * 60 and len(completion.meetings) == 3

    assert issue_attendance_certificates() == 1
    assert certificates_of(enrolment) == [ATTENDANCE, COMPLETION]
    assert services.issue_certificate(enrolment.pk, kind=ATTENDANCE).kind == ATTENDANCE
    assert Certificate.objects.count() == 2

    fields = services.snapshot(Enrolment.objects.get(pk=enrolment.pk), ATTENDANCE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(code=new_code(), kind=ATTENDANCE, **fields)


def test_a_learner_completed_without_attendance_gets_no_attendance_certificate(setting):
    """Completed at once by an organiser (no attendance recorded): completion only."""
    enrolment = enrolled(learner("Amina"), setting["session"])
    ended(setting["session"])
    mark(enrolment.pk, "completed", actor=None)
    services.issue_certificate(enrolment.pk, render_pdf=False)
    assert issue_attendance_certificates() == 0
    assert certificates_of(enrolment) == [COMPLETION]
    with pytest.raises(services.CertificateError) as refused:
        services.issue_certificate(enrolment.pk, kind=ATTENDANCE)
    assert refused.value.code == "not_attended"


def test_sessions_ended_more_than_thirty_days_ago_are_left_alone(setting):
    """The beat task looks back thirty days; older sessions are not searched again."""
    old = factories.session(setting["course"], starts_in=timedelta(days=2))
    enrolment = enrolled(learner("Amina"), old)
    ended(old, days_ago=31)
    record(enrolment.pk, old.meetings.get().pk, True, actor=None)
    assert issue_attendance_certificates() == 0
    assert issue_attendance_certificates(now=old.ends_at + timedelta(days=1)) == 1


def test_reissuing_keeps_the_kind_and_leaves_the_other_certificate(bootcamp, admin_user):
    """Re-issuing a certificate of attendance revokes it for a new one of attendance; the
    certificate of completion stays as it was."""
    enrolment = attend(learner("Amina"), bootcamp)
    mark(enrolment.pk, "completed", actor=None)
    completion = services.issue_certificate(enrolment.pk, kind=COMPLETION)
    attendance = services.issue_certificate(enrolment.pk, kind=ATTENDANCE)
    new = services.reissue(attendance, actor=admin_user)
    attendance.refresh_from_db()
    completion.refresh_from_db()
    assert new.kind == ATTENDANCE and attendance.replaced_by == new and attendance.is_revoked
    assert completion.is_valid and completion.replaced_by is None
    assert sorted(Certificate.objects.valid().values_list("kind", flat=True)) == [
        ATTENDANCE,
        COMPLETION,
    ]


def test_the_catch_up_gives_a_completion_certificate_beside_an_attendance_one(bootcamp):
    """A completed enrolment holding only its certificate of attendance still gets the
    certificate of completion the broker missed."""
    enrolment = attend(learner("Amina"), bootcamp)
    services.issue_certificate(enrolment.pk, kind=ATTENDANCE)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=EnrolmentStatus.COMPLETED, updated_at=timezone.now() - timedelta(minutes=10)
    )
    assert issue_missing_certificates.apply().get() == 1
    assert certificates_of(enrolment) == [ATTENDANCE, COMPLETION]
    assert issue_missing_certificates.apply().get() == 0


def test_each_certificate_is_announced_once(bootcamp):
    """One "your certificate is ready" email per certificate issued, however often the tasks
    and the outbox's dispatcher run."""
    enrolment = attend(learner("Amina"), bootcamp)
    mark(enrolment.pk, "completed", actor=None)
    Notification.objects.update(sent_at=timezone.now())  # the enrolment's own emails
    for _run in range(2):
        services.issue_certificate(enrolment.pk, render_pdf=False)
        issue_attendance_certificates()
    assert dispatch_pending(grace_seconds=0) == 2  # the emails owed, sent
    assert dispatch_pending(grace_seconds=0) == 0
    codes = sorted(Certificate.objects.values_list("code", flat=True))
    assert len(codes) == 2 and len(mail.outbox) == 2
    assert (
        sorted(
            next(code for code in codes if f"/certificates/{code}/pdf/" in message.body)
            for message in mail.outbox
        )
        == codes
    )
    notifications = Notification.objects.filter(kind=NotificationKind.CERTIFICATE_READY)
    assert sorted(n.data["certificate"] for n in notifications) == sorted(
        Certificate.objects.values_list("pk", flat=True)
    )


def test_a_certificate_revoked_before_its_email_goes_out_is_not_announced(setting, admin_user):
    """The email still owed for a certificate revoked meanwhile is not sent."""
    enrolment = complete(learner("Amina"), setting["session"])  # the email left pending
    certificate = Certificate.objects.get(enrolment=enrolment)
    services.revoke(certificate, actor=admin_user, reason="Issued in error")
    notification = Notification.objects.get(kind=NotificationKind.CERTIFICATE_READY)
    assert send_notification(notification.pk) == "obsolete"
    assert mail.outbox == []
