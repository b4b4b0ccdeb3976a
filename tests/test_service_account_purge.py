"""The daily purge (`learners.purge`): unverified accounts after 7 days, inactive accounts after
a warning, never staff; the command and the beat task; safe to run twice. Dates are real: the
accounts' `date_joined` and `last_login` are set in the past."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate
from enrolments.models import Enrolment
from learners.models import Profile
from learners.purge import purge_accounts
from learners.tasks import purge_accounts as purge_task
from tests import factories
from tests.certificates_helpers import complete, course_with_skills

User = get_user_model()
DAY = timedelta(days=1)


def aged(user, *, joined=None, logged_in=None):
    """Set the account's sign-up and last log-in so many days ago."""
    now = timezone.now()
    fields = {}
    if joined is not None:
        fields["date_joined"] = now - joined * DAY
    if logged_in is not None:
        fields["last_login"] = now - logged_in * DAY
    User.objects.filter(pk=user.pk).update(**fields)
    user.refresh_from_db()
    return user


def exists(user):
    return User.objects.filter(pk=user.pk, is_active=True).exists()


def test_unverified_accounts_older_than_seven_days_are_deleted(db):
    """Eight days unconfirmed: deleted outright (no history); six days, confirmed, or staff:
    kept. Running again changes nothing."""
    old = aged(factories.learner("old@example.com", verified=False), joined=8, logged_in=8)
    young = aged(factories.learner("young@example.com", verified=False), joined=6)
    confirmed = aged(factories.learner("ok@example.com"), joined=30, logged_in=30)
    staff = factories.learner("staff@example.com", verified=False)
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    aged(staff, joined=100)

    report = purge_accounts()
    assert report.unverified_deleted == [old.pk]
    assert not User.objects.filter(pk=old.pk).exists()
    assert not Profile.objects.filter(user_id=old.pk).exists()
    assert all(exists(user) for user in (young, confirmed, staff))
    assert mail.outbox == []  # no one to tell: the address was never confirmed

    again = purge_accounts()
    assert again.unverified_deleted == again.warned == again.inactive_deleted == []


@pytest.fixture
def graduate(tree):
    """A learner who completed a session (certificate) and has not logged in since."""
    network = course_with_skills(tree)
    learner = factories.learner("graduate@example.com", full_name="Yasmine Alaoui")
    complete(learner, network["session"])
    return learner


def test_inactive_accounts_are_warned_then_deleted_with_their_history_kept(
    graduate, django_capture_on_commit_callbacks
):
    """Idle past the limit minus 30 days: one warning email, once. Thirty days after it, the
    account is deleted; its enrolment stays, anonymised, and its certificate stays valid."""
    limit = settings.ACCOUNT_PURGE_INACTIVE_DAYS
    assert (limit, settings.ACCOUNT_PURGE_WARNING_DAYS) == (3 * 365, 30)
    recent = aged(factories.learner("recent@example.com"), joined=900, logged_in=limit - 31)
    aged(graduate, joined=1200, logged_in=limit - 10)

    report = purge_accounts()
    assert report.warned == [graduate.pk] and report.inactive_deleted == []
    [warning] = mail.outbox
    assert warning.to == ["graduate@example.com"]
    assert warning.subject == "[Jazari Skills] Votre compte va être supprimé"  # her language
    assert "/accounts/login/" in warning.body
    assert purge_accounts().warned == []  # warned once
    assert len(mail.outbox) == 1 and exists(graduate) and exists(recent)

    # Thirty days later (the warning and the last log-in thirty days further back).
    profile = Profile.objects.get(user=graduate)
    Profile.objects.filter(pk=profile.pk).update(purge_warned_at=profile.purge_warned_at - 30 * DAY)
    aged(graduate, logged_in=limit + 20)
    enrolments = Enrolment.objects.filter(learner=graduate).count()
    with django_capture_on_commit_callbacks(execute=True):  # as if it had committed
        report = purge_accounts()
    assert report.inactive_deleted == [graduate.pk]
    placeholder = User.objects.get(pk=graduate.pk)
    assert not placeholder.is_active and placeholder.email.endswith("@invalid")
    assert Enrolment.objects.filter(learner=placeholder).count() == enrolments == 1
    certificate = Certificate.objects.get(enrolment__learner=placeholder)
    assert certificate.is_valid and certificate.holder_name == "Yasmine Alaoui"
    assert [m.to for m in mail.outbox[1:]] == [["graduate@example.com"]]  # told it is done
    assert exists(recent)

    again = purge_accounts()
    assert again.inactive_deleted == again.warned == again.unverified_deleted == []


def test_logging_in_after_the_warning_keeps_the_account(graduate):
    """A warned learner who logs in again is not deleted; idle again, they are warned again."""
    limit = settings.ACCOUNT_PURGE_INACTIVE_DAYS
    aged(graduate, logged_in=limit - 5)
    assert purge_accounts().warned == [graduate.pk]
    profile = Profile.objects.get(user=graduate)
    Profile.objects.filter(pk=profile.pk).update(purge_warned_at=timezone.now() - 40 * DAY)
    aged(graduate, logged_in=1)  # came back after the warning

    report = purge_accounts()
    assert report.inactive_deleted == [] and report.warned == []
    assert exists(graduate)
    # Idle again long after that visit: a new warning.
    aged(graduate, logged_in=limit - 1)
    Profile.objects.filter(pk=profile.pk).update(
        purge_warned_at=timezone.now() - (limit + 39) * DAY
    )
    assert purge_accounts().warned == [graduate.pk]


def test_inactive_staff_are_never_purged_and_zero_turns_it_off(db, settings):
    staff = aged(factories.learner("editor@example.com"), logged_in=5000)
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    idle = aged(factories.learner("idle@example.com"), logged_in=5000)
    settings.ACCOUNT_PURGE_INACTIVE_DAYS = 0
    assert purge_accounts().warned == []
    settings.ACCOUNT_PURGE_INACTIVE_DAYS = 3 * 365
    assert purge_accounts().warned == [idle.pk]
    assert [m.to for m in mail.outbox] == [["idle@example.com"]]


def test_the_command_and_the_beat_task_run_the_purge(db):
    """`manage.py purge_accounts` says what it did; the task, scheduled daily, returns counts."""
    aged(factories.learner("a@example.com", verified=False), joined=10)
    aged(factories.learner("b@example.com", verified=False), joined=10)
    out = StringIO()
    call_command("purge_accounts", stdout=out)
    assert out.getvalue().startswith("2 unverified account(s) deleted, 0 inactive")
    aged(factories.learner("c@example.com", verified=False), joined=10)
    assert purge_task.delay().get() == {"unverified_deleted": 1, "inactive_deleted": 0, "warned": 0}
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-accounts"]
    assert schedule["task"] == purge_task.name == "learners.purge_accounts"
    assert schedule["schedule"] == 86400.0
