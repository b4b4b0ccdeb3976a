"""Feedback: who may answer, one answer per enrolment, until when it may be changed, when it is
asked for, and the scores.

- Who: a learner who attended the session (the enrolment is attended or completed: present at
  one meeting at least), once the session has ended (`check_may_answer`).
- One answer per enrolment (a one-to-one in the database): answering again changes the answer,
  for `EDIT_DAYS` days after it was first given; then `FeedbackError` says it can't be changed
  any more (`submit`).
- When it is asked for (`requests_due`): by email, from 09:00 (Casablanca) on the day after the
  learner's last attended meeting, once the session has ended, and never for a session that
  ended more than `REQUEST_WINDOW_DAYS` days ago; `feedback.tasks.request_feedback` owes the
  email through the enrolments' outbox, once per enrolment.
- The scores (`Scores`): answers, average rating, share who would recommend; a course page shows
  them from `PUBLIC_MIN_ANSWERS` answers on (`course_scores`).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import SessionStatus
from enrolments.models import Enrolment, Notification, NotificationKind
from enrolments.states import ATTENDED
from feedback.models import Feedback
from jazari.errors import DomainError, busy_if_locked
from jazari.time import CASABLANCA

# An answer may be changed for this many days after it was first given.
EDIT_DAYS = 14
# The request is sent from this time (Casablanca) on the day after the last attended meeting…
REQUEST_HOUR = time(9, 0)
# …and not for sessions that ended more than this many days ago.
REQUEST_WINDOW_DAYS = 14
# The course page shows its scores once this many learners answered (over all its sessions).
PUBLIC_MIN_ANSWERS = 5


class FeedbackError(DomainError):
    """A feedback rule refuses: not attended, session not over, no longer editable…"""


GONE_MESSAGE = _("This enrolment no longer exists.")


@dataclass(frozen=True)
class Answer:
    """What a learner answers (validated by the form)."""

    rating: int
    would_recommend: bool
    useful: str = ""
    improve: str = ""


# Who may answer, and until when


def check_may_answer(enrolment: Enrolment, now: datetime) -> None:
    """`FeedbackError` unless the enrolment's learner may give feedback now: they attended
    (attended or completed) and the session has ended."""
    if enrolment.status not in ATTENDED:
        raise FeedbackError(
            _("Only learners who attended the session can give feedback on it."), "not_attended"
        )
    if now < enrolment.session.ends_at:
        raise FeedbackError(_("Feedback opens once the session has ended."), "session_not_ended")


def may_answer(enrolment: Enrolment, now: datetime) -> bool:
    try:
        check_may_answer(enrolment, now)
    except FeedbackError:
        return False
    return True


def editable_until(feedback: Feedback) -> datetime:
    """The moment the answer can no longer be changed."""
    return feedback.submitted_at + timedelta(days=EDIT_DAYS)


def may_edit(feedback: Feedback, now: datetime) -> bool:
    return now < editable_until(feedback)


def edit_closed() -> FeedbackError:
    return FeedbackError(
        _(
            "Your feedback can no longer be changed: an answer can be changed for %(days)s "
            "days after it is first given. Thank you for it."
        )
        % {"days": EDIT_DAYS},
        "edit_closed",
    )


def submit(enrolment_id: int, answer: Answer, *, now: datetime | None = None):
    """Save the learner's answer for `enrolment_id`: the first one, or a change to it within
    `EDIT_DAYS` days. Returns `(feedback, created)`; `FeedbackError` says why not.

    The enrolment's row is locked, so that two submissions at once make one answer, the second
    a change to the first (the one-to-one in the database is the backstop).
    """
    now = now or timezone.now()
    with busy_if_locked(), transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("session")
            .filter(pk=enrolment_id)
            .first()
        )
        if enrolment is None:
            raise FeedbackError(GONE_MESSAGE, "not_found")
        check_may_answer(enrolment, now)
        feedback = Feedback.objects.filter(enrolment=enrolment).first()
        if feedback is None:
            feedback = Feedback.objects.create(
                enrolment=enrolment,
                rating=answer.rating,
                would_recommend=answer.would_recommend,
                useful=answer.useful,
                improve=answer.improve,
                submitted_at=now,
                updated_at=now,
            )
            return feedback, True
        if not may_edit(feedback, now):
            raise edit_closed()
        feedback.rating = answer.rating
        feedback.would_recommend = answer.would_recommend
        feedback.useful = answer.useful
        feedback.improve = answer.improve
        feedback.updated_at = now
        feedback.save()
        return feedback, False


# When the request is owed


def request_key(enrolment_id: int) -> str:
    """The outbox key of the request: one per enrolment, ever."""
    return f"feedback_request:{enrolment_id}"


def request_time(last_attended_end: datetime | None, session_ends_at: datetime) -> datetime:
    """When the request may go: 09:00 (Casablanca) on the day after the last meeting the
    learner attended (without one recorded, the session's last day), and not before the
    session has ended. Pure."""
    last = last_attended_end or session_ends_at
    day_after = last.astimezone(CASABLANCA).date() + timedelta(days=1)
    return max(datetime.combine(day_after, REQUEST_HOUR, tzinfo=CASABLANCA), session_ends_at)


def requests_due(now: datetime) -> list[Enrolment]:
    """The enrolments owed a feedback request at `now`, not yet owed one: attended or
    completed, in a session not cancelled that ended in the last `REQUEST_WINDOW_DAYS` days,
    without an answer, past their `request_time`. Two queries."""
    candidates = (
        Enrolment.objects.filter(
            status__in=ATTENDED,
            session__ends_at__lte=now,
            session__ends_at__gt=now - timedelta(days=REQUEST_WINDOW_DAYS),
            feedback__isnull=True,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session")
        .annotate(
            last_attended_end=Max(
                "attendances__meeting__ends_at", filter=Q(attendances__present=True)
            )
        )
        .order_by("pk")
    )
    due = [
        enrolment
        for enrolment in candidates
        if request_time(enrolment.last_attended_end, enrolment.session.ends_at) <= now
    ]
    keys = [request_key(enrolment.pk) for enrolment in due]
    owed = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    return [enrolment for enrolment in due if request_key(enrolment.pk) not in owed]


def answered(enrolment_id: int) -> bool:
    return Feedback.objects.filter(enrolment_id=enrolment_id).exists()


def request_obsolete(notification) -> str | None:
    """Why an owed request should not be sent any more (it waited in the outbox): the learner
    has answered already, or is no longer counted as having attended."""
    if notification.kind != NotificationKind.FEEDBACK_REQUEST or notification.enrolment is None:
        return None
    if notification.enrolment.status not in ATTENDED:
        return f"enrolment now {notification.enrolment.status}"
    if answered(notification.enrolment_id):
        return "feedback given already"
    return None


# The scores


@dataclass(frozen=True)
class Scores:
    """Answers, their average rating (1–5) and the share who would recommend (0–1)."""

    answers: int = 0
    average_rating: float | None = None
    recommend_share: float | None = None

    @classmethod
    def of(cls, answers: int, rating_total: int | None, recommending: int) -> "Scores":
        """From counts: answers, the sum of their ratings, how many would recommend."""
        if not answers:
            return cls()
        return cls(
            answers=answers,
            average_rating=rating_total / answers,
            recommend_share=recommending / answers,
        )

    @property
    def recommend_percent(self) -> float | None:
        return None if self.recommend_share is None else self.recommend_share * 100


def score_aggregates(prefix: str = "") -> dict:
    """The aggregates `Scores.of` reads (`answers`, `rating_total`, `recommending`), over
    feedback rows reached through `prefix` (e.g. "enrolments__feedback__" from sessions)."""
    return {
        "answers": Count(f"{prefix}pk"),
        "rating_total": Sum(f"{prefix}rating"),
        "recommending": Count(f"{prefix}pk", filter=Q(**{f"{prefix}would_recommend": True})),
    }


def scores_of(feedback: QuerySet) -> Scores:
    """The scores of a queryset of feedback: one query."""
    return Scores.of(**feedback.order_by().aggregate(**score_aggregates()))


def course_scores(course_id: int) -> Scores | None:
    """The scores of all of a course's sessions, or None under `PUBLIC_MIN_ANSWERS` answers
    (too few to say anything, and near enough to name who answered). One query."""
    scores = scores_of(Feedback.objects.filter(enrolment__session__course_id=course_id))
    return scores if scores.answers >= PUBLIC_MIN_ANSWERS else None


# A learner's own answers: the right of access and the right to erasure (law 09-08)


def answers_of(user) -> list[dict]:
    """`user`'s answers, JSON-ready, for the export of their personal data."""
    return [
        {
            "enrolment_id": feedback.enrolment_id,
            "course": feedback.enrolment.session.course.title,
            "session_starts_at": feedback.enrolment.session.starts_at.isoformat(),
            "rating": feedback.rating,
            "would_recommend": feedback.would_recommend,
            "useful": feedback.useful,
            "improve": feedback.improve,
            "submitted_at": feedback.submitted_at.isoformat(),
            "updated_at": feedback.updated_at.isoformat(),
        }
        for feedback in Feedback.objects.filter(enrolment__learner=user)
        .select_related("enrolment__session__course")
        .order_by("submitted_at", "pk")
    ]


def erase_texts(user) -> int:
    """Blank what `user` wrote in their answers, which may say who they are; the rating and
    the recommendation stay, as the enrolments do, for the scores. Returns how many."""
    return Feedback.objects.filter(enrolment__learner=user).update(useful="", improve="")
