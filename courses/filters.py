"""The catalogue's filters, validated by django-filter from the query string.

Course-level filters (skill, category, level, format, institute, region, language, audience,
free text) narrow the courses directly. Session-level filters (mode, date range, free seats)
are combined into one condition on a single upcoming session, so "online, in March, with
free seats" means one session that is all three.
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    """Ids of live courses matching `query` (whole words, or the start of a title word)."""
    query = clean_query(query)
    if not query:
        return []
    courses = CoursePage.objects.live()
    ids = [course.pk for course in courses.search(query)[:MAX_RESULTS]]
    ids += [course.pk for course in courses.autocomplete(query)[:MAX_RESULTS]]
    return ids


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=MAX_QUERY_LENGTH)
    skill = django_filters.ModelChoiceFilter(
        label=_("Skill"), queryset=Skill.objects.all(), to_field_name="slug", method="filter_skill"
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Skill category"),
        queryset=SkillCategory.objects.all(),
        to_field_name="slug",
        method="filter_category",
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=CourseLevel.choices)
    format = django_filters.ChoiceFilter(label=_("Format"), choices=CourseFormat.choices)
    institute = django_filters.ModelChoiceFilter(
        label=_("Institute"),
        queryset=InstitutePage.objects.live(),
        to_field_name="slug",
        field_name="institute",
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, field_name="institute__region"
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        queryset=Language.objects.all(),
        to_field_name="code",
        method="filter_language",
    )
    audience = django_filters.ModelChoiceFilter(
        label=_("Audience"),
        queryset=Audience.objects.all(),
        to_field_name="slug",
        method="filter_audience",
    )
    mode = django_filters.ChoiceFilter(
        label=_("Mode"), choices=SessionMode.choices, method="filter_session"
    )
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

    def filter_skill(self, queryset, name, value):
        return queryset.filter(
            Exists(CourseSkill.objects.filter(course=OuterRef("pk"), skill=value))
        )

    def filter_category(self, queryset, name, value):
        return queryset.filter(
            Exists(CourseSkill.objects.filter(course=OuterRef("pk"), skill__category=value))
        )

    def filter_language(self, queryset, name, value):
        through = CoursePage.languages.through
        return queryset.filter(
            Exists(through.objects.filter(coursepage=OuterRef("pk"), language=value))
        )

    def filter_audience(self, queryset, name, value):
        through = CoursePage.audiences.through
        return queryset.filter(
            Exists(through.objects.filter(coursepage=OuterRef("pk"), audience=value))
        )

    # Session-level filters are applied together in filter_queryset.
    def filter_session(self, queryset, name, value):
        return queryset

    def session_conditions(self):
        """A Q over one upcoming session for the session filters in use, or None."""
        data = self.form.cleaned_data
        conditions = Q()
        used = False
        if data.get("mode"):
            conditions &= Q(mode=data["mode"])
            used = True
        if data.get("starts_after"):
            conditions &= Q(starts_at__date__gte=data["starts_after"])
            used = True
        if data.get("starts_before"):
            conditions &= Q(starts_at__date__lte=data["starts_before"])
            used = True
        if data.get("free"):
            conditions &= Q(confirmed_count__lt=F("capacity"))
            used = True
        return conditions if used else None

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        conditions = self.session_conditions()
        if conditions is not None:
            sessions = Session.objects.upcoming(timezone.now()).filter(
                conditions, course=OuterRef("pk")
            )
            queryset = queryset.filter(Exists(sessions))
        return queryset
