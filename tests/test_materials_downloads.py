"""Who may download course material, and how it is handed over (S3 on a real moto server).

Visibility: everyone, enrolled learners (confirmed/attended/completed in a session of the
course, or of the material's session), learners who attended (attended/completed). Allowed
downloads are a 302 to a presigned URL of at most five minutes, sent as an attachment.
"""

from datetime import UTC, datetime
from urllib.parse import parse_qs, parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest
import requests
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from django.test import override_settings

from materials.access import ANONYMOUS, Access, Viewer, decide
from materials.models import JazariDocument, Material
from tests import factories
from tests.material_factories import document, enrol, material, pdf_bytes, superuser
from tests.s3 import ACCESS_KEY, REGION, SECRET_KEY

pytestmark = pytest.mark.django_db


def download_url(item):
    return f"/materials/{item.pk}/download/"


@pytest.fixture
def intro(small_network):
    return small_network["intro"]


# The rule itself, without a database


def test_decide_is_a_pure_function_of_material_and_viewer():
    """Everyone → allowed; enrolled/attended need the right statuses, per course or session."""
    file = JazariDocument(pk=1, collection_id=9)
    course_material = Material(course_id=1, document=file, visibility="enrolled")
    session_material = Material(course_id=1, session_id=7, document=file, visibility="attended")
    confirmed_elsewhere = Viewer(
        authenticated=True, session_statuses={8: {"confirmed"}}, course_statuses={1: {"confirmed"}}
    )
    assert decide(course_material, ANONYMOUS) == Access.LOG_IN
    assert decide(course_material, confirmed_elsewhere) == Access.ALLOWED
    assert decide(session_material, confirmed_elsewhere) == Access.ATTEND
    attended = Viewer(authenticated=True, session_statuses={7: {"attended"}})
    assert decide(session_material, attended) == Access.ALLOWED
    assert decide(course_material, Viewer(authenticated=True, editor_collections={9})) == (
        Access.ALLOWED
    )
    assert decide(course_material, confirmed_elsewhere, course_live=False) == Access.UNAVAILABLE


# Through the download view


def test_objects_land_in_the_bucket_without_public_grant(s3, intro):
    """A document is written to the bucket, readable back, with only the owner's grant."""
    doc = document(content=pdf_bytes(1))
    assert s3.keys() == [doc.file.name]
    assert s3.read(doc.file.name) == pdf_bytes(1)
    grants = s3.acl_grants(doc.file.name)
    assert all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants)
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]


def test_everyone_material_redirects_to_a_presigned_attachment(client, s3, intro):
    """Anyone gets a 302 to a signed URL (≤ 300 s) that returns the bytes as an attachment."""
    item = material(
        intro, document(name="plan du cours.pdf", content=pdf_bytes(3)), visibility="everyone"
    )
    response = client.get(download_url(item))
    assert response.status_code == 302
    url = response["Location"]
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(s3.server.endpoint_url)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert "no-store" in response["Cache-Control"]
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == pdf_bytes(3)
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert "plan" in fetched.headers["Content-Disposition"]
    assert fetched.headers["Content-Type"] == "application/pdf"
    # Without the signature, the object can't be read.
    assert requests.get(url.split("?")[0], timeout=10).status_code == 403


def test_enrolled_material_by_viewer(client, s3, small_network):
    """Visitors log in, strangers and waitlisted learners get 403, enrolled learners download."""
    intro = small_network["intro"]
    item = material(intro, visibility="enrolled")

    response = client.get(download_url(item))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "next=" in response["Location"]

    stranger = factories.learner("stranger@example.com")
    client.force_login(stranger)
    response = client.get(download_url(item))
    assert response.status_code == 403
    assert "Inscrivez-vous à une session" in response.content.decode()

    waiting = factories.learner("waiting@example.com")
    enrol(waiting, small_network["intro_online"], "waitlisted")
    client.force_login(waiting)
    assert client.get(download_url(item)).status_code == 403

    enrolled = factories.learner("enrolled@example.com")
    enrol(enrolled, small_network["intro_online"], "confirmed")
    client.force_login(enrolled)
    response = client.get(download_url(item))
    assert response.status_code == 302
    assert "X-Amz-Signature=" in response["Location"]


def test_enrolment_elsewhere_does_not_open_another_course(client, s3, small_network):
    """Enrolment in one course gives nothing of another course's material."""
    item = material(small_network["llm"], visibility="enrolled")
    learner = factories.learner()
    enrol(learner, small_network["intro_online"], "completed")
    client.force_login(learner)
    assert client.get(download_url(item)).status_code == 403


def test_session_material_needs_that_session(client, s3, small_network):
    """Material tied to a session is for that session's learners, not the course's others."""
    intro = small_network["intro"]
    item = material(intro, visibility="enrolled", session=small_network["intro_in_person"])
    other = factories.learner("other@example.com")
    enrol(other, small_network["intro_online"], "confirmed")
    client.force_login(other)
    response = client.get(download_url(item))
    assert response.status_code == 403
    assert "session" in response.content.decode()

    mine = factories.learner("mine@example.com")
    enrol(mine, small_network["intro_in_person"], "confirmed")
    client.force_login(mine)
    assert client.get(download_url(item)).status_code == 302


@pytest.mark.parametrize(
    "status, expected",
    [("confirmed", 403), ("no_show", 403), ("attended", 302), ("completed", 302)],
)
def test_attended_material_by_status(client, s3, small_network, status, expected):
    """ "Learners who attended" means attended or completed; confirmed is not enough."""
    item = material(small_network["intro"], visibility="attended")
    learner = factories.learner()
    enrol(learner, small_network["intro_in_person"], status)
    client.force_login(learner)
    assert client.get(download_url(item)).status_code == expected


def test_editors_always_download_and_unpublished_course_is_hidden(client, s3, small_network):
    """Material of an unpublished course is a 404 for learners; an admin still downloads it."""
    intro = small_network["intro"]
    item = material(intro, visibility="everyone")
    intro.unpublish()
    assert client.get(download_url(item)).status_code == 404
    client.force_login(superuser())
    assert client.get(download_url(item)).status_code == 302


def signature_for(url, expires):
    """The SigV4 signature S3 expects for `url` if it were valid for `expires` seconds."""
    parts = urlsplit(url)
    params = [
        (key, str(expires) if key == "X-Amz-Expires" else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key != "X-Amz-Signature"
    ]
    request = AWSRequest(
        method="GET", url=urlunsplit(parts._replace(query=urlencode(params, quote_via=quote)))
    )
    request.context["timestamp"] = dict(params)["X-Amz-Date"]
    auth = S3SigV4QueryAuth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION, expires=expires)
    return auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)


def test_presigned_urls_expire(client, moto_server, small_network, settings):
    """The URL is signed now for its lifetime only: the signature covers X-Amz-Date and
    X-Amz-Expires, so S3 refuses it once expired and a longer lifetime can't be forged.

    moto 5.2 does not enforce the expiry of presigned URLs (AWS and SeaweedFS do), so the test
    recomputes the SigV4 signature: it matches a 1-second lifetime and no other.
    """
    bucket = "jazari-expiry"
    moto_server.client().create_bucket(Bucket=bucket)
    storage = moto_server.storage_settings(bucket)
    storage["OPTIONS"]["querystring_expire"] = 1
    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        item = material(small_network["intro"], visibility="everyone")
        url = client.get(download_url(item))["Location"]
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["X-Amz-Expires"] == "1"
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - signed_at).total_seconds()) < 30
    assert query["X-Amz-Signature"] == signature_for(url, 1)
    assert query["X-Amz-Signature"] != signature_for(url, 3600)
    assert requests.get(url, timeout=10).status_code == 200


def test_unknown_material_is_404(client, db):
    """A material id that does not exist answers 404."""
    assert client.get("/materials/999999/download/").status_code == 404


# Wagtail's own /documents/<id>/<name> view


def test_document_serve_view_obeys_material_visibility(client, s3, small_network):
    """A document used as material is served by Wagtail's URL only to whom the material allows."""
    item = material(small_network["intro"], visibility="attended")
    doc = item.document
    response = client.get(doc.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    learner = factories.learner()
    enrol(learner, small_network["intro_in_person"], "confirmed")
    client.force_login(learner)
    assert client.get(doc.url).status_code == 403

    learner.enrolments.update(status="attended")
    response = client.get(doc.url)
    assert response.status_code == 302
    fetched = requests.get(response["Location"], timeout=10)
    assert fetched.headers["Content-Disposition"].startswith("attachment;")


# The local media folder (the embedded default)


def test_local_storage_streams_through_django(client, small_network, settings, tmp_path):
    """Without S3 the same view streams the file as an attachment; MEDIA_URL is not served."""
    settings.MEDIA_ROOT = str(tmp_path)
    item = material(
        small_network["intro"],
        document(name="notes.pdf", content=pdf_bytes(2)),
        visibility="everyone",
    )
    response = client.get(download_url(item))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == pdf_bytes(2)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"{settings.MEDIA_URL}{item.document.file.name}").status_code == 404
