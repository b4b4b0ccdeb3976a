"""The enrolments area of the Wagtail admin: who enrolled where, and what organisers do about it.

- a listing with filters, search and CSV/XLSX export, and bulk actions on the selected rows
  (attended, no-show, completed, cancel);
- an enrolment's details and its history (the audit entries written by the services);
- a per-session page: capacity, seats taken, the waiting list in order, promote by hand.

Every view starts from `learners.permissions.visible_enrolments(request.user)`, so an editor of
one institute never reaches another institute's learners, whatever the URL; every change goes
through `enrolments.services`. The viewset that wires these views is in `wagtail_hooks.py`.
"""

from urllib.parse import urlencode

import django_filters
from django.contrib import messages as django_messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.widgets.button import Button, HeaderButton

from courses.permissions import manageable_courses, manageable_sessions
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.permissions import visible_enrolments
from enrolments.services.attendance import mark
from enrolments.services.counts import seat_counts
from enrolments.services.enrolment import cancel
from enrolments.services.waitlist import promote_by_hand
from institutes.permissions import editable_institutes
from jazari.errors import DomainError
from jazari.time import format_casablanca, naive_casablanca
from learners.permissions import enrolment_permission_policy

# URL namespace of the enrolments area (`/admin/enrolments/`), see EnrolmentViewSet.
NAMESPACE = "enrolments"
# Searched with icontains: learners are found by name or email address.
SEARCH_FIELDS = ["learner__profile__full_name", "learner__email"]


def url_for(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=[quote(arg) for arg in args])


def with_listing_fields(queryset):
    """Annotate the values the listing, export and details show, in a fixed number of queries.

    `waitlist_position` counts the waiting learners ahead in the same session (1 = next in
    line), independently of any filter applied to the listing.
    """
    ahead = (
        Enrolment.objects.filter(
            session_id=OuterRef("session_id"), status=EnrolmentStatus.WAITLISTED
        )
        .filter(
            Q(queued_at__lt=OuterRef("queued_at"))
            | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.select_related("learner", "session__course").annotate(
        learner_name=Coalesce(
            NullIf(F("learner__profile__full_name"), Value("")),
            NullIf(F("learner__email"), Value("")),
            F("learner__username"),
            output_field=CharField(),
        ),
        learner_email=F("learner__email"),
        course_title=F("session__course__title"),
        session_starts_at=F("session__starts_at"),
        waitlist_position=Case(
            When(
                status=EnrolmentStatus.WAITLISTED,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        ),
    )


def search_enrolments(queryset, query):
    """The listing's search: learner name or email address contains `query`."""
    condition = Q()
    for field in SEARCH_FIELDS:
        condition |= Q(**{f"{field}__icontains": query})
    return queryset.filter(condition)


# Listing filters: the choices offered are limited to the user's own institutes.


def _courses(request):
    return manageable_courses(request.user).order_by("title")


def _sessions(request):
    return manageable_sessions(request.user).select_related("course").order_by("-starts_at")


def _institutes(request):
    return editable_institutes(request.user).order_by("title")


class EnrolmentFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), field_name="session__course", queryset=_courses
    )
    session = django_filters.ModelChoiceFilter(label=_("Session"), queryset=_sessions)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnrolmentStatus.choices)
    institute = django_filters.ModelChoiceFilter(
        label=_("Institute"), queryset=_institutes, method="filter_institute"
    )

    class Meta:
        model = Enrolment
        fields = []

    def filter_institute(self, queryset, name, value):
        """The institute hosts the session or organises its course."""
        if not value:
            return queryset
        return queryset.filter(Q(session__institute=value) | Q(session__course__institute=value))


def filtered_listing(request):
    """The enrolments the listing shows for `request`'s filters and search (for bulk "all")."""
    queryset = visible_enrolments(request.user)
    filters = EnrolmentFilterSet(request.GET, queryset=queryset, request=request)
    if filters.is_valid():
        queryset = filters.qs
    query = request.GET.get("q", "").strip()
    if query:
        queryset = search_enrolments(queryset, query)
    return queryset


class EnrolmentAdminURLFinder(ModelAdminURLFinder):
    """Links to an enrolment (e.g. from the site history) open its details, when visible."""

    edit_url_name = f"{NAMESPACE}:inspect"

    def get_edit_url(self, instance):
        if self.user and not enrolment_permission_policy.user_has_permission_for_instance(
            self.user, "view", instance
        ):
            return None
        return self.construct_edit_url(instance)


class EnrolmentLinksMixin:
    """URLs shared by the enrolment views; names are set by the viewset."""

    inspect_url_name = None
    history_url_name = None
    session_url_name = None
    promote_url_name = None

    def detail_url(self, enrolment):
        return reverse(self.inspect_url_name, args=(quote(enrolment.pk),))

    def history_url(self, enrolment):
        return reverse(self.history_url_name, args=(quote(enrolment.pk),))

    def session_url(self, session_id):
        return reverse(self.session_url_name, args=(quote(session_id),))

    def promote_url(self, enrolment, next_url=None):
        url = reverse(self.promote_url_name, args=(quote(enrolment.pk),))
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class EnrolmentIndexView(EnrolmentLinksMixin, IndexView):
    """The listing: filters, search, export, and the bulk actions footer."""

    any_permission_required = ["view"]
    template_name = "learners/admin/enrolment_index.html"
    default_ordering = None  # sessions, latest first; within a session, arrival order
    custom_field_preprocess = {
        field: {
            SpreadsheetExportMixin.FORMAT_CSV: lambda value: format_casablanca(
                value, "%Y-%m-%d %H:%M"
            ),
            SpreadsheetExportMixin.FORMAT_XLSX: naive_casablanca,
        }
        for field in ("session_starts_at", "queued_at")
    }

    def stream_csv(self, queryset):
        """Stream in the editor's admin language: the CSV is written after the view returns,
        when Wagtail's per-user language is no longer active."""
        language = translation.get_language()
        stream = super().stream_csv(queryset)

        def lines():
            while True:
                with translation.override(language):
                    line = next(stream, None)
                if line is None:
                    return
                yield line

        return lines()

    def get_base_queryset(self):
        return with_listing_fields(visible_enrolments(self.request.user)).order_by(
            "-session__starts_at", "session_id", "queued_at", "pk"
        )

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="enrolment"),
            title_column(
                "learner_name",
                label=_("Learner"),
                sort_key="learner_name",
                get_url=self.detail_url,
                get_title_id=lambda enrolment: f"enrolment_{enrolment.pk}_title",
            ),
            Column("learner_email", label=_("Email"), sort_key="learner_email"),
            Column("course_title", label=_("Course"), sort_key="course_title"),
            Column(
                "session_starts_at",
                label=_("Session start (Casablanca)"),
                sort_key="session_starts_at",
                accessor=lambda enrolment: format_casablanca(enrolment.session_starts_at),
            ),
            Column("status", label=_("Status"), sort_key="status", accessor="get_status_display"),
            Column("waitlist_position", label=_("Waiting list"), sort_key="waitlist_position"),
            Column(
                "queued_at",
                label=_("Enrolled at"),
                sort_key="queued_at",
                accessor=lambda enrolment: format_casablanca(enrolment.queued_at),
            ),
        ]

    def get_list_more_buttons(self, instance):
        buttons = [
            MenuItem(_("Details"), url=self.detail_url(instance), icon_name="info-circle"),
            MenuItem(_("History"), url=self.history_url(instance), icon_name="history"),
            MenuItem(
                _("Session overview"),
                url=self.session_url(instance.session_id),
                icon_name="calendar",
            ),
        ]
        if instance.status == EnrolmentStatus.WAITLISTED:
            buttons.insert(
                0,
                MenuItem(
                    _("Promote"),
                    url=self.promote_url(instance, self.request.get_full_path()),
                    icon_name="arrow-up",
                ),
            )
        return buttons

    @cached_property
    def filtered_session(self):
        """The session the listing is filtered by, if any."""
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("session")
        return None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.filtered_session:
            buttons.append(
                HeaderButton(
                    _("Session overview"),
                    url=self.session_url(self.filtered_session.pk),
                    icon_name="calendar",
                )
            )
        return buttons


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
        "waitlist_position": _("Position on the waiting list"),
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
            "waitlist_position": enrolment.waitlist_position,
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
        if self.object.status == EnrolmentStatus.WAITLISTED:
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
            manageable_sessions(request.user).select_related(
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
            }
        )
        return context


class PromoteView(EnrolmentObjectMixin, TemplateView):
    """Give a free seat to one waitlisted learner, ahead of the line (GET asks, POST does)."""

    template_name = "learners/admin/promote_confirm.html"
    header_icon = "arrow-up"
    page_title = _("Promote from the waiting list")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            with_listing_fields(visible_enrolments(request.user)), pk=kwargs["pk"]
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


# Bulk actions: /admin/bulk/learners/enrolment/<action>/?id=…, registered in wagtail_hooks.py.


class EnrolmentBulkAction(BulkAction):
    """Apply a service to each selected enrolment and tell the editor what was done or refused.

    Each enrolment is changed in its own transaction (the services lock one session at a time),
    in a fixed order (session, then enrolment), so a bulk action never holds two session locks.
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
        if not enrolment_permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        if not self.get_actionable_objects()[0]:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def _selected(self):
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            queryset = filtered_listing(self.request)
        else:
            queryset = visible_enrolments(self.request.user).filter(
                pk__in=[int(pk) for pk in ids if pk.isdigit()]
            )
        return list(with_listing_fields(queryset).order_by("session_id", "pk"))

    def get_actionable_objects(self):
        # Enrolments the user may not see are left out silently: naming them would leak them.
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
            detail = format_html(
                '<ul class="errorlist">{}</ul>',
                format_html_join(
                    "\n",
                    "<li>{} ({}): {}</li>",
                    (
                        (e.learner_name, format_casablanca(e.session_starts_at), reason)
                        for e, reason in refused
                    ),
                ),
            )
            django_messages.error(self.request, messages.render(summary, None, detail=detail))


class MarkBulkAction(EnrolmentBulkAction):
    status = None

    def apply(self, enrolment):
        mark(enrolment.pk, self.status, actor=self.request.user)


class MarkAttendedBulkAction(MarkBulkAction):
    display_name = _("Mark attended")
    aria_label = _("Mark the selected enrolments attended")
    action_type = "mark_attended"
    action_priority = 10
    status = EnrolmentStatus.ATTENDED
    done_message = ngettext_lazy(
        "%(count)d enrolment marked attended.", "%(count)d enrolments marked attended.", "count"
    )


class MarkNoShowBulkAction(MarkBulkAction):
    display_name = _("Mark no-show")
    aria_label = _("Mark the selected enrolments no-show")
    action_type = "mark_no_show"
    action_priority = 20
    status = EnrolmentStatus.NO_SHOW
    done_message = ngettext_lazy(
        "%(count)d enrolment marked no-show.", "%(count)d enrolments marked no-show.", "count"
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
