"""The certificate's PDF: rendered in the learner's language and kept in object storage."""

import io
import re
import unicodedata
from datetime import datetime, time, timedelta

import pypdf
import pytest
from django.core.files.images import ImageFile
from django.utils import dateformat, timezone, translation
from PIL import Image
from wagtail.images import get_image_model

from certificates import links, services
from certificates.models import Certificate, CertificateKind
from certificates.pdf import certificate_html, qr_data_uri
from courses.models import Session
from jazari.time import CASABLANCA
from tests import factories
from tests.certificates_helpers import attend, complete, course_with_skills


@pytest.fixture
def setting(tree):
    return course_with_skills(tree)


def pdf_text(content):
    """The PDF's text, NFKC-normalised (Arabic comes out in presentation forms otherwise)."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def compact(text):
    return re.sub(r"\s+", "", text)


def test_the_pdf_is_stored_in_the_bucket_and_states_the_certificate(s3, setting):
    """In S3 under certificates/<code>-<hash>.pdf: name, course, hours, institute, skills, code."""
    amina = factories.learner("amina@example.com", full_name="Amina Benali")
    certificate = Certificate.objects.get(
        enrolment=complete(amina, setting["session"], render_pdf=True)
    )
    assert s3.keys() == [certificate.pdf.name]
    assert re.fullmatch(
        rf"certificates/{certificate.code}-[0-9a-f]{{16}}\.pdf", certificate.pdf.name
    )
    content = s3.read(certificate.pdf.name)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for expected in (
        "Amina Benali",
        "Introduction au machine learning",
        "Jazari Institute Fès",
        "6 heures",
        "Apprentissage supervisé",
        "Intermédiaire",
        "Programmation Python",
        "Fondamentaux",
    ):
        assert expected in text, expected
    assert certificate.code in compact(text)
    assert links.verification_url(certificate) in compact(text)


def test_a_pdf_is_never_overwritten(s3, setting):
    """Rendering again writes another object; the first stays as it was."""
    amina = factories.learner("amina@example.com")
    certificate = Certificate.objects.get(
        enrolment=complete(amina, setting["session"], render_pdf=True)
    )
    first_key, first = certificate.pdf.name, s3.read(certificate.pdf.name)
    Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    again = services.attach_pdf(certificate.pk)
    assert again.pdf.name != first_key
    assert sorted(s3.keys()) == sorted([first_key, again.pdf.name])
    assert s3.read(first_key) == first
    # A certificate that has its PDF is not rendered again.
    assert services.attach_pdf(certificate.pk).pdf.name == again.pdf.name


def test_an_arabic_learner_gets_a_right_to_left_arabic_pdf(s3, setting):
    """Preferred language ar: `dir="rtl"`, Arabic labels and name, the /ar/ verification URL."""
    learner = factories.learner("karim@example.com", language="ar", full_name="كريم التازي")
    certificate = Certificate.objects.get(
        enrolment=complete(learner, setting["session"], render_pdf=True)
    )
    assert certificate.language == "ar"
    assert certificate.skills[0]["level_label"] == "متوسط"
    html = certificate_html(certificate)
    assert '<html lang="ar" dir="rtl">' in html
    text = pdf_text(s3.read(certificate.pdf.name))
    for expected in ("كريم التازي", "المهارات", "المستوى", "المعهد المنظِّم", "متوسط"):
        assert expected in text, expected
    assert f"http://testserver/ar/certificates/{certificate.code}/" in compact(text)


def test_the_qr_code_encodes_the_verification_url(setting):
    """The image given to WeasyPrint is the QR code of the page's absolute URL."""
    amina = factories.learner("amina@example.com")
    certificate = Certificate.objects.get(enrolment=complete(amina, setting["session"]))
    url = links.verification_url(certificate)
    assert url == f"http://testserver/certificates/{certificate.code}/"
    html = certificate_html(certificate)
    assert f'src="{qr_data_uri(url)}"' in html
    assert qr_data_uri(url).startswith("data:image/svg+xml")
    assert qr_data_uri(url) != qr_data_uri(url + "x")


def logo():
    """A 400×160 PNG, as an editor uploads the institute's logo."""
    buffer = io.BytesIO()
    Image.new("RGB", (400, 160), (11, 74, 90)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Logo Fès", file=ImageFile(buffer, name="logo-fes.png")
    )


def test_an_attendance_certificate_names_its_kind_institute_signatory_meetings_and_hours(setting):
    """The PDF of a certificate of attendance: its kind, the institute with its logo, the
    signatory, each meeting attended with its times, and the hours of those meetings only."""
    fes = setting["fes"]
    fes.logo = logo()
    fes.signatory_name, fes.signatory_role = "Dr Salma Bennani", "Directrice de l'institut"
    fes.save()
    day = timezone.localtime(timezone.now(), CASABLANCA).date() + timedelta(days=10)
    bootcamp = Session.objects.create(
        course=setting["course"],
        starts_at=datetime.combine(day, time(9), tzinfo=CASABLANCA),
        ends_at=datetime.combine(day + timedelta(days=2), time(12), tzinfo=CASABLANCA),
        institute=fes,
    )
    amina = factories.learner("amina@example.com", full_name="Amina Benali")
    enrolment = attend(amina, bootcamp, meetings=2)  # present on the first two days of three
    certificate = services.issue_certificate(
        enrolment.pk, kind=CertificateKind.ATTENDANCE, render_pdf=False
    )
    certificate = services.attach_pdf(certificate.pk)
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = pdf_text(content)
    with translation.override("fr"):
        kinds = {kind: str(kind.label) for kind in CertificateKind}
        meetings = [
            f"{dateformat.format(local, 'j F Y')},"
            f"{local:%H:%M}–{timezone.localtime(meeting.ends_at, CASABLANCA):%H:%M}"
            for meeting in bootcamp.meetings.order_by("starts_at")
            for local in [timezone.localtime(meeting.starts_at, CASABLANCA)]
        ]
    for expected in (
        kinds[CertificateKind.ATTENDANCE],
        "Jazari Institute Fès",
        "Amina Benali",
        "Dr Salma Bennani",
        "Directrice de l'institut",
        "6 heures",
    ):
        assert expected in text, expected
    assert kinds[CertificateKind.COMPLETION] not in text
    assert [compact(meeting) in compact(text) for meeting in meetings] == [True, True, False]
    assert any(page.images for page in reader.pages)  # the logo
