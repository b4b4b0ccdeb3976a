"""A learner's personal data: the export (dashboard download and `GET /api/v1/me/export/`) and
account deletion from the dashboard, through the emailed signed link."""

import json
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.cache import cache
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from enrolments.models import Enrolment, EnrolmentStatus, Notification
from enrolments.services.enrolment import enrol
from enrolments.states import HOLDS_SEAT
from learners import erasure
from learners.models import Profile
from paths.models import PathFollow
from tests import factories
from tests.api_client import InProcessApi
from tests.certificates_helpers import complete, course_with_skills

PASSWORD = "pw"  # factories.learner's


@pytest.fixture(autouse=True)
def _english_and_fresh_cache():
    cache.clear()
    translation.activate("en")
    yield
    cache.clear()


@pytest.fixture
def world(tree):
    """Amina and Bilal completed a session (certificates); Amina holds the only seat of an
    upcoming session, Chaima waits for it; Amina follows a path."""
    network = course_with_skills(tree)
    done = network["session"]
    amina = factories.learner(
        "amina@example.com",
        full_name="Amina Benali",
        region="fes-meknes",
        audience="student",
        organisation="Université de Fès",
    )
    bilal = factories.learner("bilal@example.com", full_name="Bilal Tazi", region="oriental")
    chaima = factories.learner("chaima@example.com", full_name="Chaima Idrissi")
    complete(amina, done)
    complete(bilal, done)
    upcoming = factories.session(network["course"], starts_in=timedelta(days=20), capacity=1)
    enrol(amina, upcoming.pk)
    enrol(chaima, upcoming.pk)
    path = factories.learning_path(tree, "Data analyst", [network["course"]])
    PathFollow.objects.create(learner=amina, path=path)
    PathFollow.objects.create(learner=bilal, path=path)
    return {
        "amina": amina,
        "bilal": bilal,
        "chaima": chaima,
        "done": done,
        "upcoming": upcoming,
        "path": path,
    }


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def figures():
    """What the programme counts: enrolments by session and status, seats taken per session,
    and learners by region and audience among the enrolled."""
    by_status = {
        (row["session_id"], row["status"]): row["n"]
        for row in Enrolment.objects.values("session_id", "status").annotate(n=Count("pk"))
    }
    seats = {
        row["session_id"]: row["n"]
        for row in Enrolment.objects.filter(status__in=HOLDS_SEAT)
        .values("session_id")
        .annotate(n=Count("pk"))
    }
    by_profile = {
        (row["learner__profile__region"], row["learner__profile__audience"]): row["n"]
        for row in Enrolment.objects.values(
            "learner__profile__region", "learner__profile__audience"
        ).annotate(n=Count("pk"))
    }
    return by_status, seats, by_profile, Enrolment.objects.count()


# Export


def test_the_export_holds_the_learners_data_and_nothing_of_another_learner(world, client):
    """The dashboard's download is a JSON attachment with Amina's account, profile, consent,
    addresses, enrolments (tickets, attendance), certificates, paths and emails, and nothing of
    Bilal or Chaima."""
    amina = world["amina"]
    client.force_login(amina)
    response = client.get(reverse("learners:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)

    assert data["account"]["email"] == "amina@example.com"
    assert data["profile"]["full_name"] == "Amina Benali"
    assert data["profile"]["organisation"] == "Université de Fès"
    assert data["profile"]["calendar_feed_token"] == amina.profile.calendar_token
    assert [c["consent"] for c in data["consents"]] == ["privacy_notice"]
    assert data["consents"][0]["given_at"]
    assert data["email_addresses"] == [
        {"email": "amina@example.com", "verified": True, "primary": True}
    ]
    mine = set(Enrolment.objects.filter(learner=amina).values_list("pk", flat=True))
    assert {e["id"] for e in data["enrolments"]} == mine
    statuses = {e["session"]["id"]: e["status"] for e in data["enrolments"]}
    assert statuses == {world["done"].pk: "completed", world["upcoming"].pk: "confirmed"}
    by_session = {e["session"]["id"]: e for e in data["enrolments"]}
    done = by_session[world["done"].pk]
    assert done["ticket"] == Enrolment.objects.get(pk=done["id"]).ticket
    assert [(a["present"], bool(a["meeting_starts_at"])) for a in done["attendance"]] == [
        (True, True)
    ]
    assert by_session[world["upcoming"].pk]["attendance"] == []
    [certificate] = data["certificates"]
    assert certificate["code"] == Certificate.objects.get(enrolment__learner=amina).code
    assert certificate["status"] == "valid"
    assert certificate["holder_name"] == "Amina Benali"
    assert [f["path"] for f in data["path_follows"]] == ["Data analyst"]
    assert {n["enrolment_id"] for n in data["notifications"]} <= mine
    assert data["notifications"]

    text = response.content.decode()
    for other in (world["bilal"], world["chaima"]):
        assert other.email not in text
        assert other.profile.full_name not in text
        assert other.profile.calendar_token not in text
    for code in Certificate.objects.exclude(enrolment__learner=amina).values_list(
        "code", flat=True
    ):
        assert code not in text


def test_the_export_needs_a_signed_in_learner(world, client):
    response = client.get(reverse("learners:export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_api_export_is_the_same_document_for_the_token_holder(world, client):
    """`GET /api/v1/me/export/` answers the caller's own data; without a token, 401."""
    api = InProcessApi()
    assert api.get("me/export/").status_code == 401
    client.force_login(world["bilal"])  # before: logging in stamps `last_login`
    token = api.token("bilal@example.com")
    response = api.get("me/export/", token=token)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["account"]["email"] == "bilal@example.com"
    assert "amina" not in response.text.lower()
    download = json.loads(client.get(reverse("learners:export")).content)
    for key in ("account", "profile", "consents", "email_addresses", "enrolments", "certificates"):
        assert data[key] == download[key], key


# Deletion


def link_of(message):
    match = re.search(r"https?://[^/\s]+(/\S*account/delete/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def ask_deletion(client, user, *, keep):
    client.force_login(user)
    response = client.post(
        reverse("learners:delete_account"),
        {"keep_certificates": "yes" if keep else "no", "password": PASSWORD},
    )
    assert response.status_code == 200, response.content
    [message] = mail.outbox
    assert message.to == [user.email]
    mail.outbox.clear()
    return link_of(message)


def test_the_deletion_page_explains_and_wants_the_password(world, client):
    """The page says what happens and asks the certificate choice and the password; a wrong
    password is a 400 that sends nothing."""
    client.force_login(world["amina"])
    response = client.get(reverse("learners:delete_account"))
    assert response.status_code == 200
    form = page(response).select_one("main form.account-form")
    assert {i["name"] for i in form.select("input") if i.get("name")} >= {
        "keep_certificates",
        "password",
    }
    assert "waiting list" in page(response).get_text()
    refused = client.post(
        reverse("learners:delete_account"), {"keep_certificates": "no", "password": "wrong"}
    )
    assert refused.status_code == 400
    assert "This is not your password." in refused.content.decode()
    assert mail.outbox == []
    assert get_user_model().objects.get(pk=world["amina"].pk).is_active


def test_deleting_an_account_erases_it_and_keeps_the_figures(
    world, client, django_capture_on_commit_callbacks
):
    """Followed and confirmed, the link erases Amina's data; the enrolments stay anonymised,
    so the programme's figures are unchanged; her upcoming seat goes to Chaima."""
    amina, upcoming = world["amina"], world["upcoming"]
    api = InProcessApi()
    token = api.token("amina@example.com")
    before = figures()
    # Audit entries name enrolments by number and session, not by the learner's address.
    labels = list(ModelLogEntry.objects.values_list("label", flat=True))
    assert labels and not [label for label in labels if "@" in label]
    other_device = Client()
    other_device.force_login(amina)
    path = ask_deletion(client, amina, keep=False)
    assert Profile.objects.get(user=amina).erased_at is None  # nothing until the link

    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    assert "amina@example.com" in confirm_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # as if it had committed
        response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("learners:account_deleted")

    # Figures: the same counts, except Amina's upcoming seat, now Chaima's.
    by_status, seats, by_profile, total = figures()
    assert total == before[3]
    assert seats == before[1]
    done_before = {k: v for k, v in before[0].items() if k[0] == world["done"].pk}
    assert {k: v for k, v in by_status.items() if k[0] == world["done"].pk} == done_before
    assert by_status[(upcoming.pk, EnrolmentStatus.CANCELLED)] == 1
    assert by_status[(upcoming.pk, EnrolmentStatus.CONFIRMED)] == 1
    assert Enrolment.objects.get(session=upcoming, learner=world["chaima"]).status == "confirmed"
    assert by_profile[("fes-meknes", "student")] == before[2][("fes-meknes", "student")]

    # Personal data gone.
    placeholder = get_user_model().objects.get(pk=amina.pk)
    assert placeholder.email.startswith("deleted-") and placeholder.email.endswith("@invalid")
    assert not placeholder.is_active and not placeholder.has_usable_password()
    assert (placeholder.first_name, placeholder.last_name) == ("", "")
    profile = placeholder.profile
    assert (profile.full_name, profile.organisation, profile.privacy_accepted_at) == ("", "", None)
    assert profile.calendar_token != amina.profile.calendar_token
    assert not EmailAddress.objects.filter(user=amina).exists()
    assert not PathFollow.objects.filter(learner=amina).exists()
    assert not Notification.objects.filter(user=amina).exists()
    certificate = Certificate.objects.get(enrolment__learner=amina)
    assert certificate.is_revoked and certificate.revoked_reason == "compte supprimé"
    assert (certificate.holder_name, certificate.identity_hash) == ("", "")
    bilal_certificate = Certificate.objects.get(enrolment__learner=world["bilal"])
    assert bilal_certificate.is_valid and bilal_certificate.holder_name == "Bilal Tazi"
    for entry in ModelLogEntry.objects.all():
        assert "amina" not in (entry.label + json.dumps(entry.data)).lower(), entry.label
    assert ModelLogEntry.objects.filter(action="jazari.account.deleted").count() == 1
    # No email about the cancelled enrolment: the old address is only told it is done; Chaima
    # is told she has the seat.
    to_amina = [m for m in mail.outbox if m.to == ["amina@example.com"]]
    # In her language, French (the link too has no language prefix).
    assert [m.subject for m in to_amina] == ["[Jazari Skills] Votre compte est supprimé"]
    assert [m.to for m in mail.outbox if m not in to_amina] == [["chaima@example.com"]]

    # Logged out everywhere, no way back in, no export.
    assert client.get(reverse("learners:export")).status_code == 302
    assert other_device.get(reverse("learners:export")).status_code == 302
    assert api.get("me/export/", token=token).status_code == 401
    assert not client.login(username="amina@example.com", password=PASSWORD)

    # The link is used: a clear 400, on GET and POST alike.
    for again in (client.get(path), client.post(path)):
        assert again.status_code == 400
        alert = page(again).select_one("main .alert[data-code='used']")
        assert "déjà supprimé" in alert.get_text()

    # The address is free: the learner may sign up again.
    signup = client.post(
        reverse("account_signup"),
        {
            "email": "amina@example.com",
            "password1": "Un-mot-de-passe-solide-2026",
            "password2": "Un-mot-de-passe-solide-2026",
            "full_name": "Amina Benali",
            "preferred_language": "fr",
            "accept_privacy": "on",
        },
    )
    assert signup.status_code == 302, page(signup).select(".field__error")
    assert get_user_model().objects.filter(email="amina@example.com").exclude(pk=amina.pk)


def test_certificates_kept_verifiable_keep_the_holders_name(world, client):
    """With "keep my certificates verifiable", the certificate stays valid with the name."""
    path = ask_deletion(client, world["amina"], keep=True)
    assert client.post(path).status_code == 302
    certificate = Certificate.objects.get(enrolment__learner=world["amina"])
    assert certificate.is_valid and certificate.holder_name == "Amina Benali"
    verify = client.get(reverse("certificates:verify", args=[certificate.code]))
    assert verify.status_code == 200 and "Amina Benali" in verify.content.decode()


class OldSigner(signing.TimestampSigner):
    """Signs as if it were 25 hours ago: a link sent yesterday."""

    def timestamp(self):
        return signing.b62_encode(int(signing.time.time()) - 25 * 3600)


def test_an_expired_a_tampered_or_a_stale_link_is_a_clear_400(world, client):
    amina = world["amina"]
    token = erasure.deletion_token(amina, keep_certificates=False)
    payload = signing.loads(token, salt=erasure.TOKEN_SALT)
    expired = OldSigner(salt=erasure.TOKEN_SALT).sign_object(payload, compress=True)
    cases = {
        "expired": reverse("learners:delete_confirm", args=[expired]),
        "bad": reverse("learners:delete_confirm", args=[token[:-3] + "abc"]),
    }
    for code, path in cases.items():
        for response in (client.get(path), client.post(path)):
            assert response.status_code == 400, code
            assert page(response).select_one(f"main .alert[data-code='{code}']"), code
    # A password changed since the request voids the link.
    amina.set_password("another-password")
    amina.save()
    response = client.post(reverse("learners:delete_confirm", args=[token]))
    assert response.status_code == 400
    assert page(response).select_one("main .alert[data-code='stale']")
    assert get_user_model().objects.get(pk=amina.pk).is_active


def test_staff_accounts_are_not_deleted_from_the_dashboard(world, client):
    staff = factories.learner("editor@example.com")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    response = client.get(reverse("learners:delete_account"))
    assert response.status_code == 302 and response["Location"] == reverse("learners:dashboard")
    token = erasure.deletion_token(staff, keep_certificates=True)
    refused = client.post(reverse("learners:delete_confirm", args=[token]))
    assert refused.status_code == 400
    assert get_user_model().objects.get(pk=staff.pk).is_active


def test_the_dashboard_links_to_the_export_and_the_deletion(world, client):
    client.force_login(world["amina"])
    soup = page(client.get(reverse("learners:dashboard")))
    assert soup.select_one(f"main a[href='{reverse('learners:export')}']")
    assert soup.select_one(f"main a[href='{reverse('learners:delete_account')}']")


# The privacy notice


def test_the_privacy_notice_names_the_controller_the_rights_and_the_retention(
    tree, client, settings
):
    """In every language: the controller, the CNDP declaration (pending until its number is
    set), the retention periods of the settings and a link for each right."""
    settings.ACCOUNT_PURGE_INACTIVE_DAYS = 1000
    for path, lang in (("/privacy/", "fr"), ("/ar/privacy/", "ar"), ("/en/privacy/", "en")):
        soup = page(client.get(path))
        assert soup.html["lang"] == lang
        main = soup.select_one("main")
        assert "Jazari Root" in main.get_text()
        assert main.select_one("#controller ~ dl .privacy__placeholder")  # no address set
        assert main.select_one("a[href='mailto:privacy@jazari.ma']")
        rights = main.select_one("#rights + ul")
        for name in ("learners:export", "learners:profile", "learners:delete_account"):
            with translation.override(lang):
                assert rights.select_one(f"a[href='{reverse(name)}']"), (lang, name)
        retention = main.select_one("#retention + ul").get_text()
        assert "1000" in retention and "30" in retention and "7" in retention
        footer = soup.select_one("footer.site-footer")
        assert footer.select_one(f"a[href='{path}']"), path

    english = page(client.get("/en/privacy/"))
    assert english.select_one("#cndp-declaration").get_text(strip=True) == "Declaration pending"
    settings.CNDP_DECLARATION_NUMBER = "D-GC-123/2026"
    settings.PRIVACY_CONTROLLER_ADDRESS = "Avenue Mohammed VI\nRabat"
    english = page(client.get("/en/privacy/"))
    assert "D-GC-123/2026" in english.select_one("#cndp-declaration").get_text()
    assert "Avenue Mohammed VI" in english.select_one("#controller ~ dl").get_text()
    assert not english.select_one(".privacy__placeholder")
    settings.ACCOUNT_PURGE_INACTIVE_DAYS = 0
    retention = page(client.get("/en/privacy/")).select_one("#retention + ul").get_text()
    assert "kept while your account exists" in retention
