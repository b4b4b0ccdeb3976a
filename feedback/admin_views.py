"""The admin's Feedback area: the sessions with answers and their scores, and one session's
answers.

Opened by `VIEW_LEARNERS`, the Enrolments area's permission, and scoped like it
(`feedback.permissions`): an institute's editors see their institute's sessions, programme
managers and administrators every one; a session outside one's scope is a 404. Read only:
nobody changes a learner's answer. Learners are named as in the Enrolments area, never with
their email address. The URLs are registered in `wagtail_hooks.py`; Wagtail wraps them in its
admin access check.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from enrolments.models import Enrolment
from enrolments.states import ATTENDED
from feedback.models import Feedback
from feedback.permissions import feedback_sessions, may_read_feedback, visible_feedback
from feedback.services import Scores, score_aggregates, scores_of
from jazari import people
from jazari.time import format_casablanca

# URL namespace of the area (`/admin/feedback/`).
NAMESPACE = "feedback_admin"
PER_PAGE = 50


class FeedbackAreaMixin(WagtailAdminTemplateMixin):
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not may_read_feedback(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def index_breadcrumb(self):
        return {"url": reverse(f"{NAMESPACE}:index"), "label": _("Feedback")}


class FeedbackIndexView(FeedbackAreaMixin, TemplateView):
    """`/admin/feedback/`: the sessions with answers, latest first, with their scores."""

    template_name = "feedback/admin/index.html"
    page_title = _("Feedback")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        sessions = (
            feedback_sessions(user)
            .annotate(**score_aggregates("enrolments__feedback__"))
            .filter(answers__gt=0)
            .select_related("course", "institute", "course__institute")
            .order_by("-starts_at", "-pk")
        )
        page = Paginator(sessions, PER_PAGE).get_page(self.request.GET.get("page"))
        rows = [
            {
                "session": session,
                "starts_at": format_casablanca(session.starts_at),
                "venue": session.venue,
                "scores": Scores.of(session.answers, session.rating_total, session.recommending),
                "url": reverse(f"{NAMESPACE}:session", args=[session.pk]),
            }
            for session in page
        ]
        context.update({"rows": rows, "page": page, "total": scores_of(visible_feedback(user))})
        return context


class FeedbackSessionView(FeedbackAreaMixin, TemplateView):
    """`/admin/feedback/sessions/<id>/`: one session's scores and every answer."""

    template_name = "feedback/admin/session.html"
    page_title = _("Feedback on a session")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.session_id = kwargs["session_id"]

    def get_page_subtitle(self):
        return f"{self.session.course.title} — {format_casablanca(self.session.starts_at)}"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            self.index_breadcrumb(),
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get(self, request, *args, **kwargs):
        self.session = get_object_or_404(
            feedback_sessions(request.user).select_related(
                "course", "institute", "course__institute"
            ),
            pk=self.session_id,
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        feedback = Feedback.objects.filter(enrolment__session=session)
        answers = []
        for answer in feedback.select_related("enrolment__learner").order_by(
            "-submitted_at", "-pk"
        ):
            submitted_at = format_casablanca(answer.submitted_at)
            updated_at = format_casablanca(answer.updated_at)
            answers.append(
                {
                    "feedback": answer,
                    "learner": people.describe(answer.enrolment.learner).name,
                    "submitted_at": submitted_at,
                    # Changed later than the minute it was given.
                    "updated_at": updated_at if updated_at != submitted_at else None,
                }
            )
        attended = Enrolment.objects.filter(session=session, status__in=ATTENDED).count()
        context.update(
            {
                "session": session,
                "starts_at": format_casablanca(session.starts_at),
                "ends_at": format_casablanca(session.ends_at),
                "venue": session.venue,
                "scores": scores_of(feedback),
                "attended": attended,
                "answers": answers,
            }
        )
        return context
