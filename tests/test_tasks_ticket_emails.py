"""The ticket in the emails of a seat: its code in the text, its QR code in the HTML as an
inline PNG referenced by `cid:`, and none for the waiting list."""

import io
from datetime import timedelta

import pytest
import segno
from bs4 import BeautifulSoup
from django.core import mail
from PIL import Image

from enrolments.models import Enrolment, Notification
from enrolments.services.enrolment import cancel, enrol
from enrolments.tasks import send_notification
from tests import factories


@pytest.fixture
def session(tree):
    root = factories.institute(tree, "Jazari Root", is_hub=True)
    course = factories.course(tree, "Introduction au machine learning", root)
    return factories.session(course, starts_in=timedelta(days=8), capacity=1)


def qr_modules(png_bytes, scale=8, border=4):
    """The dark (1) and light (0) modules of a QR code drawn as a PNG, `scale` pixels a module
    inside a quiet zone of `border` modules: what a scanner reads."""
    with Image.open(io.BytesIO(png_bytes)) as png:
        assert png.format == "PNG" and png.width == png.height
        pixels = png.convert("L")
        size = png.width // scale - 2 * border
        return tuple(
            bytearray(
                int(pixels.getpixel(((border + x) * scale + 4, (border + y) * scale + 4)) < 128)
                for x in range(size)
            )
            for y in range(size)
        )


def sent(kind, enrolment):
    notification = Notification.objects.get(kind=kind, enrolment=enrolment)
    mail.outbox.clear()
    assert send_notification(notification.pk) == "sent"
    [message] = mail.outbox
    return message


def ticket_parts(message):
    """The HTML part and the images related to it, from the MIME message as sent."""
    mime = message.message()
    [related] = [p for p in mime.walk() if p.get_content_type() == "multipart/related"]
    html = related.get_body(preferencelist=("html",))
    images = [p for p in related.iter_parts() if p.get_content_maintype() == "image"]
    return mime, html, images


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_confirmation_carries_the_ticket(session, language):
    """Code in the text; in the HTML an <img> whose `cid:` names the PNG attached inline, with
    the code as its text alternative and beside it; the PNG is the QR code of the bare code."""
    learner = factories.learner("amina@example.com", language=language)
    enrolment = enrol(learner, session.pk).enrolment
    message = sent("confirmed", enrolment)
    assert enrolment.ticket in message.body

    mime, html_part, [image] = ticket_parts(message)
    soup = BeautifulSoup(html_part.get_content(), "html.parser")
    [img] = [tag for tag in soup.find_all("img") if tag["src"].startswith("cid:")]
    assert f"<{img['src'].removeprefix('cid:')}>" == image["Content-ID"]
    assert enrolment.ticket in img["alt"]
    assert enrolment.ticket in soup.get_text()
    assert image.get_content_type() == "image/png"
    assert image.get_content_disposition() == "inline"
    assert qr_modules(image.get_content()) == segno.make(enrolment.ticket, micro=False).matrix
    # The plain text and HTML stay alternatives, the calendar file an attachment.
    alternative = next(p for p in mime.walk() if p.get_content_type() == "multipart/alternative")
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "multipart/related",
    ]
    assert any(p.get_content_type() == "text/calendar" for p in mime.iter_attachments())


def test_the_seat_freed_email_carries_the_ticket_and_the_waiting_list_none(session):
    """Waitlisted: no code, no image; promoted when the seat is freed: the code and its QR."""
    first = factories.learner("first@example.com")
    second = factories.learner("second@example.com")
    seat = enrol(first, session.pk).enrolment
    waiting = enrol(second, session.pk).enrolment

    waitlisted = sent("waitlisted", waiting)
    assert waiting.ticket not in waitlisted.body
    assert not [p for p in waitlisted.message().walk() if p.get_content_maintype() == "image"]
    assert "cid:" not in waitlisted.alternatives[0].content

    cancel(seat.pk, actor=first)
    assert Enrolment.objects.get(pk=waiting.pk).status == "confirmed"
    promoted = sent("promoted", waiting)
    assert waiting.ticket in promoted.body
    _mime, _html, [image] = ticket_parts(promoted)
    assert image["Content-ID"] == f"<ticket-{waiting.pk}@jazari-skills>"
