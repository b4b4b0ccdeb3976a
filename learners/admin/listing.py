"""The enrolments listing: filters, search, columns, CSV/XLSX export, and the fields it shows.

`with_listing_fields` is the one queryset of what an enrolment shows in this area (learner name,
course, session start, position on the waiting list); the details, the session overview and the
bulk actions use it too.
"""

import django_filters
from django.db.models import (
    CharField,
    F,
    Q,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import HeaderButton

from courses.permissions import visible_courses, visible_sessions
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.permissions import visible_enrolments, with_may_act
from institutes.permissions import visible_institutes
from jazari.spreadsheets import SpreadsheetRulesMixin
from jazari.staff import require_recent_authentication
from jazari.time import format_casablanca
from learners.admin.links import EnrolmentLinksMixin
from learners.permissions import MANAGE, enrolment_permission_policy

# Searched with icontains: learners are found by name or email address.
SEARCH_FIELDS = ["learner__profile__full_name", "learner__email"]


def with_listing_fields(queryset):
    """Annotate the values the listing, export and details show, in a fixed number of queries.

    `waitlist_place` is the place in the session's waiting list (1 = next in line),
    independently of any filter applied to the listing.
    """
    return (
        queryset.with_waitlist_place()
        .select_related("learner", "session__course")
        .annotate(
            learner_name=Coalesce(
                NullIf(F("learner__profile__full_name"), Value("")),
                NullIf(F("learner__email"), Value("")),
                F("learner__username"),
                output_field=CharField(),
            ),
            learner_email=F("learner__email"),
            course_title=F("session__course__title"),
            session_starts_at=F("session__starts_at"),
        )
    )


def search_enrolments(queryset, query):
    """The listing's search: learner name or email address contains `query`."""
    condition = Q()
    for field in SEARCH_FIELDS:
        condition |= Q(**{f"{field}__icontains": query})
    return queryset.filter(condition)


# Listing filters: the choices offered are limited to what the user may see.


def _courses(request):
    return visible_courses(request.user).order_by("title")


def _sessions(request):
    return visible_sessions(request.user).select_related("course").order_by("-starts_at")


def _institutes(request):
    return visible_institutes(request.user).order_by("title")


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


class InvalidFilters(Exception):
    """The query string's filters select nothing: a value is unknown, or not the user's."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors  # "Label: reason", one per invalid filter

    @property
    def message(self):
        return _(
            "The listing's filters are not valid, so no enrolment was selected: %(errors)s"
        ) % {"errors": " ".join(self.errors)}


def filtered_listing(request, queryset):
    """The enrolments of `queryset` that the listing shows for `request`'s filters and search
    (for bulk "all", from the enrolments the user may act on).

    Raises `InvalidFilters` when a filter's value is invalid (an unknown session, another
    institute's course…): acting on everything visible instead would surprise the editor.
    """
    filters = EnrolmentFilterSet(request.GET, queryset=queryset, request=request)
    if not filters.is_valid():
        raise InvalidFilters(
            [
                " ".join(errors)
                if name not in filters.form.fields
                else f"{filters.form.fields[name].label}: {' '.join(errors)}"
                for name, errors in filters.form.errors.items()
            ]
        )
    queryset = filters.qs
    query = request.GET.get("q", "").strip()
    if query:
        queryset = search_enrolments(queryset, query)
    return queryset


class EnrolmentIndexView(EnrolmentLinksMixin, SpreadsheetRulesMixin, IndexView):
    """The listing: filters, search, export, and the bulk actions footer.

    The exports follow the site's spreadsheet rules (`jazari.spreadsheets`): UTF-8 with a byte
    order mark, no formulas, times in Casablanca.
    """

    any_permission_required = ["view"]
    template_name = "learners/admin/enrolment_index.html"
    default_ordering = None  # sessions, latest first; within a session, arrival order

    def get(self, request, *args, **kwargs):
        if self.is_export:  # learners' personal data leaves the site: a recent log-in first
            require_recent_authentication(request)
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        queryset = with_listing_fields(visible_enrolments(self.request.user))
        return with_may_act(queryset, self.request.user).order_by(
            "-session__starts_at", "session_id", "queued_at", "pk"
        )

    @cached_property
    def may_act(self):
        """Whether the user acts on some enrolments (bulk actions); programme managers don't."""
        return enrolment_permission_policy.user_has_permission(self.request.user, MANAGE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_act"] = self.may_act
        return context

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        checkboxes = [BulkActionsCheckboxColumn("bulk_actions", obj_type="enrolment")]
        return [
            *(checkboxes if self.may_act else []),
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
            Column("waitlist_place", label=_("Waiting list"), sort_key="waitlist_place"),
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
        if instance.status == EnrolmentStatus.WAITLISTED and instance.may_act:
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
