"""The link to the feedback form, which needs no log-in: a signed token carrying the enrolment.

`django.core.signing` with a salt of its own, so no other signed value of the site (an account
deletion link, say) is ever taken for one; valid `LINK_DAYS` days. Whoever holds the link may
answer for that enrolment, as with any emailed link; the form page shows the course and the
session, never the learner's name or address.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from feedback import services
from feedback.models import Feedback
from feedback.services import FeedbackError
from jazari.addresses import absolute_url
from jazari.i18n import localize_path

SALT = "feedback.answer"
# How long a link is valid; the dashboard always gives a fresh one.
LINK_DAYS = 30
# Longer than any token made here: anything longer is refused before it is read.
MAX_TOKEN_LENGTH = 200


def token_for(enrolment_id: int) -> str:
    return signing.dumps({"e": int(enrolment_id)}, salt=SALT)


def read_token(token: str) -> int:
    """The enrolment id a token carries, or `FeedbackError` saying what is wrong with it."""
    invalid = FeedbackError(
        _("This feedback link is not valid. Check that you copied it whole."), "bad_link"
    )
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise invalid
    try:
        payload = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_DAYS).total_seconds())
    except signing.SignatureExpired:
        raise FeedbackError(
            _(
                "This feedback link has expired. Open the session from your dashboard to "
                "give your feedback."
            ),
            "expired_link",
        ) from None
    except signing.BadSignature:
        raise invalid from None
    enrolment_id = payload.get("e") if isinstance(payload, dict) else None
    if not isinstance(enrolment_id, int) or isinstance(enrolment_id, bool) or enrolment_id < 1:
        raise invalid
    return enrolment_id


def feedback_path(enrolment_id: int, language: str | None = None) -> str:
    """The form's path in `language` (default: the active one)."""
    with translation.override(settings.LANGUAGE_CODE):  # reversed without a prefix
        path = reverse("feedback:form", args=[token_for(enrolment_id)])
    return localize_path(path, language)


def attach_dashboard_links(enrolments, now: datetime) -> None:
    """For the learner's dashboard: set `feedback_path` on each enrolment whose learner may
    give feedback now (else None), and `feedback_state`: "new" (not given), "editable" or
    "closed" (given, no longer editable). One query, for the answers given."""
    enrolments = list(enrolments)
    answerable = [e for e in enrolments if services.may_answer(e, now)]
    given = {
        feedback.enrolment_id: feedback
        for feedback in Feedback.objects.filter(enrolment__in=[e.pk for e in answerable])
    }
    for enrolment in enrolments:
        enrolment.feedback_path = enrolment.feedback_state = None
    for enrolment in answerable:
        feedback = given.get(enrolment.pk)
        enrolment.feedback_path = feedback_path(enrolment.pk)
        if feedback is None:
            enrolment.feedback_state = "new"
        else:
            enrolment.feedback_state = "editable" if services.may_edit(feedback, now) else "closed"


def feedback_url(
    enrolment_id: int, language: str | None = None, *, request: HttpRequest | None = None
) -> str:
    """The form's absolute URL in `language` (default: the active one), e.g. for an email."""
    return absolute_url(feedback_path(enrolment_id, language), request)
