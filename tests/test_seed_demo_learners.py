"""`seed_demo`'s learners and their enrolments: verified accounts, every status, seats kept.

The tests read one seed with enough learners for full sessions with waiting lists, made once
for the module (see `tests.seeding`); those that seed again do so in their own savepoint.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models import Session
from enrolments.models import Enrolment, EnrolmentStatus, Notification
from enrolments.states import HOLDS_SEAT
from institutes.regions import Region
from learners.models import LearnerAudience, Profile
from tests.seeding import PASSWORDS, seed, seeded_once

pytestmark = pytest.mark.django_db

# Enough learners for a full session with a waiting list (the smallest sessions seat 12).
WITH_ENROLMENTS = ["--courses", "24", "--sessions-per-course", "3", "--learners", "40"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """`seed_demo` with 24 courses and 40 learners, once for the module: its output."""
    media = tmp_path_factory.mktemp("media")
    with seeded_once(django_db_blocker, media, *WITH_ENROLMENTS, *PASSWORDS) as output:
        yield output


def _enrolment_rows():
    return sorted(
        Enrolment.objects.values_list(
            "session_id", "learner_id", "status", "queued_at", "confirmed_at", "cancelled_at"
        )
    )


def _seat_figures():
    """Per session: (capacity, seats held, waiting, cached confirmed, cached waiting)."""
    return Session.objects.annotate(
        held=Count("enrolments", filter=Q(enrolments__status__in=HOLDS_SEAT)),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
    ).values_list("pk", "capacity", "held", "waiting", "confirmed_count", "waitlist_count")


def test_learners_are_verified_with_complete_profiles_and_log_in_by_email(seeded, client):
    """Each demo learner has a verified primary address, a complete profile, and logs in by
    email through allauth's log-in page."""
    learners = get_user_model().objects.filter(username__startswith="learner")
    assert learners.count() == 40
    now = timezone.now()
    for learner in learners.select_related("profile"):
        address = EmailAddress.objects.get(user=learner)
        assert (address.email, address.verified, address.primary) == (learner.email, True, True)
        profile = learner.profile
        assert profile.is_complete
        assert profile.full_name == f"{learner.first_name} {learner.last_name}"
        assert profile.region in Region.values
        assert profile.audience in LearnerAudience.values
        assert profile.organisation
        assert profile.preferred_language in ("fr", "ar", "en")
        assert profile.privacy_accepted_at <= now
    languages = set(learners.values_list("profile__preferred_language", flat=True))
    assert languages == {"fr", "ar", "en"}

    cache.clear()  # allauth's log-in rate limit counts every attempt from 127.0.0.1
    for number in (1, 40):
        email = f"learner{number}@example.com"
        response = client.post("/accounts/login/", {"login": email, "password": "y"})
        assert response.status_code == 302, response.content[:500]
        assert client.session["_auth_user_id"] == str(learners.get(email=email).pk)
        client.logout()


def test_demo_enrolments_have_every_status_without_emailing_anyone(seeded):
    """Confirmed and waitlisted in upcoming sessions (a full one with three or more in line),
    confirmed in the session under way, cancelled, and attended, completed, no-show in past
    sessions; no email goes out."""
    now = timezone.now()
    enrolments = Enrolment.objects.select_related("session")
    assert set(enrolments.values_list("status", flat=True)) == set(EnrolmentStatus)
    for enrolment in enrolments:
        upcoming = enrolment.session.starts_at > now
        under_way = enrolment.session.starts_at <= now < enrolment.session.ends_at
        if enrolment.status == "confirmed":
            assert upcoming or under_way, enrolment
        if enrolment.status == "waitlisted":
            assert upcoming, enrolment
        if enrolment.status in ("attended", "completed", "no_show"):
            assert not upcoming, enrolment
    # A learner still on a waiting list was never seated (the programme's waiting-list demand).
    assert not enrolments.filter(status="waitlisted", confirmed_at__isnull=False).exists()
    full = [row for row in _seat_figures() if row[2] == row[1] and row[3] >= 3]
    assert full, "no full session with a waiting list of three or more"

    # Upcoming enrolments went through the services: audit entries, owed emails, a promotion.
    for action in ("confirmed", "waitlisted", "cancelled", "promoted"):
        assert ModelLogEntry.objects.filter(action=f"jazari.enrolment.{action}").exists(), action
    assert Notification.objects.filter(kind="promoted").exists()
    # …but the demo's emails are stamped sent, without an attempt, and nothing was mailed.
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert not Notification.objects.exclude(attempts=0).exists()
    assert mail.outbox == []


def test_demo_sessions_are_never_overbooked_and_counts_match(seeded):
    """Seats held never exceed capacity, the display counts are the enrolments' counts, and
    each waiting list is in arrival order, positions 1 to n."""
    # More learners on a rerun adds enrolments next to the existing ones, still within seats.
    seed("--courses", "24", "--sessions-per-course", "3", "--learners", "80")
    figures = list(_seat_figures())
    assert any(held for _pk, _capacity, held, *_rest in figures)
    for pk, capacity, held, waiting, confirmed_count, waitlist_count in figures:
        assert held <= capacity, pk
        assert (confirmed_count, waitlist_count) == (held, waiting), pk
        line = list(Enrolment.objects.filter(session_id=pk).waitlisted())
        assert [e.waitlist_position() for e in line] == list(range(1, len(line) + 1))
        assert [e.pk for e in line] == sorted(e.pk for e in line)


def test_rerun_creates_no_enrolment_account_or_email(seeded):
    """A second run on the same day leaves enrolments, addresses, profiles, notifications and
    audit entries as they were."""

    def state():
        return (
            _enrolment_rows(),
            sorted(_seat_figures()),
            EmailAddress.objects.count(),
            sorted(Profile.objects.values_list("user_id", "full_name", "privacy_accepted_at")),
            Notification.objects.count(),
            ModelLogEntry.objects.count(),
        )

    first = state()
    assert first[0]
    seed(*WITH_ENROLMENTS, *PASSWORDS)
    assert state() == first
