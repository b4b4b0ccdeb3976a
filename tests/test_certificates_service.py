"""Issuing, revoking and re-issuing certificates through `certificates.services` and the tasks."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates import services
from certificates.codes import ALPHABET, new_code, normalise
from certificates.models import Certificate, CertificateKind
from certificates.tasks import issue_certificate_task, issue_missing_certificates
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services.attendance import mark
from enrolments.services.enrolment import enrol
from tests import factories
from tests.certificates_helpers import complete, course_with_skills, ended


@pytest.fixture
def setting(tree):
    return course_with_skills(tree)


@pytest.fixture
def amina():
    return factories.learner("amina@example.com", full_name="Amina Benali")


def test_codes_are_short_unambiguous_and_typed_back():
    """`JZ-XXXX-XXXX-XXXX` from an alphabet without 0/O, 1/I/L or U; typing is forgiven."""
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    pattern = re.compile(rf"^JZ-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")
    assert all(pattern.match(code) for code in codes)
    assert not set("01ILOU") & set(ALPHABET)
    code = next(iter(codes))
    assert normalise(code.lower().replace("-", " ")) == code
    assert normalise(code.replace("-", "")) == code
    assert normalise("JZ-0000-0000-0000") is None
    assert normalise("hello") is None
    assert normalise("") is None


def test_completing_an_enrolment_issues_one_certificate_with_a_snapshot(setting, amina):
    """Marked completed: one valid certificate of completion copying name, course, dates,
    meetings, hours, signatory and skills; its credential signed; the email owed."""
    fes = setting["fes"]
    fes.signatory_name, fes.signatory_role = "Dr Salma Bennani", "Directrice"
    fes.save()
    enrolment = complete(amina, setting["session"], render_pdf=True)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.is_valid and certificate.kind == CertificateKind.COMPLETION
    assert certificate.holder_name == "Amina Benali"
    assert certificate.course_title == "Introduction au machine learning"
    assert certificate.institute_name == "Jazari Institute Fès"
    # Completed at once, without attendance recorded: the session's one meeting, 11:00-17:00.
    [meeting] = setting["session"].meetings.all()
    assert certificate.meetings == [
        {
            "starts_at": meeting.starts_at.isoformat().replace("+00:00", "Z"),
            "ends_at": meeting.ends_at.isoformat().replace("+00:00", "Z"),
        }
    ]
    assert (certificate.minutes, certificate.hours) == (360, 6.0)
    assert (certificate.signatory_name, certificate.signatory_role) == (
        "Dr Salma Bennani",
        "Directrice",
    )
    assert certificate.credential.count(".") == 2 and certificate.status_list == 1
    assert certificate.language == "fr"
    starts = timezone.localtime(setting["session"].starts_at).date()
    assert (certificate.starts_on, certificate.ends_on) == (
        starts,
        timezone.localtime(setting["session"].ends_at).date(),
    )
    assert [(s["name"], s["level"], s["level_label"]) for s in certificate.skills] == [
        ("Apprentissage supervisé", 3, "Intermédiaire"),
        ("Programmation Python", 2, "Fondamentaux"),
    ]
    assert certificate.skills[0]["esco_uri"].startswith("http://data.europa.eu/esco/skill/")
    assert certificate.identity_hash.startswith("sha256$") and certificate.identity_salt
    assert certificate.pdf.name.startswith(f"certificates/{certificate.code}-")
    entry = ModelLogEntry.objects.get(action="jazari.certificate.issued")
    assert entry.object_id == str(enrolment.pk)
    assert entry.data == {"code": certificate.code, "kind": "completion"}
    [email] = mail.outbox
    assert email.subject.endswith("Introduction au machine learning")
    assert f"/certificates/{certificate.code}/pdf/" in email.body


def test_the_task_run_twice_issues_once(setting, amina):
    """The task is safe to run again: the same certificate, the same PDF."""
    enrolment = complete(amina, setting["session"], render_pdf=True)
    first = Certificate.objects.get(enrolment=enrolment)
    assert issue_certificate_task.apply(args=[enrolment.pk]).get() == first.code
    assert issue_certificate_task.apply(args=[enrolment.pk]).get() == first.code
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert Certificate.objects.get().pdf.name == first.pdf.name


def test_only_completion_queues_a_certificate(setting, amina, django_capture_on_commit_callbacks):
    """Attended or no-show: no certificate; the task refuses an enrolment not completed."""
    enrolment = enrol(amina, setting["session"].pk).enrolment
    after = setting["session"].ends_at + timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mark(enrolment.pk, "attended", actor=None, now=after)
    assert callbacks == []
    assert issue_certificate_task.apply(args=[enrolment.pk]).get() is None
    assert not Certificate.objects.exists()
    with pytest.raises(services.CertificateError) as refused:
        services.issue_certificate(enrolment.pk)
    assert refused.value.code == "not_completed"


def test_revoke_needs_a_reason_and_happens_once(setting, amina, admin_user):
    """Revoking says why, records who, and refuses to revoke twice."""
    certificate = Certificate.objects.get(enrolment=complete(amina, setting["session"]))
    with pytest.raises(services.CertificateError) as refused:
        services.revoke(certificate, actor=admin_user, reason="  ")
    assert refused.value.code == "reason_required"
    services.revoke(certificate, actor=admin_user, reason="Attendance recorded in error")
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == admin_user
    assert certificate.revoked_reason == "Attendance recorded in error"
    with pytest.raises(services.CertificateError) as again:
        services.revoke(certificate, actor=admin_user, reason="Twice")
    assert again.value.code == "already_revoked"
    assert Certificate.objects.valid().count() == 0
    # The task doesn't bring back a revoked certificate: it issues a new one only on request.
    assert issue_missing_certificates.apply(kwargs={"limit": 10}).get() == 0


def test_reissue_revokes_and_links_to_a_new_certificate(
    setting, amina, admin_user, django_capture_on_commit_callbacks
):
    """Re-issuing: new code, today's name, the old one revoked and pointing to the new one."""
    enrolment = complete(amina, setting["session"])
    old = Certificate.objects.get(enrolment=enrolment)
    amina.profile.full_name = "Amina Benali El Idrissi"
    amina.profile.save()
    with django_capture_on_commit_callbacks(execute=True):  # the new PDF, rendered after commit
        new = services.reissue(old, actor=admin_user)
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.code != old.code and new.is_valid and new.pdf
    assert new.holder_name == "Amina Benali El Idrissi"
    assert old.is_revoked and old.replaced_by == new
    assert Certificate.objects.valid().get(enrolment=enrolment) == new
    with pytest.raises(services.CertificateError) as refused:
        services.reissue(old, actor=admin_user)
    assert refused.value.code == "already_replaced"
    # A revoked certificate can be re-issued too, once.
    services.revoke(new, actor=admin_user, reason="Wrong course")
    newest = services.reissue(new, actor=admin_user)
    assert newest.is_valid and Certificate.objects.valid().get() == newest
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(enrolment.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "jazari.certificate.issued",
        "jazari.certificate.reissued",
        "jazari.certificate.revoked",
        "jazari.certificate.reissued",
    ]


def test_the_catch_up_issues_what_the_broker_missed(setting, amina):
    """A completion whose task never ran gets its certificate from the periodic catch-up."""
    enrolment = enrol(amina, setting["session"].pk).enrolment
    ended(setting["session"])
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=EnrolmentStatus.COMPLETED, updated_at=timezone.now() - timedelta(minutes=10)
    )
    assert issue_missing_certificates.apply().get() == 1
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.pdf
    assert issue_missing_certificates.apply().get() == 0


def test_the_unique_constraint_backs_up_the_lock(setting, amina):
    """Even without the lock, the database refuses a second valid certificate."""
    from django.db import IntegrityError, transaction

    enrolment = complete(amina, setting["session"])
    certificate = Certificate.objects.get(enrolment=enrolment)
    fields = services.snapshot(Enrolment.objects.get(pk=enrolment.pk))
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(code=new_code(), **fields)
    assert Certificate.objects.valid().get() == certificate


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_tasks_issue_exactly_one_certificate():
    """Two workers issuing the same enrolment at the same moment: one certificate."""
    tree = factories.site_tree()
    setting = course_with_skills(tree)
    learner = factories.learner("race@example.com", full_name="Race Condition")
    enrolment = enrol(learner, setting["session"].pk).enrolment
    ended(setting["session"])
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.COMPLETED)

    threads, start, codes, errors = 8, threading.Barrier(8), [], []

    def worker():
        try:
            start.wait()
            codes.append(services.issue_certificate(enrolment.pk, render_pdf=False).code)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    assert errors == []
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert set(codes) == {Certificate.objects.get().code}
    assert ModelLogEntry.objects.filter(action="jazari.certificate.issued").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_marking_completed_commits_then_the_task_issues_once():
    """Through `mark` (committed, so the task runs after commit), then the task again."""
    tree = factories.site_tree()
    setting = course_with_skills(tree)
    learner = factories.learner("commit@example.com", full_name="Sara Commit")
    enrolment = complete(learner, setting["session"])
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.pdf
    issue_certificate_task.apply(args=[enrolment.pk])
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
