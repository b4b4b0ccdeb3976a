"""A learner's personal data: the export (dashboard download and `GET /api/v1/me/export/`)."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from certificates.models import Certificate
from enrolments.models import Enrolment
from enrolments.services.enrolment import enrol
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


# Export


def test_the_export_holds_the_learners_data_and_nothing_of_another_learner(world, client):
    """The dashboard's download is a JSON attachment with Amina's account, profile, consent,
    addresses, enrolments, certificates, paths and emails, and nothing of Bilal or Chaima."""
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


def test_the_dashboard_links_to_the_export(world, client):
    client.force_login(world["amina"])
    soup = page(client.get(reverse("learners:dashboard")))
    assert soup.select_one(f"main a[href='{reverse('learners:export')}']")
