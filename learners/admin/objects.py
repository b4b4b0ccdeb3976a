"""Views of one enrolment or one session: details, history, session overview (with its meetings'
attendance and the completions to confirm), promote by hand, record a meeting's attendance,
confirm completions.

Details, history and the session overview show what the user may see (`visible_enrolments`,
`visible_sessions`: programme managers see every institute's); promoting, recording attendance
and confirming completions need the "manage" action and an enrolment or session the user may
act on (`manageable_enrolments`, `manageable_sessions`).
"""

from django.contrib import messages as django_messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton

from courses.models import Meeting
from courses.permissions import (
    can_manage_session,
    can_take_attendance,
    manageable_sessions,
    visible_sessions,
)
from enrolments.models import AttendanceMethod, Enrolment, EnrolmentStatus
from enrolments.permissions import manageable_enrolments, visible_enrolments, with_may_act
from enrolments.services.attendance import record
from enrolments.services.completion import (
    confirm_completions,
    has_ended,
    proposed_completions,
)
from enrolments.services.counts import seat_counts
from enrolments.services.messages import sent_messages
from enrolments.services.waitlist import promote_by_hand
from jazari.errors import DomainError
from jazari.time import format_casablanca
from learners.admin.attendance import ABSENT, PRESENT, meeting_label, meeting_sections
from learners.admin.bulk import refusal_list
from learners.admin.links import EnrolmentLinksMixin, url_for
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
    """One session: capacity, seats taken, the learners holding them and the waiting list; each
    meeting's attendance (and, to those who may act, a form recording it); once it has ended,
    the learners the course's rule proposes as completed."""

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
        now = timezone.now()
        held, waiting = seat_counts(session.pk)
        enrolments = with_listing_fields(Enrolment.objects.filter(session=session))
        page_permissions = session.course.permissions_for_user(self.request.user)
        may_act = can_manage_session(self.request.user, session)
        seat_holders = list(enrolments.holding_seats().order_by("confirmed_at", "queued_at", "pk"))
        meetings = meeting_sections(session, seat_holders, may_act=may_act, now=now)
        proposed = {enrolment.pk for enrolment in proposed_completions(session, now=now)}
        for holder in seat_holders:
            holder.proposed = holder.pk in proposed
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
                "seat_holders": seat_holders,
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
                "may_act": may_act,
                "takes_attendance": can_take_attendance(self.request.user, session),
                "meetings": meetings,
                "meetings_count": len(meetings),
                "present": PRESENT,
                "absent": ABSENT,
                "ended": has_ended(session, now),
                "proposals": [holder for holder in seat_holders if holder.proposed],
                "completion_threshold": session.course.completion_threshold,
                "completion_automatic": session.course.completion_automatic,
                "complete_url": url_for("complete", session.pk),
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


class MeetingAttendanceView(EnrolmentObjectMixin, View):
    """Record one meeting's attendance for every seat holder at once (POST from the overview).

    Only the rows the editor changed are recorded: the form carries what each row was
    (`was-<id>`), so a learner checked in after the form was loaded is not overwritten by it.
    Each change goes through `record`, by way of the admin; refusals are reported by name.
    """

    permission_required = MANAGE
    http_method_names = ["post"]

    def post(self, request, session_id, meeting_id):
        session = get_object_or_404(manageable_sessions(request.user), pk=session_id)
        meeting = get_object_or_404(Meeting, pk=meeting_id, session_id=session.pk)
        changes = {}
        for name, value in request.POST.items():
            enrolment_id = name.removeprefix("enrolment-")
            if enrolment_id == name or not enrolment_id.isdigit() or len(enrolment_id) > 18:
                continue
            if value in (PRESENT, ABSENT) and request.POST.get(f"was-{enrolment_id}") != value:
                changes[int(enrolment_id)] = value == PRESENT
        names = dict(
            _seat_holders(session).filter(pk__in=changes).values_list("pk", "learner_name")
        )
        done, refused = 0, []
        for enrolment_id, present in changes.items():
            if enrolment_id not in names:  # not a seat holder of this session: ignored
                continue
            try:
                record(
                    enrolment_id,
                    meeting.pk,
                    present,
                    actor=request.user,
                    method=AttendanceMethod.ADMIN,
                )
            except DomainError as error:  # a rule refused, or the session is busy
                refused.append((names[enrolment_id], error.message))
            else:
                done += 1
        if done:
            messages.success(
                request,
                ngettext(
                    "Meeting of %(meeting)s: %(count)d change recorded.",
                    "Meeting of %(meeting)s: %(count)d changes recorded.",
                    done,
                )
                % {"count": done, "meeting": meeting_label(meeting)},
            )
        elif not refused:
            messages.info(request, _("Nothing was changed."))
        report_refused(request, refused)
        return redirect(f"{url_for('session', session.pk)}#meeting-{meeting.pk}")


class ConfirmCompletionsView(EnrolmentObjectMixin, View):
    """Complete, in one action, every learner the course's rule proposes (POST, may act only)."""

    permission_required = MANAGE
    http_method_names = ["post"]

    def post(self, request, session_id):
        session = get_object_or_404(manageable_sessions(request.user), pk=session_id)
        try:
            result = confirm_completions(session.pk, actor=request.user)
        except DomainError as error:  # not ended, cancelled, or busy
            messages.error(request, error.message)
            return redirect(f"{url_for('session', session.pk)}#completion")
        if result.done:
            messages.success(
                request,
                ngettext(
                    "%(count)d learner completed the session.",
                    "%(count)d learners completed the session.",
                    len(result.done),
                )
                % {"count": len(result.done)},
            )
        elif not result.refused:
            messages.info(request, _("No learner is proposed for completion."))
        names = dict(
            _seat_holders(session)
            .filter(pk__in=[enrolment.pk for enrolment, _reason in result.refused])
            .values_list("pk", "learner_name")
        )
        report_refused(request, [(names[e.pk], reason) for e, reason in result.refused])
        return redirect(f"{url_for('session', session.pk)}#completion")


def _seat_holders(session):
    """The session's seat holders, named as the enrolments area names them (`learner_name`)."""
    return with_listing_fields(Enrolment.objects.filter(session=session)).holding_seats()


def report_refused(request, refused):
    """One error message listing each learner left unchanged, and why; none if none was."""
    if not refused:
        return
    summary = ngettext(
        "%(count)d learner was left unchanged:",
        "%(count)d learners were left unchanged:",
        len(refused),
    ) % {"count": len(refused)}
    django_messages.error(request, messages.render(summary, None, detail=refusal_list(refused)))
