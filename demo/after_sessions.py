"""Demo content of what happens at and after a session: learners' feedback, organisers' messages.

- Feedback: about two in three demo learners present at a session that has ended answered the
  feedback request, through `feedback.services.submit` (the form's rule) on the day after it,
  with ratings mostly good and a few words in their language; so course pages show an average
  from five answers, and the admin's Feedback area and the programme's tables have scores.
- A message: the organisers of the session under way (the demo trainer's, `demo.plan`) wrote
  to its learners, through `enrolments.services.messages.send_message`; learner 1 reads it on
  the dashboard. Its emails are stamped sent: demo learners are not mailed (`demo.enrolments`).

Both are a pure function of the enrolments and a fixed seed; an enrolment with an answer, or a
session with the message, is left alone, so a rerun writes nothing.
"""

import random
from datetime import timedelta

from django.utils import timezone

from courses.models import Session
from demo.plan import SEED
from demo.users import demo_learners
from enrolments.models import (
    Enrolment,
    EnrolmentStatus,
    MessageAudience,
    Notification,
    NotificationKind,
    SessionMessage,
)
from enrolments.services.messages import send_message
from feedback.models import Feedback
from feedback.services import Answer, FeedbackError, submit

ANSWER_SHARE = 2 / 3
RATINGS = (5, 4, 4, 5, 3, 4, 5, 2, 4, 5)
USEFUL = {
    "fr": ("Les exercices pratiques sur des données réelles.", "Les échanges avec le formateur."),
    "ar": ("التمارين التطبيقية على بيانات حقيقية.", "النقاش مع المكوّن."),
    "en": ("The hands-on exercises on real data.", "Talking with the trainer."),
}
IMPROVE = {
    "fr": ("Un peu plus de temps pour les exercices.", ""),
    "ar": ("مزيد من الوقت للتمارين.", ""),
    "en": ("A little more time for the exercises.", ""),
}
MESSAGE_SUBJECT = "Accueil en salle 2"
MESSAGE_BODY = (
    "Bonjour,\n\nLa session a lieu en salle 2, au premier étage. Présentez votre billet "
    "(code ou QR code) à l'accueil : nous vous enregistrons à l'arrivée.\n\n"
    "À bientôt,\nL'équipe de l'institut (message de démonstration)"
)


def ensure_feedback(learner_count, now) -> int:
    """Answers of the demo learners present at sessions that have ended; how many written."""
    learners = demo_learners(learner_count)
    attended = (
        Enrolment.objects.filter(
            learner__in=list(learners.values()),
            status__in=[EnrolmentStatus.ATTENDED, EnrolmentStatus.COMPLETED],
            attendances__present=True,
            session__ends_at__lte=now - timedelta(days=1),
        )
        .exclude(pk__in=Feedback.objects.values("enrolment_id"))
        .select_related("session", "learner__profile")
        .distinct()
        .order_by("pk")
    )
    written = 0
    for enrolment in attended:
        rng = random.Random(f"{SEED}:feedback:{enrolment.session_id}:{enrolment.learner_id}")
        if rng.random() > ANSWER_SHARE:
            continue
        rating = rng.choice(RATINGS)
        language = getattr(getattr(enrolment.learner, "profile", None), "preferred_language", "")
        language = language if language in USEFUL else "fr"
        answer = Answer(
            rating=rating,
            would_recommend=rating >= 4 or rng.random() < 0.3,
            useful=rng.choice(USEFUL[language]),
            improve=rng.choice(IMPROVE[language]) if rating < 5 else "",
        )
        try:
            submit(enrolment.pk, answer, now=enrolment.session.ends_at + timedelta(days=1))
        except FeedbackError:
            continue
        written += 1
    return written


def ensure_message(courses, now) -> bool:
    """The organisers' message to the learners of the first course's session under way; True
    if written by this run."""
    if not courses:
        return False
    session = (
        Session.objects.filter(course_id=courses[0].pk)
        .filter(starts_at__lte=now + timedelta(days=1), ends_at__gt=now)
        .exclude(messages__subject=MESSAGE_SUBJECT)
        .filter(enrolments__status=EnrolmentStatus.CONFIRMED)
        .order_by("starts_at")
        .first()
    )
    if session is None:
        return False
    message = send_message(
        session.pk,
        audience=MessageAudience.CONFIRMED,
        subject=MESSAGE_SUBJECT,
        body=MESSAGE_BODY,
        author=None,
        now=min(now, session.starts_at - timedelta(hours=14)),
    )
    Notification.objects.filter(
        message=message, kind=NotificationKind.MESSAGE, sent_at__isnull=True
    ).update(sent_at=timezone.now())
    return isinstance(message, SessionMessage)
