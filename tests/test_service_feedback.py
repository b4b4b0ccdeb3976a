"""Feedback through the services: who may answer, one answer per enrolment, editable for 14
days, and the request owed the day after the last attended meeting (the task run with a given
`now`), once, through the outbox."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail, signing

from courses.models import Meeting, Session
from enrolments.models import Enrolment, Notification, NotificationKind
from enrolments.services.attendance import mark, record
from enrolments.services.enrolment import enrol
from enrolments.tasks import send_notification
from feedback import links, services
from feedback.models import Feedback
from feedback.services import Answer, FeedbackError
from feedback.tasks import request_feedback
from jazari.time import CASABLANCA
from learners.erasure import erase_account
from learners.personal_data import export
from tests import factories

# A bootcamp from Monday 10 March 2031, 09:00, to Wednesday 17:00: three meetings.
MONDAY = datetime(2031, 3, 10, 9, 0, tzinfo=CASABLANCA)
WEDNESDAY_END = MONDAY + timedelta(days=2, hours=8)
THURSDAY_9 = datetime(2031, 3, 13, 9, 0, tzinfo=CASABLANCA)
GOOD = Answer(rating=4, would_recommend=True, useful="Les notebooks", improve="Plus de pauses")


@pytest.fixture
def root(tree):
    return factories.institute(tree, "Jazari Root", is_hub=True)


@pytest.fixture
def bootcamp(tree, root):
    course = factories.course(tree, "Bootcamp data", root, format="bootcamp")
    session = factories.session(course, capacity=10)
    session.starts_at, session.ends_at = MONDAY, WEDNESDAY_END
    session.save()
    return session


def meetings_of(session):
    return list(Meeting.objects.filter(session=session).order_by("starts_at"))


def enrolled(session, email):
    learner = factories.learner(email)
    return enrol(learner, session.pk, now=MONDAY - timedelta(days=5)).enrolment


def present(enrolment, *meetings, absent=()):
    for meeting in meetings:
        record(enrolment.pk, meeting.pk, True, actor=None, now=meeting.ends_at)
    for meeting in absent:
        record(enrolment.pk, meeting.pk, False, actor=None, now=meeting.ends_at)
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def attended(bootcamp):
    """Amina, present at the three meetings."""
    return present(enrolled(bootcamp, "amina@example.com"), *meetings_of(bootcamp))


# Who may answer, one answer, 14 days


def test_only_learners_who_attended_may_answer_once_the_session_ended(bootcamp):
    """Confirmed without attendance, or absent: refused; attended: not before the end."""
    monday, tuesday, wednesday = meetings_of(bootcamp)
    confirmed = enrolled(bootcamp, "confirmed@example.com")
    absent = present(enrolled(bootcamp, "absent@example.com"), absent=[monday])
    once = present(enrolled(bootcamp, "once@example.com"), monday)
    after = WEDNESDAY_END + timedelta(hours=1)
    for enrolment in (confirmed, absent):
        with pytest.raises(FeedbackError) as refused:
            services.submit(enrolment.pk, GOOD, now=after)
        assert refused.value.code == "not_attended"
    with pytest.raises(FeedbackError) as refused:
        services.submit(once.pk, GOOD, now=tuesday.starts_at)
    assert refused.value.code == "session_not_ended"
    assert not Feedback.objects.exists()
    feedback, created = services.submit(once.pk, GOOD, now=after)
    assert created and (feedback.rating, feedback.would_recommend) == (4, True)


def test_a_completed_learner_may_answer(bootcamp, attended):
    """Completed counts as attended."""
    mark(attended.pk, "completed", actor=None, now=WEDNESDAY_END)
    feedback, created = services.submit(attended.pk, GOOD, now=WEDNESDAY_END)
    assert created and feedback.enrolment_id == attended.pk


def test_one_answer_per_enrolment_answering_again_changes_it(attended):
    """The second answer replaces the first: one row, first given when it was, changed now."""
    first_at = WEDNESDAY_END + timedelta(days=1)
    services.submit(attended.pk, GOOD, now=first_at)
    changed_at = first_at + timedelta(days=3)
    better = Answer(rating=5, would_recommend=True, useful="Tout", improve="")
    feedback, created = services.submit(attended.pk, better, now=changed_at)
    assert not created
    [saved] = Feedback.objects.all()
    assert (saved.pk, saved.rating, saved.useful, saved.improve) == (feedback.pk, 5, "Tout", "")
    assert (saved.submitted_at, saved.updated_at) == (first_at, changed_at)


def test_an_answer_is_editable_for_14_days_then_refused(attended):
    """Until 14 days after it was first given; then refused with a message, unchanged."""
    given = WEDNESDAY_END + timedelta(days=1)
    services.submit(attended.pk, GOOD, now=given)
    last_moment = given + timedelta(days=14) - timedelta(seconds=1)
    services.submit(attended.pk, Answer(rating=3, would_recommend=False), now=last_moment)
    with pytest.raises(FeedbackError) as refused:
        services.submit(
            attended.pk, Answer(rating=1, would_recommend=False), now=given + timedelta(days=14)
        )
    assert refused.value.code == "edit_closed"
    assert "14" in str(refused.value.message)
    assert Feedback.objects.get().rating == 3


# The link


def test_the_link_carries_the_enrolment_and_refuses_a_changed_token(attended):
    """Signed and salted: read back whole; one character changed, another salt, or junk: not."""
    token = links.token_for(attended.pk)
    assert links.read_token(token) == attended.pk
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_salt = signing.dumps({"e": attended.pk}, salt="learners.account-deletion")
    forged = signing.dumps({"e": attended.pk + 1}, salt="another")
    for bad in (tampered, other_salt, forged, "x", "", "a" * 500, signing.dumps({"e": "1"})):
        with pytest.raises(FeedbackError) as refused:
            links.read_token(bad)
        assert refused.value.code == "bad_link", bad


def test_a_link_expires_after_30_days(attended):
    """A link made 31 days ago says it expired."""
    made = datetime.now().timestamp() - 31 * 86400
    with mock.patch("django.core.signing.time.time", return_value=made):
        token = links.token_for(attended.pk)
    with pytest.raises(FeedbackError) as refused:
        links.read_token(token)
    assert refused.value.code == "expired_link"


# When the request is owed


def test_the_request_time_is_09_00_the_day_after_not_before_the_end():
    """09:00 in Casablanca the day after the last attended meeting; if the session runs on,
    its end; without attendance recorded, the day after the session's last day."""
    tuesday_end = datetime(2031, 3, 11, 17, 0, tzinfo=CASABLANCA)
    assert services.request_time(WEDNESDAY_END, WEDNESDAY_END) == THURSDAY_9
    assert services.request_time(tuesday_end, WEDNESDAY_END) == WEDNESDAY_END
    assert services.request_time(None, WEDNESDAY_END) == THURSDAY_9
    late_evening = datetime(2031, 3, 12, 23, 30, tzinfo=CASABLANCA)  # 22:30 UTC
    assert services.request_time(late_evening, late_evening) == THURSDAY_9


def test_the_request_is_owed_the_day_after_the_last_attended_meeting(
    bootcamp, attended, django_capture_on_commit_callbacks
):
    """Not before 09:00 the day after, not for a no-show, not twice; the email carries the
    link to the form."""
    monday, tuesday, wednesday = meetings_of(bootcamp)
    no_show = present(enrolled(bootcamp, "noshow@example.com"), absent=[monday, tuesday])
    early_leaver = present(enrolled(bootcamp, "monday@example.com"), monday)
    assert no_show.status == "no_show"

    assert request_feedback(now=WEDNESDAY_END - timedelta(minutes=1)) == 0  # still running
    with django_capture_on_commit_callbacks(execute=True):
        assert request_feedback(now=WEDNESDAY_END) == 1  # Monday's learner, as it ends
    assert request_feedback(now=THURSDAY_9 - timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert request_feedback(now=THURSDAY_9) == 1  # Amina, present on Wednesday
    assert request_feedback(now=THURSDAY_9 + timedelta(hours=1)) == 0  # not twice

    owed = Notification.objects.filter(kind=NotificationKind.FEEDBACK_REQUEST)
    assert sorted(owed.values_list("key", flat=True)) == sorted(
        [f"feedback_request:{early_leaver.pk}", f"feedback_request:{attended.pk}"]
    )
    assert all(notification.sent_at for notification in owed)
    assert [message.to for message in mail.outbox] == [
        ["monday@example.com"],
        ["amina@example.com"],
    ]
    [link] = re.findall(r"http://testserver/feedback/([^/\s]+)/", mail.outbox[1].body)
    assert links.read_token(link) == attended.pk


def test_beat_passes_now_as_text(bootcamp, attended):
    """The task reads an ISO 8601 `now`, as beat or the command line send it."""
    assert request_feedback(now=THURSDAY_9.isoformat()) == 1


def test_no_request_for_a_session_ended_more_than_14_days_ago(bootcamp, attended):
    """Past the window nothing is owed, even never asked."""
    assert request_feedback(now=WEDNESDAY_END + timedelta(days=14, minutes=1)) == 0
    assert request_feedback(now=WEDNESDAY_END + timedelta(days=13, hours=23)) == 1


def test_no_request_for_a_cancelled_session(bootcamp, attended):
    """A session cancelled after the fact asks nobody."""
    Session.objects.filter(pk=bootcamp.pk).update(status="cancelled")
    assert request_feedback(now=THURSDAY_9) == 0


def test_no_request_once_answered_and_none_sent_after_an_answer(bootcamp, attended):
    """Answered before the request was due: not owed. Owed, then answered before it went
    out (the broker was down): not sent."""
    monday = meetings_of(bootcamp)[0]
    services.submit(attended.pk, GOOD, now=WEDNESDAY_END)
    late = present(enrolled(bootcamp, "late@example.com"), monday)
    assert request_feedback(now=THURSDAY_9) == 1  # only the other learner
    notification = Notification.objects.get(key=f"feedback_request:{late.pk}")
    services.submit(late.pk, GOOD, now=THURSDAY_9)
    assert send_notification(notification.pk) == "obsolete"
    assert mail.outbox == []


def test_a_learner_marked_absent_after_the_request_is_not_sent_it(bootcamp, attended):
    """The request waits in the outbox; attendance corrected to absent meanwhile: obsolete."""
    request_feedback(now=THURSDAY_9)
    for meeting in meetings_of(bootcamp):
        record(attended.pk, meeting.pk, False, actor=None, now=THURSDAY_9)
    notification = Notification.objects.get(kind=NotificationKind.FEEDBACK_REQUEST)
    assert send_notification(notification.pk) == "obsolete"


# The scores


def test_scores_count_answers_average_and_recommendation(bootcamp):
    """Three answers, 5, 4 and 2: average 11/3, two of three would recommend."""
    monday = meetings_of(bootcamp)[0]
    for index, (rating, recommends) in enumerate([(5, True), (4, True), (2, False)]):
        enrolment = present(enrolled(bootcamp, f"l{index}@example.com"), monday)
        services.submit(
            enrolment.pk, Answer(rating=rating, would_recommend=recommends), now=THURSDAY_9
        )
    scores = services.scores_of(Feedback.objects.all())
    assert scores.answers == 3
    assert scores.average_rating == pytest.approx(11 / 3)
    assert scores.recommend_share == pytest.approx(2 / 3)
    assert services.scores_of(Feedback.objects.none()) == services.Scores()
    assert Enrolment.objects.filter(feedback__isnull=False).count() == 3


# The learner's rights over their answers


def test_the_learners_export_holds_their_answers(bootcamp, attended):
    """The personal data export lists the answer with what the learner wrote."""
    services.submit(attended.pk, GOOD, now=THURSDAY_9)
    [answer] = export(attended.learner)["feedback"]
    assert answer["enrolment_id"] == attended.pk and answer["course"] == "Bootcamp data"
    assert (answer["rating"], answer["useful"], answer["improve"]) == (
        4,
        "Les notebooks",
        "Plus de pauses",
    )


def test_deleting_the_account_blanks_the_texts_and_keeps_the_scores(bootcamp, attended):
    """What the learner wrote goes with the account; the rating and recommendation stay."""
    services.submit(attended.pk, GOOD, now=THURSDAY_9)
    erase_account(attended.learner, keep_certificates=False, actor=None, reason="learner")
    feedback = Feedback.objects.get(enrolment=attended)
    assert (feedback.useful, feedback.improve) == ("", "")
    assert (feedback.rating, feedback.would_recommend) == (4, True)
