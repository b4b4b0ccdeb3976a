"""Write to a session's participants, from its overview in the Enrolments area.

For those who may act on the session (`courses.permissions.manageable_sessions`, the rule of
`can_manage_session`, with the area's "manage" action): programme managers read the messages
sent on the session's overview, and never write; other institutes' editors get a 404. The form
says how many learners each audience reaches; the message itself goes through
`enrolments.services.messages.send_message` (the outbox, the audit log).
"""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from wagtail.admin import messages

from courses.permissions import manageable_sessions
from enrolments.models import MessageAudience
from enrolments.services.messages import (
    BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    audience_counts,
    send_message,
    sent_messages,
)
from jazari.errors import DomainError
from jazari.time import format_casablanca
from learners.admin.objects import EnrolmentObjectMixin
from learners.permissions import MANAGE


class MessageForm(forms.Form):
    """Whom to write to (each audience with how many it reaches), the subject, the message."""

    audience = forms.ChoiceField(label=_("To"), widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH)
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Plain text, sent by email to each learner and shown on their dashboard, signed "
            "with your institute's name. Line breaks are kept."
        ),
    )

    def __init__(self, *args, counts: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            (
                audience.value,
                ngettext(
                    "%(audience)s: %(count)s learner",
                    "%(audience)s: %(count)s learners",
                    counts[audience.value],
                )
                % {"audience": audience.label, "count": counts[audience.value]},
            )
            for audience in MessageAudience
        ]


class SessionMessagesView(EnrolmentObjectMixin, FormView):
    """The form to write to the session's participants, and the messages sent so far."""

    template_name = "learners/admin/session_messages.html"
    form_class = MessageForm
    permission_required = MANAGE
    header_icon = "mail"
    page_title = _("Write to participants")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.session = get_object_or_404(
            manageable_sessions(request.user).select_related("course"), pk=kwargs["session_id"]
        )
        self.counts = audience_counts(self.session.pk)

    def get_page_subtitle(self):
        return f"{self.session.course.title} — {format_casablanca(self.session.starts_at)}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            self.index_breadcrumb(),
            {"url": self.session_url(self.session.pk), "label": _("Session")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_initial(self):
        return {"audience": MessageAudience.CONFIRMED}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "counts": self.counts}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "session": self.session,
                "session_overview_url": self.session_url(self.session.pk),
                "sent_messages": sent_messages(self.session.pk),
            }
        )
        return context

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        try:
            message = send_message(
                self.session.pk,
                audience=form.cleaned_data["audience"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                author=self.request.user,
            )
        except DomainError as error:  # nobody in the audience, an empty message…
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "Message sent to %(count)s learner.",
                "Message sent to %(count)s learners.",
                message.recipients,
            )
            % {"count": message.recipients},
        )
        return redirect(self.messages_url(self.session.pk))
