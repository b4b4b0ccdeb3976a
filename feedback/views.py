"""The feedback form, opened by the signed link of the request email or from the dashboard.

No log-in: the link's token says which enrolment (`feedback.links`). A wrong or expired link is
a 400 page saying so, an enrolment that no longer exists a 404, a learner who may not answer (did
not attend, session not over) a 403, bad input a 400 with the form's messages and what was typed
kept, and a change after the editing period a 403 with the answer as it stands. Pages are kept
out of search engines and of every cache (the URL is a secret).
"""

from functools import wraps

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from enrolments.models import Enrolment
from feedback import services
from feedback.forms import FeedbackForm
from feedback.links import read_token
from feedback.models import Feedback
from feedback.services import FeedbackError


def private_page(view):
    """No cache may keep the page, no search engine index it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def refused(request, error: FeedbackError, status: int):
    return render(request, "feedback/refused.html", {"error": error}, status=status)


@private_page
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """GET: the form (with the learner's answer when given); POST: save it, then thank them."""
    try:
        enrolment_id = read_token(token)
    except FeedbackError as error:
        return refused(request, error, 400)
    enrolment = (
        Enrolment.objects.select_related("session__course__institute", "session__institute")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        return refused(request, FeedbackError(services.GONE_MESSAGE, "not_found"), 404)
    now = timezone.now()
    try:
        services.check_may_answer(enrolment, now)
    except FeedbackError as error:
        return refused(request, error, 403)
    feedback = Feedback.objects.filter(enrolment=enrolment).first()
    context = {
        "enrolment": enrolment,
        "session": enrolment.session,
        "course": enrolment.session.course,
        "feedback": feedback,
        "editable": feedback is None or services.may_edit(feedback, now),
        "editable_until": services.editable_until(feedback) if feedback else None,
        "edit_days": services.EDIT_DAYS,
    }
    if request.method == "GET":
        return render(
            request,
            "feedback/form.html",
            {**context, "form": FeedbackForm.for_feedback(feedback)},
        )

    if not context["editable"]:
        return render(
            request,
            "feedback/form.html",
            {**context, "error": services.edit_closed()},
            status=403,
        )
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/form.html", {**context, "form": form}, status=400)
    try:
        feedback, created = services.submit(enrolment.pk, form.answer(), now=now)
    except FeedbackError as error:  # the period ended, or attendance changed, meanwhile
        return render(
            request, "feedback/form.html", {**context, "form": form, "error": error}, status=403
        )
    return render(
        request,
        "feedback/thanks.html",
        {
            **context,
            "feedback": feedback,
            "created": created,
            "editable_until": services.editable_until(feedback),
        },
    )
