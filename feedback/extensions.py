"""What feedback adds to the apps below: the link in the request email, the reason not to send
it once answered, and the course page's scores.

Registered by `FeedbackConfig.ready()`.
"""

from courses.models import course_page_context
from enrolments.emails import email_context, email_obsolete
from enrolments.models import NotificationKind
from feedback import services
from feedback.links import feedback_url


@email_context.register
def request_email_context(notification) -> dict:
    """The form's link for the feedback request (called in the learner's language)."""
    if notification.kind != NotificationKind.FEEDBACK_REQUEST:
        return {}
    return {
        "feedback_url": feedback_url(notification.enrolment_id),
        "feedback_edit_days": services.EDIT_DAYS,
    }


email_obsolete.register(services.request_obsolete)


@course_page_context.register
def course_feedback(course, request) -> dict:
    """The course's scores over all its sessions, once enough learners answered (one query)."""
    return {"feedback_scores": services.course_scores(course.pk)}
