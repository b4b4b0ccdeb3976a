"""Organisers' messages to a session's participants: who each audience reaches, what is refused,
one email per learner through the outbox, the audit entry, and the email itself."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import translation
from wagtail.models import ModelLogEntry

from enrolments.models import Enrolment, MessageAudience, Notification, SessionMessage
from enrolments.outbox import send_notification
from enrolments.services.attendance import mark
from enrolments.services.enrolment import cancel, enrol
from enrolments.services.messages import (
    MessageRefused,
    addressed_to,
    audience_counts,
    send_message,
)
from tests import factories
from tests.shared_data import built_once, fresh
from tests.test_admin_permissions import staff

A = MessageAudience


def build_setting(tree):
    """A course of Jazari Root with a two-seat session: two learners with a seat, two on the
    waiting list, one who cancelled; and an editor."""
    root = factories.institute(tree, "Jazari Root", is_hub=True, email="contact@jazari.ma")
    course = factories.course(tree, "L'IA pour tous & les PME", root)
    session = factories.session(course, capacity=2)
    learners = {
        name: factories.learner(f"{name}@example.com", full_name=name.title())
        for name in ("amina", "youssef", "salma", "karim", "nadia")
    }
    enrolments = {name: enrol(learner, session.pk).enrolment for name, learner in learners.items()}
    cancel(enrolments["nadia"].pk, actor=learners["nadia"])
    return {
        "root": root,
        "course": course,
        "session": session,
        "learners": learners,
        "enrolments": enrolments,
        "editor": staff("editor@jazari.ma"),
    }


@pytest.fixture(scope="module")
def setting_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build_setting(factories.site_tree())


@pytest.fixture
def setting(setting_once, db):
    """The module's setting, read again for this test."""
    return fresh(setting_once)


def recipients_of(message):
    return sorted(
        n.user.email.split("@")[0]
        for n in Notification.objects.filter(message=message).select_related("user")
    )


def write(setting, audience=A.CONFIRMED, **fields):
    fields.setdefault("subject", "Salle changée")
    fields.setdefault("body", "Rendez-vous en salle 2.")
    return send_message(
        setting["session"].pk, audience=audience, author=setting["editor"], **fields
    )


def test_each_audience_reaches_its_learners(setting):
    """Seat holders, the waiting list, those who attended, or every active enrolment."""
    session = factories.hold(setting["session"])  # it took place: attendance can be recorded
    mark(setting["enrolments"]["amina"].pk, "attended", actor=setting["editor"])
    assert audience_counts(session.pk) == {
        "confirmed": 2,
        "waitlisted": 2,
        "attended": 1,
        "all": 4,
    }
    expected = {
        A.CONFIRMED: ["amina", "youssef"],
        A.WAITLISTED: ["karim", "salma"],
        A.ATTENDED: ["amina"],
        A.ALL: ["amina", "karim", "salma", "youssef"],
    }
    for audience, names in expected.items():
        message = write(setting, audience)
        assert recipients_of(message) == names, audience
        assert message.recipients == len(names)


def test_a_learner_marked_absent_is_not_among_the_confirmed(setting):
    """A no-show holds a seat but is written to only when writing to everyone."""
    factories.hold(setting["session"])
    mark(setting["enrolments"]["youssef"].pk, "no_show", actor=setting["editor"])
    assert recipients_of(write(setting, A.CONFIRMED)) == ["amina"]
    assert "youssef" in recipients_of(write(setting, A.ALL))


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"subject": "  "}, "subject_required"),
        ({"subject": "x" * 151}, "subject_too_long"),
        ({"subject": "Deux\nlignes"}, "subject_lines"),
        ({"body": "\n \n"}, "body_required"),
        ({"body": "x" * 5001}, "body_too_long"),
        ({"audience": "everybody"}, "bad_audience"),
    ],
)
def test_a_message_is_refused_with_a_reason(setting, fields, code):
    """An empty or overlong subject or message, or an unknown audience, writes nothing."""
    audience = fields.pop("audience", A.CONFIRMED)
    with pytest.raises(MessageRefused) as refused:
        write(setting, audience, **fields)
    assert refused.value.code == code and str(refused.value.message)
    assert (
        not SessionMessage.objects.exists()
        and not Notification.objects.filter(kind="message").exists()
    )


def test_an_audience_with_nobody_in_it_is_refused(setting):
    """Nobody has attended a session that has not started: nothing is written, and it says so."""
    with translation.override("en"), pytest.raises(MessageRefused) as refused:
        write(setting, A.ATTENDED)
    assert refused.value.code == "no_recipients"
    assert "Learners who attended" in str(refused.value.message)
    assert not SessionMessage.objects.exists()


def test_the_message_is_logged_in_the_course_history(setting):
    """One audit entry on the course page: the session, the message, the audience, the count."""
    message = write(setting, A.WAITLISTED)
    [entry] = ModelLogEntry.objects.filter(action="jazari.session.message")
    assert entry.object_id == str(setting["course"].pk)
    assert entry.user_id == setting["editor"].pk
    assert entry.data == {
        "session": setting["session"].pk,
        "message": message.pk,
        "audience": "waitlisted",
        "recipients": 2,
    }


def test_each_recipient_gets_one_email_once(setting, django_capture_on_commit_callbacks):
    """One email per learner, sent after commit; sending them again sends nothing more."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = write(setting, A.ALL, subject="Salle changée", body="Rendez-vous en salle 2.")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "amina@example.com",
        "karim@example.com",
        "salma@example.com",
        "youssef@example.com",
    ]
    notifications = Notification.objects.filter(message=message)
    assert notifications.count() == 4 and not notifications.filter(sent_at__isnull=True).exists()
    assert {send_notification(n.pk) for n in notifications} == {"skipped"}
    assert len(mail.outbox) == 4


def test_the_email_carries_the_organisers_text_signed_by_the_institute(
    setting, django_capture_on_commit_callbacks
):
    """Subject "<course>: <subject>"; the text as typed (escaped in HTML, line breaks kept);
    signed with the institute's name, never the editor's address."""
    mail.outbox.clear()
    body = "Bonjour,\nLa salle change : <b>salle 2</b> & café offert.\n\nÀ lundi"
    with django_capture_on_commit_callbacks(execute=True):
        write(setting, A.CONFIRMED, subject="Salle changée & café", body=body)
    message = next(m for m in mail.outbox if m.to == ["amina@example.com"])
    assert message.subject == "L'IA pour tous & les PME : Salle changée & café"
    assert body in message.body  # plain text, as typed
    assert "Jazari Root" in message.body and "editor@jazari.ma" not in message.body
    assert "contact@jazari.ma" in message.body  # where to answer
    [(html, _mimetype)] = message.alternatives
    assert "<b>salle 2</b>" not in html and "&lt;b&gt;salle 2&lt;/b&gt;" in html
    assert "editor@jazari.ma" not in html
    soup = BeautifulSoup(html, "html.parser")
    text = soup.get_text("\n")
    assert "Bonjour,\nLa salle change" in text.replace("\n\n", "\n")
    assert len(soup.find_all("br")) >= 3  # the line breaks are kept


def test_a_message_to_a_learner_who_has_since_cancelled_is_not_emailed(setting):
    """Owed while the broker was away, the email is dropped once its learner cancelled."""
    message = write(setting, A.CONFIRMED)
    amina = setting["enrolments"]["amina"]
    cancel(amina.pk, actor=setting["learners"]["amina"])
    mail.outbox.clear()
    notification = Notification.objects.get(message=message, enrolment=amina)
    assert send_notification(notification.pk) == "obsolete"
    assert mail.outbox == []


def test_the_learner_finds_the_messages_addressed_to_them(setting, django_assert_num_queries):
    """Newest first, with the course, in one query; not another learner's."""
    first = write(setting, A.ALL, subject="Premier")
    second = write(setting, A.CONFIRMED, subject="Second")
    write(setting, A.WAITLISTED, subject="Pour la liste d'attente")
    SessionMessage.objects.filter(pk=first.pk).update(
        created_at=second.created_at - timedelta(days=1)
    )
    with django_assert_num_queries(1):
        found = list(addressed_to(setting["learners"]["amina"]))
        titles = [
            (m.subject, m.session.course.title, m.session.course.institute.title) for m in found
        ]
    assert titles == [
        ("Second", "L'IA pour tous & les PME", "Jazari Root"),
        ("Premier", "L'IA pour tous & les PME", "Jazari Root"),
    ]
    assert [m.subject for m in addressed_to(setting["learners"]["nadia"])] == []
    assert Enrolment.objects.filter(status="cancelled").count() == 1


def test_the_same_message_twice_is_a_second_click(setting):
    """The same text to the same audience within ten minutes is refused; later, or to another
    audience, it goes."""
    first = write(setting, A.CONFIRMED)
    with pytest.raises(MessageRefused) as refused:
        write(setting, A.CONFIRMED)
    assert refused.value.code == "already_sent"
    assert write(setting, A.WAITLISTED).recipients == 2
    SessionMessage.objects.filter(pk=first.pk).update(
        created_at=first.created_at - timedelta(minutes=11)
    )
    assert write(setting, A.CONFIRMED).recipients == 2
    assert Notification.objects.filter(kind="message").count() == 6
