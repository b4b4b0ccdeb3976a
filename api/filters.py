"""Query-string filters of the API, validated by django-filter.

The facets of the sessions and courses lists (`skill`, `level`, `format`, `institute`,
`mode`, `language`, …) may be repeated: `?level=beginner&level=advanced` means either level,
as in the catalogue; different parameters combine with AND.

An invalid value (an unknown slug, a bad date, a choice that doesn't exist) is a 400
`{"detail": "<parameter>: <message>"}` naming the value, raised by `DjangoFilterBackend`;
empty values are ignored. Unknown parameters are ignored.
"""

import re
from datetime import UTC, date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from courses.filters import (
    AnyOfChoiceFilter,
    AnyOfModelChoiceFilter,
    CatalogueFilter,
    search_course_ids,
)
from courses.models import (
    TEACHING_LANGUAGES,
    CourseFormat,
    CourseLevel,
    CourseSkill,
    Session,
    SessionMode,
)
from enrolments.models import Enrolment, EnrolmentStatus
from institutes.models import InstitutePage
from institutes.regions import Region
from jazari.search import MAX_QUERY_LENGTH
from jazari.time import CASABLANCA
from skills.models import Skill, SkillCategory

# `+01:00` sent unencoded in a query string arrives as ` 01:00`: put the plus sign back.
_SPACE_OFFSET = re.compile(r" (\d{2}(?::?\d{2})?)$")


class Moment:
    """A date (a whole day in Africa/Casablanca) or an instant, from `starts_after`/`_before`."""

    def __init__(self, value):
        self.value = value

    @property
    def is_date(self):
        return not isinstance(self.value, datetime)

    def local_day_start(self, day):
        return timezone.make_aware(datetime.combine(day, time.min), CASABLANCA)

    def lower_bound(self):
        """The first instant included by "starts after": the day's midnight, or the instant."""
        return self.local_day_start(self.value) if self.is_date else self.value

    def upper_bound(self):
        """The first instant excluded by "starts before": the next midnight, or the instant."""
        if self.is_date:
            return self.local_day_start(self.value + timedelta(days=1))
        return self.value


class MomentField(forms.Field):
    """An ISO 8601 date (`2026-03-01`) or date and time (`2026-03-01T09:00:00+01:00`).

    A date and time without an offset is read in Africa/Casablanca.
    """

    default_error_messages = {
        "invalid": _(
            "Enter an ISO 8601 date (2026-03-01) or date and time (2026-03-01T09:00:00+01:00)."
        ),
        "range": _("Enter a date between the years 1900 and 9998."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        text = _SPACE_OFFSET.sub(r"+\1", text)
        try:
            parsed = parse_date(text) if len(text) <= 10 else parse_datetime(text)
        except ValueError:  # well formed but impossible, e.g. 2026-02-30
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not 1900 <= parsed.year <= 9998:
            raise forms.ValidationError(self.error_messages["range"], code="range")
        if isinstance(parsed, datetime):
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed, CASABLANCA)
            parsed = parsed.astimezone(UTC)
        elif not isinstance(parsed, date):  # pragma: no cover - parse_date returns dates
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return Moment(parsed)


class MomentFilter(django_filters.Filter):
    field_class = MomentField


def _documented(filter_, **schema):
    """`filter_` documented as a string parameter with its help text (not an enum of the data);
    a repeatable filter becomes an array of such strings, sent as repeated parameters."""
    schema = {"type": "string", "description": filter_.extra.get("help_text", ""), **schema}
    return extend_schema_field(schema)(filter_)


def _slug_filter(**kwargs):
    """A model choice by slug."""
    return _documented(django_filters.ModelChoiceFilter(**kwargs))


def _slugs_filter(**kwargs):
    """Model choices by slug, the parameter repeated for any of several."""
    return _documented(AnyOfModelChoiceFilter(**kwargs))


REPEAT = " Repeat the parameter for any of several."


def _moment_filter(help_text, method):
    return _documented(MomentFilter(method=method, help_text=help_text), example="2026-03-01")


def _start_conditions(data):
    """A Q on `starts_at` for `starts_after` (inclusive) and `starts_before`."""
    conditions = Q()
    after, before = data.get("starts_after"), data.get("starts_before")
    if after is not None:
        conditions &= Q(starts_at__gte=after.lower_bound())
    if before is not None:
        conditions &= (
            Q(starts_at__lt=before.upper_bound())
            if before.is_date
            else Q(starts_at__lte=before.upper_bound())
        )
    return conditions


STARTS_AFTER_HELP = (
    "Sessions starting on or after this ISO 8601 date (a day in Africa/Casablanca) or date "
    "and time (`2026-03-01T09:00:00+01:00`; without an offset, Africa/Casablanca time)."
)
STARTS_BEFORE_HELP = (
    "Sessions starting on or before this ISO 8601 date (the whole day, in Africa/Casablanca) "
    "or date and time."
)


class SessionFilter(django_filters.FilterSet):
    """Filters of `GET /api/v1/sessions/`."""

    skill = _slugs_filter(
        queryset=Skill.objects.originals(),
        to_field_name="slug",
        method="filter_skill",
        help_text="Slug of a skill the course teaches (see /api/v1/skills/)." + REPEAT,
    )
    level = AnyOfChoiceFilter(
        choices=CourseLevel.choices,
        field_name="course__level",
        help_text="Level of the course." + REPEAT,
    )
    format = AnyOfChoiceFilter(
        choices=CourseFormat.choices,
        field_name="course__format",
        help_text="Format of the course." + REPEAT,
    )
    institute = _slugs_filter(
        queryset=InstitutePage.objects.live().originals(),
        to_field_name="slug",
        method="filter_institute",
        help_text=(
            "Slug of an institute (see /api/v1/institutes/): sessions held there or organised "
            "by it." + REPEAT
        ),
    )
    mode = AnyOfChoiceFilter(
        choices=SessionMode.choices, help_text="In person, online or hybrid." + REPEAT
    )
    language = AnyOfChoiceFilter(
        choices=TEACHING_LANGUAGES, help_text="Language the session is taught in." + REPEAT
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        help_text="Words searched in the courses' titles, summaries, descriptions and skills.",
    )
    starts_after = _moment_filter(STARTS_AFTER_HELP, "filter_starts")
    starts_before = _moment_filter(STARTS_BEFORE_HELP, "filter_starts")

    class Meta:
        model = Session
        fields = []

    # A repeated parameter's values arrive as a list: any of them.
    def filter_skill(self, queryset, name, value):
        return queryset.filter(
            Exists(CourseSkill.objects.filter(course=OuterRef("course_id"), skill__in=value))
        )

    def filter_institute(self, queryset, name, value):
        return queryset.filter(Q(institute__in=value) | Q(course__institute__in=value))

    def filter_q(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(course_id__in=search_course_ids(value))

    def filter_starts(self, queryset, name, value):
        return queryset  # both bounds are applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.filter(_start_conditions(self.form.cleaned_data))


class CourseFilter(CatalogueFilter):
    """Filters of `GET /api/v1/courses/`: the catalogue's, with ISO 8601 dates and times.

    Session-level filters (`mode`, `starts_after`, `starts_before`, `free`) select courses
    with one upcoming session that meets them all (`mode` repeated: one of those modes).
    """

    skill = _slugs_filter(
        queryset=Skill.objects.originals(),
        to_field_name="slug",
        method="filter_skill",
        help_text="Slug of a skill the course teaches." + REPEAT,
    )
    category = _slugs_filter(
        queryset=SkillCategory.objects.originals(),
        to_field_name="slug",
        method="filter_category",
        help_text="Slug of a skill category: courses teaching one of its skills." + REPEAT,
    )
    institute = _slugs_filter(
        queryset=InstitutePage.objects.live().originals(),
        to_field_name="slug",
        field_name="institute",
        help_text="Slug of the organising institute." + REPEAT,
    )
    language = _slugs_filter(
        queryset=CatalogueFilter.base_filters["language"].queryset,
        to_field_name="code",
        method="filter_language",
        help_text="Code of a teaching language of the course (fr, ar, en, zgh)." + REPEAT,
    )
    audience = _slugs_filter(
        queryset=CatalogueFilter.base_filters["audience"].queryset,
        to_field_name="slug",
        method="filter_audience",
        help_text="Slug of an audience the course is for." + REPEAT,
    )
    starts_after = _moment_filter(STARTS_AFTER_HELP, "filter_session")
    starts_before = _moment_filter(STARTS_BEFORE_HELP, "filter_session")

    def start_conditions(self, data):
        """ISO 8601 dates (whole days in Africa/Casablanca) or instants, or None."""
        return _start_conditions(data) or None


class SkillFilter(django_filters.FilterSet):
    category = _slug_filter(
        queryset=SkillCategory.objects.originals(),
        to_field_name="slug",
        field_name="category",
        help_text="Slug of a skill category.",
    )

    class Meta:
        model = Skill
        fields = []


class InstituteFilter(django_filters.FilterSet):
    region = django_filters.ChoiceFilter(choices=Region.choices, help_text="Region code.")

    class Meta:
        model = InstitutePage
        fields = []


class EnrolmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=EnrolmentStatus.choices, help_text="Only enrolments with this status."
    )

    class Meta:
        model = Enrolment
        fields = []


# The open data's dimensions (reports.figures): every one but the learner's region, which
# would say too much of too few.
STATS_DIMENSIONS = (
    "region",
    "institute",
    "skill",
    "category",
    "format",
    "mode",
    "audience",
    "language",
    "month",
)


class StatsQuery(forms.Form):
    """The query string of `GET /api/v1/stats/`."""

    by = forms.CharField(required=False, max_length=40)
    starts_after = MomentField(required=False)
    starts_before = MomentField(required=False)

    def clean_by(self):
        by = self.cleaned_data.get("by") or "region"
        if by not in STATS_DIMENSIONS:
            raise forms.ValidationError(
                _("Unknown dimension %(value)s: choose one of %(choices)s.")
                % {"value": by, "choices": ", ".join(STATS_DIMENSIONS)}
            )
        return by

    def clean(self):
        data = super().clean()
        after, before = data.get("starts_after"), data.get("starts_before")
        lower = after.lower_bound() if after is not None else None
        upper = before.upper_bound() if before is not None else None
        if before is not None and not before.is_date:
            upper = upper + timedelta(microseconds=1)  # the instant itself is included
        if lower is not None and upper is not None and upper <= lower:
            raise forms.ValidationError(_("starts_after comes after starts_before."))
        data["start"], data["end"] = lower, upper
        return data
