"""The catalogue's filters, validated by django-filter from the query string.

Course-level filters (skill, category, level, format, institute, region, language, audience,
free text) narrow the courses directly. Session-level filters (mode, date range, free seats)
are combined into one condition on a single upcoming session, so "online or hybrid, in March,
with free seats" means one session that is (online or hybrid) and in March and has free seats.

A facet's parameter may be repeated: its values combine with OR (`?level=beginner&level=advanced`
is beginner or advanced courses), different facets with AND. Each is one `IN` condition, so the
queries don't grow with the number of values.
"""

from functools import reduce
from operator import and_

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelMultipleChoiceField, MultipleChoiceField

from courses.models import (
    Audience,
    CourseFormat,
    CourseLevel,
    CoursePage,
    CourseSkill,
    Language,
    Session,
    SessionMode,
)
from institutes.models import InstitutePage
from institutes.regions import Region
from jazari.search import MAX_QUERY_LENGTH, MAX_RESULTS, clean_query
from skills.models import Skill, SkillCategory


def search_course_ids(query):
    """Ids of the original live courses matching `query` (whole words, or the start of a title
    word) in any of their languages: an Arabic query finds the course by its translation."""
    query = clean_query(query)
    if not query:
        return []
    courses = CoursePage.objects.live()
    keys = {course.translation_key for course in courses.search(query)[:MAX_RESULTS]}
    keys |= {course.translation_key for course in courses.autocomplete(query)[:MAX_RESULTS]}
    if not keys:
        return []
    return list(
        CoursePage.objects.originals().filter(translation_key__in=keys).values_list("pk", flat=True)
    )


# Repeated parameters


def invalid_value_error(field, value):
    """The error for one value of a repeated parameter, naming it (`params["value"]`) so that
    the catalogue can drop that value alone and still apply the others."""
    return ValidationError(
        field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
    )


def without_blanks(values):
    """The values of a repeated parameter but the empty ones (`?level=&level=beginner`)."""
    if not isinstance(values, (list, tuple)):
        return values  # not a list: the field says so
    return [value for value in values if value not in ("", None)]


class AnyOfChoiceField(MultipleChoiceField):
    """Values of a repeated parameter among fixed choices, blanks ignored; every invalid value
    is reported, not only the first (Django stops at the first)."""

    def to_python(self, value):
        return super().to_python(without_blanks(value))

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        invalid = [v for v in value if not self.valid_value(v)]
        if invalid:
            raise ValidationError([invalid_value_error(self, v) for v in invalid])


class AnyOfModelChoiceField(ModelMultipleChoiceField):
    """Objects named by a repeated parameter (by `to_field_name`), read in one query however
    many values, blanks ignored; every unknown value is reported. Cleans to a list, empty when
    absent."""

    def clean(self, value):
        value = without_blanks(value)
        return super().clean(value) if value else []

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        values = list(dict.fromkeys(str(v) for v in value))
        # A NUL can't be sent to PostgreSQL; such a value is simply unknown.
        usable = [v for v in values if "\x00" not in v]
        objects = list(self.queryset.filter(**{f"{key}__in": usable})) if usable else []
        known = {str(getattr(obj, key)) for obj in objects}
        invalid = [v for v in values if v not in known]
        if invalid:
            raise ValidationError([invalid_value_error(self, v) for v in invalid])
        return objects


class AnyOfMixin:
    """A filter whose repeated values combine with OR, as one `field__in` condition (without
    the DISTINCT that django-filter adds by default: no join multiplies the rows here)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return self.get_method(qs)(**{f"{self.field_name}__in": value})


class AnyOfChoiceFilter(AnyOfMixin, django_filters.MultipleChoiceFilter):
    field_class = AnyOfChoiceField


class AnyOfModelChoiceFilter(AnyOfMixin, django_filters.ModelMultipleChoiceFilter):
    field_class = AnyOfModelChoiceField


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=MAX_QUERY_LENGTH)
    skill = AnyOfModelChoiceFilter(
        label=_("Skill"),
        queryset=Skill.objects.originals(),
        to_field_name="slug",
        method="filter_skill",
    )
    category = AnyOfModelChoiceFilter(
        label=_("Skill category"),
        queryset=SkillCategory.objects.originals(),
        to_field_name="slug",
        method="filter_category",
    )
    level = AnyOfChoiceFilter(label=_("Level"), choices=CourseLevel.choices)
    format = AnyOfChoiceFilter(label=_("Format"), choices=CourseFormat.choices)
    institute = AnyOfModelChoiceFilter(
        label=_("Institute"),
        queryset=InstitutePage.objects.live().originals(),
        to_field_name="slug",
        field_name="institute",
    )
    region = AnyOfChoiceFilter(
        label=_("Region"), choices=Region.choices, field_name="institute__region"
    )
    language = AnyOfModelChoiceFilter(
        label=_("Language"),
        queryset=Language.objects.all(),
        to_field_name="code",
        method="filter_language",
    )
    audience = AnyOfModelChoiceFilter(
        label=_("Audience"),
        queryset=Audience.objects.originals(),
        to_field_name="slug",
        method="filter_audience",
    )
    mode = AnyOfChoiceFilter(label=_("Mode"), choices=SessionMode.choices, method="filter_session")
    starts_after = django_filters.DateFilter(
        label=_("From"),
        method="filter_session",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    starts_before = django_filters.DateFilter(
        label=_("Until"),
        method="filter_session",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    free = django_filters.BooleanFilter(
        label=_("Has free seats"),
        method="filter_session",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = CoursePage
        fields = []

    # Course-level filters
    def filter_q(self, queryset, name, value):
        return queryset.filter(pk__in=search_course_ids(value)) if value else queryset

    # The values of a repeated parameter arrive as a list: a course teaching any of them.
    def filter_skill(self, queryset, name, value):
        return queryset.filter(
            Exists(CourseSkill.objects.filter(course=OuterRef("pk"), skill__in=value))
        )

    def filter_category(self, queryset, name, value):
        return queryset.filter(
            Exists(CourseSkill.objects.filter(course=OuterRef("pk"), skill__category__in=value))
        )

    def filter_language(self, queryset, name, value):
        through = CoursePage.languages.through
        return queryset.filter(
            Exists(through.objects.filter(coursepage=OuterRef("pk"), language__in=value))
        )

    def filter_audience(self, queryset, name, value):
        through = CoursePage.audiences.through
        return queryset.filter(
            Exists(through.objects.filter(coursepage=OuterRef("pk"), audience__in=value))
        )

    # Session-level filters are applied together in filter_queryset.
    def filter_session(self, queryset, name, value):
        return queryset

    def session_conditions(self):
        """A Q over one upcoming session for the session filters in use, or None: its mode is
        one of those asked for, it starts in the date range, it has a free seat."""
        data = self.form.cleaned_data
        conditions = [
            Q(mode__in=data["mode"]) if data.get("mode") else None,
            self.start_conditions(data),
            Q(confirmed_count__lt=F("capacity")) if data.get("free") else None,
        ]
        used = [condition for condition in conditions if condition is not None]
        return reduce(and_, used) if used else None

    def start_conditions(self, data):
        """A Q on the session's start for `starts_after` and `starts_before`, or None."""
        conditions = Q()
        if data.get("starts_after"):
            conditions &= Q(starts_at__date__gte=data["starts_after"])
        if data.get("starts_before"):
            conditions &= Q(starts_at__date__lte=data["starts_before"])
        return conditions or None

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        conditions = self.session_conditions()
        if conditions is not None:
            sessions = Session.objects.upcoming(timezone.now()).filter(
                conditions, course=OuterRef("pk")
            )
            queryset = queryset.filter(Exists(sessions))
        return queryset
