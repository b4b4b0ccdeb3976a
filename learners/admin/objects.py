"""Views of one enrolment or one session: details, history, session overview, promote by hand.

Details, history and the session overview show what the user may see (`visible_enrolments`,
`visible_sessions`: programme managers see every institute's); promoting needs the "manage"
action and an enrolment the user may act on (`manageable_enrolments`).
"""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton

from courses.permissions import can_manage_session, visible_sessions
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.permissions import manageable_enrolments, visible_enrolments, with_may_act
from enrolments.services.counts import seat_counts
from enrolments.services.messages import sent_messages
from enrolments.services.waitlist import promote_by_hand
from jazari.errors import DomainError
from jazari.time import format_casablanca
from learners.admin.links import EnrolmentLinksMixin
from learners.admin.listing import with_listing_fields
from learners.permissions import MANAGE, enrolment_permission_policy


class EnrolmentDetailView(EnrolmentLinksMixin, InspectView):
    """One enrolment: the learner, the session, the status and its dates."""

    any_permission_required = ["view"]
    page_title = _("Enrolment")
    labels = {
        "learner_name": _("Learner"),
        "learner_email": _("Email"),
        "organisation": _("Organisation"),
        "course": _("Course"),
        "session": _("Session start (Casablanca)"),
        "venue": _("Venue"),
        "status": _("Status"),
        "waitlist_place": _("Position on the waiting list"),
        "queued_at": _("Enrolled at"),
        "confirmed_at": _("Confirmed at"),
        "cancelled_at": _("Cancelled at"),
    }

    def get_fields(self):
        return list(self.labels)

    def get_object(self, queryset=None):
        queryset = with_listing_fields(visible_enrolments(self.request.user)).select_related(
            "learner__profile", "session__institute", "session__course__institute"
        )
        queryset = with_may_act(queryset, self.request.user)
        return get_object_or_404(queryset, pk=self.pk)

    def get_page_subtitle(self):
        return self.object.learner_name

    def get_field_label(self, field_name, field):
        return self.labels[field_name]

    def get_field_display_value(self, field_name, field):
        enrolment = self.object
        profile = getattr(enrolment.learner, "profile", None)
        venue = enrolment.session.venue
        values = {
            "learner_name": enrolment.learner_name,
            "learner_email": enrolment.learner_email,
            "organisation": profile.organisation if profile else "",
            "course": enrolment.course_title,
            "session": format_casablanca(enrolment.session_starts_at),
            "venue": venue.title if venue else "",
            "status": enrolment.get_status_display(),
            "waitlist_place": enrolment.waitlist_place,
            "queued_at": format_casablanca(enrolment.queued_at),
            "confirmed_at": format_casablanca(enrolment.confirmed_at),
            "cancelled_at": format_casablanca(enrolment.cancelled_at),
        }
        value = values[field_name]
        return "—" if value in (None, "") else value

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button(_("History"), url=self.history_url(self.object), icon_name="history"),
            Button(
                _("Session overview"),
                url=self.session_url(self.object.session_id),
                icon_name="calendar",
            ),
        ]
        if self.object.status == EnrolmentStatus.WAITLISTED and self.object.may_act:
            buttons.insert(
                0,
                Button(
                    _("Promote"),
                    url=self.promote_url(self.object, self.request.get_full_path()),
                    icon_name="arrow-up",
                ),
            )
        return buttons


class EnrolmentHistoryView(EnrolmentLinksMixin, HistoryView):
    """Who did what, and when: the audit entries `jazari.audit` writes."""

    any_permission_required = ["view"]

    def get_base_object_queryset(self):
        return with_listing_fields(visible_enrolments(self.request.user))

    def get_page_subtitle(self):
        return f"{self.object.learner_name} — {self.object.session}"

    def get_edit_url(self, instance):
        # Enrolments have no edit form: the history's links lead to the details.
        return self.detail_url(instance)

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(_("Details"), url=self.detail_url(self.object), icon_name="info-circle")
        ]


class EnrolmentObjectMixin(EnrolmentLinksMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """Views of one session or enrolment outside the generic views; same permission rules."""

    model = Enrolment
    permission_required = "view"
    index_url_name = None

    @cached_property
    def permission_policy(self):
        return enrolment_permission_policy

    def index_breadcrumb(self):
        return {"url": reverse(self.index_url_name), "label": _("Enrolments")}


class SessionOverviewView(EnrolmentObjectMixin, TemplateView):
    """One session: capacity, seats taken, the learners holding them and the waiting list."""

    template_name = "learners/admin/session_overview.html"
    header_icon = "calendar"
    page_title = _("Session")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.session = get_object_or_404(
            visible_sessions(request.user).select_related(
                "course", "institute", "course__institute"
            ),
            pk=kwargs["session_id"],
        )

    def get_page_subtitle(self):
        return f"{self.session.course.title} — {format_casablanca(self.session.starts_at)}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            self.index_breadcrumb(),
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        held, waiting = seat_counts(session.pk)
        enrolments = with_listing_fields(Enrolment.objects.filter(session=session))
        page_permissions = session.course.permissions_for_user(self.request.user)
        context.update(
            {
                "session": session,
                "starts_at": format_casablanca(session.starts_at),
                "ends_at": format_casablanca(session.ends_at),
                "venue": session.venue,
                "capacity": session.capacity,
                "held": held,
                "waiting": waiting,
                "seats_left": max(session.capacity - held, 0),
                "seat_holders": enrolments.holding_seats().order_by("confirmed_at", "queued_at"),
                "waiting_list": [
                    (enrolment, format_casablanca(enrolment.queued_at))
                    for enrolment in enrolments.waitlisted()
                ],
                "listing_url": f"{reverse(self.index_url_name)}?session={session.pk}",
                "course_edit_url": (
                    reverse("wagtailadmin_pages:edit", args=[session.course_id])
                    if page_permissions.can_edit()
                    else None
                ),
                "promote_next": self.request.get_full_path(),
                "may_act": can_manage_session(self.request.user, session),
                # Messages to participants (learners/admin/messages.py).
                "sent_messages": sent_messages(session.pk),
                "write_url": self.messages_url(session.pk),
            }
        )
        return context


class PromoteView(EnrolmentObjectMixin, TemplateView):
    """Give a free seat to one waitlisted learner, ahead of the line (GET asks, POST does)."""

    template_name = "learners/admin/promote_confirm.html"
    permission_required = MANAGE
    header_icon = "arrow-up"
    page_title = _("Promote from the waiting list")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            with_listing_fields(manageable_enrolments(request.user)), pk=kwargs["pk"]
        )
        self.next_url = get_valid_next_url_from_request(request) or self.session_url(
            self.object.session_id
        )

    def get_page_subtitle(self):
        return self.object.learner_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            self.index_breadcrumb(),
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "enrolment": self.object,
                "session_start": format_casablanca(self.object.session_starts_at),
                "next_url": self.next_url,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            promote_by_hand(self.object.pk, actor=request.user)
        except DomainError as error:  # a rule refused, or the session is busy
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(learner)s has a seat in the session now.")
                % {"learner": self.object.learner_name},
            )
        return redirect(self.next_url)
