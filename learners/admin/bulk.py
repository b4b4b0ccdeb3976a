"""Bulk actions on the selected enrolments: present or absent at every meeting so far
(attended, no-show), completed, cancel.

On `/admin/bulk/enrolments/enrolment/<action>/?id=…`, registered in `wagtail_hooks.py`.
"""

from django.contrib import messages as django_messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.bulk_action import BulkAction

from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.permissions import manageable_enrolments
from enrolments.services.attendance import mark
from enrolments.services.enrolment import cancel
from jazari.errors import DomainError
from jazari.ids import parse_id
from jazari.time import format_casablanca
from learners.admin.links import url_for
from learners.admin.listing import InvalidFilters, filtered_listing, with_listing_fields
from learners.permissions import MANAGE, enrolment_permission_policy


def refusal_list(refused):
    """The list under a message saying what was left unchanged: "<who>: <why>" per item."""
    return format_html(
        '<ul class="errorlist">{}</ul>',
        format_html_join("\n", "<li>{}: {}</li>", ((who, why) for who, why in refused)),
    )


class MalformedIds(Exception):
    """An `id` of the query string is neither "all" nor an enrolment id."""

    def __init__(self, value):
        super().__init__(value)
        self.message = _(
            "“%(id)s” is not an enrolment id, so no enrolment was selected: select the "
            "enrolments in the listing and try again."
        ) % {"id": value[:40]}


class EnrolmentBulkAction(BulkAction):
    """Apply a service to each selected enrolment and tell the editor what was done or refused.

    Each enrolment is changed in its own transaction (the services lock one session at a time),
    in a fixed order (session, then enrolment), so a bulk action never holds two session locks.

    Only for those who may act on enrolments (`MANAGE`: an institute's editors,
    administrators; a programme manager is refused with a 403), and only on the enrolments they
    may act on (`manageable_enrolments`).

    A selection that can't be read (a malformed id, or "all" with an invalid filter) selects
    nothing: the answer is a 400 page saying why, and nothing is changed.
    """

    models = [Enrolment]
    template_name = "learners/admin/bulk_confirm.html"
    confirmation_note = ""
    done_message = None  # ngettext_lazy(…, "count")

    def __init__(self, request, model):
        super().__init__(request, model)
        # Back to the listing (with its filters) afterwards, never to this action's own URL.
        self.next_url = get_valid_next_url_from_request(request) or url_for("index")

    def dispatch(self, request, *args, **kwargs):
        if not enrolment_permission_policy.user_has_permission(request.user, MANAGE):
            raise PermissionDenied
        try:
            selected = self._selected
        except (MalformedIds, InvalidFilters) as refusal:
            return self.refuse(refusal.message)
        if not selected:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def _selected(self):
        ids = self.request.GET.getlist("id")
        manageable = manageable_enrolments(self.request.user)
        if "all" in ids:
            queryset = filtered_listing(self.request, manageable)
        else:
            pks = [parse_id(value) for value in ids]
            if None in pks:
                raise MalformedIds(ids[pks.index(None)])
            queryset = manageable.filter(pk__in=pks)
        return list(with_listing_fields(queryset).order_by("session_id", "pk"))

    def refuse(self, message):
        """The 400 page: why nothing was selected, and the way back to the listing."""
        return TemplateResponse(
            self.request,
            "learners/admin/bulk_refused.html",
            {"view": self, "message": message, "next_url": self.next_url},
            status=400,
        )

    def get_actionable_objects(self):
        # Enrolments the user may not act on are left out silently: naming them could leak them.
        return self._selected, {"items_with_no_access": []}

    def object_context(self, obj):
        return {
            "item": obj,
            "detail_url": url_for("inspect", obj.pk),
            "session_start": format_casablanca(obj.session_starts_at),
        }

    def apply(self, enrolment):
        """Change one enrolment through a service; each bulk action below says which."""
        raise NotImplementedError(f"{type(self).__name__} must define apply()")

    def form_valid(self, form):
        enrolments, _no_access = self.get_actionable_objects()
        for hook in hooks.get_hooks("before_bulk_action"):
            response = hook(self.request, self.action_type, enrolments, self)
            if hasattr(response, "status_code"):
                return response
        done, refused = [], []
        for enrolment in enrolments:
            try:
                self.apply(enrolment)
            except DomainError as error:  # a rule refused, or the session is busy
                refused.append((enrolment, error.message))
            else:
                done.append(enrolment)
        for hook in hooks.get_hooks("after_bulk_action"):
            response = hook(self.request, self.action_type, done, self)
            if hasattr(response, "status_code"):
                return response
        self.report(done, refused)
        return redirect(self.next_url)

    def report(self, done, refused):
        if done:
            messages.success(self.request, self.done_message % {"count": len(done)})
        if refused:
            summary = ngettext(
                "%(count)d enrolment was left unchanged:",
                "%(count)d enrolments were left unchanged:",
                len(refused),
            ) % {"count": len(refused)}
            detail = refusal_list(
                (f"{e.learner_name} ({format_casablanca(e.session_starts_at)})", reason)
                for e, reason in refused
            )
            django_messages.error(self.request, messages.render(summary, None, detail=detail))


class MarkBulkAction(EnrolmentBulkAction):
    status = None

    def apply(self, enrolment):
        mark(enrolment.pk, self.status, actor=self.request.user)


class MarkAttendedBulkAction(MarkBulkAction):
    display_name = _("Mark present at every meeting so far")
    aria_label = _("Mark the selected learners present at every meeting held so far")
    action_type = "mark_attended"
    action_priority = 10
    status = EnrolmentStatus.ATTENDED
    confirmation_note = _(
        "Each learner is recorded present at every meeting of their session that has started, "
        "and their enrolment becomes attended. Meetings still to come are left as they are; "
        "record a single meeting on the session's page."
    )
    done_message = ngettext_lazy(
        "%(count)d learner marked present at every meeting so far.",
        "%(count)d learners marked present at every meeting so far.",
        "count",
    )


class MarkNoShowBulkAction(MarkBulkAction):
    display_name = _("Mark absent at every meeting so far")
    aria_label = _("Mark the selected learners absent at every meeting held so far")
    action_type = "mark_no_show"
    action_priority = 20
    status = EnrolmentStatus.NO_SHOW
    confirmation_note = _(
        "Each learner is recorded absent at every meeting of their session that has started, "
        "and their enrolment becomes no-show. Meetings still to come are left as they are; "
        "record a single meeting on the session's page."
    )
    done_message = ngettext_lazy(
        "%(count)d learner marked absent at every meeting so far.",
        "%(count)d learners marked absent at every meeting so far.",
        "count",
    )


class MarkCompletedBulkAction(MarkBulkAction):
    display_name = _("Mark completed")
    aria_label = _("Mark the selected enrolments completed")
    action_type = "mark_completed"
    action_priority = 30
    status = EnrolmentStatus.COMPLETED
    confirmation_note = _("Completed is final: it can't be changed afterwards.")
    done_message = ngettext_lazy(
        "%(count)d enrolment marked completed.", "%(count)d enrolments marked completed.", "count"
    )


class CancelBulkAction(EnrolmentBulkAction):
    display_name = _("Cancel enrolments")
    aria_label = _("Cancel the selected enrolments")
    action_type = "cancel"
    action_priority = 40
    classes = {"serious"}
    confirmation_note = _(
        "Learners are told by email. Each freed seat goes at once to the first learner on the "
        "session's waiting list."
    )
    done_message = ngettext_lazy(
        "%(count)d enrolment cancelled.", "%(count)d enrolments cancelled.", "count"
    )

    def apply(self, enrolment):
        cancel(enrolment.pk, actor=self.request.user, by_organiser=True)


BULK_ACTIONS = [
    MarkAttendedBulkAction,
    MarkNoShowBulkAction,
    MarkCompletedBulkAction,
    CancelBulkAction,
]
