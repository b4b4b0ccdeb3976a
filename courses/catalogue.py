"""The catalogue at `/courses/`: filtered courses, facet counts, sorting and pagination.

A facet's parameter may be repeated, and its values combine with OR (`?level=beginner&
level=advanced`); different facets combine with AND. So every facet value shows how many
courses it would give with the other facets' filters kept and its own facet's left out
(disjunctive faceting: ticking one more level adds that level's courses). The URLs the page
links to are canonical, the same for every spelling of one page: parameters in a fixed order,
a facet's values sorted and without duplicates, empty and unknown parameters left out.

The number of SQL queries is fixed whatever the data size and the number of values: one per
facet, one count, one page of courses, and a few to prefetch what the page shows.

Facets and filters name the originals (a skill's slug is the same in every language); their
labels, and the cards' titles, summaries, institutes and skills, are in the reader's language
where a translation exists (`jazari.i18n.with_text`: one query per translated model, none in
French), else the original's, marked with its language.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from courses.filters import CatalogueFilter
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
from jazari.i18n import original, with_text
from jazari.registry import Registry
from skills.models import Skill, SkillCategory

COVER_RENDITION = "fill-480x252"

# Functions the apps above register to attach what the catalogue's cards show of them, called
# with the courses of the page (e.g. `paths` sets `course.path_list`), in a fixed number of
# queries whatever the page's length.
catalogue_card_details = Registry("catalogue card details")

SORTS = {
    "soonest": (_("Next session"), [F("next_starts_at").asc(nulls_last=True), "title"]),
    "title": (_("Title"), ["title"]),
    "newest": (_("Newest"), ["-first_published_at", "title"]),
    "shortest": (_("Shortest"), ["duration_hours", "title"]),
}
DEFAULT_SORT = "soonest"

# Facets in the order they are shown; (name, label, show options with no result).
FACETS = [
    ("format", _("Format"), True),
    ("level", _("Level"), True),
    ("mode", _("Mode"), True),
    ("language", _("Language"), True),
    ("audience", _("Audience"), True),
    ("category", _("Skill category"), True),
    ("skill", _("Skill"), False),
    ("region", _("Region"), True),
    ("institute", _("Institute"), False),
]
REPEATABLE = [name for name, _label, _all in FACETS]
PARAMS = [*REPEATABLE, "q", "starts_after", "starts_before", "free"]


def read_filters(params):
    """{name: value} of the filters in a query string, in canonical form: a facet's values as
    a sorted list without duplicates, another parameter's last value; blanks left out; a date
    in ISO 8601 and `free` as `1` whichever spelling the form accepts (so each keys one cached
    rendering, see `courses.cache`)."""
    data = {}
    for name in PARAMS:
        if name in REPEATABLE:
            value = sorted({v.strip() for v in params.getlist(name)} - {""})
        else:
            value = canonical_value(name, params.get(name, "").strip())
        if value:
            data[name] = value
    return data


def canonical_value(name, value):
    """One spelling of a value the form reads alike: `free` ticked (`on`, `yes`, `x`…) is
    `1`, unticked (`false`) is left out; a date the form accepts is written YYYY-MM-DD. Values
    the form refuses are kept as sent, for their message."""
    if not value:
        return value
    if name == "free":
        ticked = forms.CheckboxInput().value_from_datadict({name: value}, {}, name)
        return "1" if ticked else ""
    if name in ("starts_after", "starts_before"):
        try:
            return forms.DateField().clean(value).isoformat()
        except forms.ValidationError:
            return value
    return value


def as_list(value):
    """A facet's values are a list already; another parameter's value becomes one."""
    return value if isinstance(value, list) else [value]


def as_pairs(name, value):
    """(name, value) pairs of one parameter for a query string: one per value of a list."""
    return [(name, v) for v in as_list(value) if v not in (None, "")]


@dataclass
class FacetOption:
    value: str
    label: str
    count: int  # courses with this value, the other facets' filters applied
    selected: bool
    url: str  # the first page with this value toggled, what ticking it and applying gives
    text: object = None  # what the label is written in (`{% content_lang %}`), for content


@dataclass
class Facet:
    name: str
    label: str
    options: list


@dataclass
class ActiveFilter:
    label: str
    value_label: str
    remove_url: str
    text: object = None  # what the value's label is written in, as `FacetOption.text`


@dataclass
class Link:
    value: str
    label: str
    selected: bool
    url: str


@dataclass
class PageLink:
    number: int
    url: str
    current: bool


@dataclass
class CatalogueResult:
    form: object
    errors: list
    facets: list
    active_filters: list
    total: int
    page: object
    sort: str
    sort_options: list
    page_links: list = field(default_factory=list)
    previous_url: str | None = None
    next_url: str | None = None
    clear_url: str = "?"


class Catalogue:
    """Reads the query string, filters the listed courses and counts every facet."""

    def __init__(self, params, parent=None, page_size=None):
        """`params`: the query string, a QueryDict (a facet's parameter may be repeated)."""
        self.parent = parent
        self.page_size = page_size or settings.CATALOGUE_PAGE_SIZE
        self.now = timezone.now()
        self.errors = []
        self.data = read_filters(params)
        self.sort = params.get("sort", "").strip() or DEFAULT_SORT
        self.page_number = params.get("page", "").strip() or "1"
        # The query string as understood, invalid values included (they show messages): the
        # same for every spelling of one page, so it keys the cached rendering.
        self.canonical_query = self.url(
            sort=self.sort if self.sort != DEFAULT_SORT else None,
            page=self.page_number if self.page_number != "1" else None,
        )
        if self.sort not in SORTS:
            self.errors.append(
                _("Unknown sort order “%(value)s”: sorted by next session.")
                % {"value": self.sort[:40]}
            )
            self.sort = DEFAULT_SORT

    # Querysets
    def base_queryset(self):
        """Listed courses only (no view restriction): the same for every visitor."""
        courses = CoursePage.objects.listed()
        if self.parent is not None:
            courses = courses.descendant_of(original(self.parent))
        return courses

    def filterset(self, data):
        query = MultiValueDict({name: as_list(value) for name, value in data.items()})
        return CatalogueFilter(query, queryset=self.base_queryset())

    def _validated_filterset(self):
        """The filterset of the valid values: each invalid one is reported, then left out, so
        `?level=beginner&level=expert` still lists beginner courses."""
        filterset = self.filterset(self.data)
        if filterset.is_valid():
            return filterset
        for name, errors in filterset.form.errors.as_data().items():
            label = filterset.filters[name].label if name in filterset.filters else name
            for error in errors:
                value = (error.params or {}).get("value", self.data.get(name, ""))
                self.errors.append(f"{label} “{str(value)[:40]}”: {' '.join(error.messages)}")
            self._leave_out(name, errors)
        filterset = self.filterset(self.data)
        filterset.is_valid()
        return filterset

    def _leave_out(self, name, errors):
        """Drop the values of `name` that `errors` name, or the whole parameter."""
        invalid = {(error.params or {}).get("value") for error in errors}
        kept = [] if None in invalid else [v for v in as_list(self.data[name]) if v not in invalid]
        if kept and name in REPEATABLE:
            self.data[name] = kept
        else:
            self.data.pop(name)

    # URLs
    def url(self, **changes):
        """The query string of the current filters with `changes` (None removes a key; a
        facet's values are a sorted list)."""
        data = {**self.data, "sort": self.sort if self.sort != DEFAULT_SORT else None}
        data.update(changes)
        pairs = [pair for key in [*PARAMS, "sort", "page"] for pair in as_pairs(key, data.get(key))]
        return f"?{urlencode(pairs)}" if pairs else "?"

    def toggle_url(self, name, value):
        """The first page with `value` of facet `name` added, or removed if it is selected; the
        facet's other values kept."""
        values = set(self.data.get(name, [])) ^ {value}
        return self.url(**{name: sorted(values), "page": None})

    # Facets
    def facet_counts(self, name, filterset):
        """{value: number of courses} for facet `name` with the other filters applied."""
        courses = filterset.qs.order_by().values("pk")
        if name in ("format", "level"):
            rows = filterset.qs.order_by().values_list(name).annotate(n=Count("pk"))
        elif name == "institute":
            rows = filterset.qs.order_by().values_list("institute__slug").annotate(n=Count("pk"))
        elif name == "region":
            rows = filterset.qs.order_by().values_list("institute__region").annotate(n=Count("pk"))
        elif name == "skill":
            rows = (
                CourseSkill.objects.filter(course__in=courses)
                .values_list("skill__slug")
                .annotate(n=Count("course", distinct=True))
            )
        elif name == "category":
            rows = (
                CourseSkill.objects.filter(course__in=courses)
                .values_list("skill__category__slug")
                .annotate(n=Count("course", distinct=True))
            )
        elif name == "language":
            rows = (
                CoursePage.languages.through.objects.filter(coursepage__in=courses)
                .values_list("language__code")
                .annotate(n=Count("coursepage", distinct=True))
            )
        elif name == "audience":
            rows = (
                CoursePage.audiences.through.objects.filter(coursepage__in=courses)
                .values_list("audience__slug")
                .annotate(n=Count("coursepage", distinct=True))
            )
        elif name == "mode":
            sessions = Session.objects.upcoming(self.now).filter(course__in=courses)
            conditions = filterset.session_conditions()
            if conditions is not None:
                sessions = sessions.filter(conditions)
            rows = sessions.values_list("mode").annotate(n=Count("course", distinct=True))
        else:  # pragma: no cover - FACETS and this method are kept in step
            raise ValueError(name)
        return dict(rows.order_by())

    def facet_objects(self):
        """The original rows the content facets offer, read once per request: {facet: rows}."""
        return {
            "audience": list(Audience.objects.originals()),
            "category": list(SkillCategory.objects.originals()),
            "skill": list(Skill.objects.originals().order_by("name")),
            "institute": list(
                InstitutePage.objects.live()
                .originals()
                .order_by("-is_hub", "title")
                .only("slug", "title", "is_hub", "locale_id", "translation_key")
            ),
        }

    def facet_choices(self, objects):
        """(value, label, text) triples of every facet: the content facets' values are the
        originals' slugs, their labels the text in the reader's language (`with_text` called
        before), skills and institutes sorted by that label, the hub first."""
        choices = {
            "format": CourseFormat.choices,
            "level": CourseLevel.choices,
            "mode": SessionMode.choices,
            "region": Region.choices,
            "language": [(lang.code, lang.name) for lang in Language.objects.all()],
            "audience": [(a.slug, a.text.name, a.text) for a in objects["audience"]],
            "category": [(c.slug, c.text.name, c.text) for c in objects["category"]],
            "skill": sorted(
                [(s.slug, s.text.name, s.text) for s in objects["skill"]],
                key=lambda choice: choice[1].casefold(),
            ),
            "institute": [
                (i.slug, i.text.title, i.text)
                for i in sorted(
                    objects["institute"],
                    key=lambda i: (not i.is_hub, i.text.title.casefold()),
                )
            ],
        }
        return {
            name: [(str(value), label, *text) for value, label, *text in pairs]
            for name, pairs in choices.items()
        }

    def facets(self, filterset, choices):
        facets = []
        for name, label, show_empty in FACETS:
            selected = self.data.get(name, [])
            if selected:
                others = {k: v for k, v in self.data.items() if k != name}
                facet_filterset = self.filterset(others)
                facet_filterset.is_valid()
            else:
                facet_filterset = filterset
            counts = self.facet_counts(name, facet_filterset)
            options = []
            for value, option_label, *text in choices[name]:
                count = counts.get(value, 0)
                if not (count or value in selected or show_empty):
                    continue
                options.append(
                    FacetOption(
                        value,
                        option_label,
                        count,
                        value in selected,
                        self.toggle_url(name, value),
                        *text,
                    )
                )
            facets.append(Facet(name, label, options))
        return facets

    def active_filters(self, filterset, choices):
        """One entry per value, each with the link that removes that value alone."""
        active = []
        for name, value in self.data.items():
            label = filterset.filters[name].label
            if name in REPEATABLE:
                known = {v: (option_label, *text) for v, option_label, *text in choices[name]}
                for v in value:
                    value_label, *text = known.get(v, (v,))
                    active.append(ActiveFilter(label, value_label, self.toggle_url(name, v), *text))
            else:
                value_label = _("yes") if name == "free" else value
                active.append(ActiveFilter(label, value_label, self.url(**{name: None})))
        return active

    # Results
    def ordered_courses(self, filterset):
        upcoming = Session.objects.upcoming(self.now).filter(course=OuterRef("pk"))
        conditions = filterset.session_conditions()
        if conditions is not None:
            # "Next session" is the next one that matches the session filters.
            upcoming = upcoming.filter(conditions)
        upcoming = upcoming.order_by("starts_at", "pk")
        courses = filterset.qs.annotate(
            next_starts_at=Subquery(upcoming.values("starts_at")[:1]),
            next_session_id=Subquery(upcoming.values("pk")[:1]),
            upcoming_count=Subquery(
                Session.objects.upcoming(self.now)
                .filter(course=OuterRef("pk"))
                .order_by()
                .values("course")
                .annotate(n=Count("pk"))
                .values("n")
            ),
        )
        return courses.select_related("institute").order_by(*SORTS[self.sort][1])

    def attach_details(self, courses):
        """Next session, skills, languages and cover of each course on the page, then what the
        apps above attach (`catalogue_card_details`)."""
        sessions = Session.objects.select_related("institute").in_bulk(
            [c.next_session_id for c in courses if c.next_session_id]
        )
        images = get_image_model().objects.prefetch_renditions(COVER_RENDITION)
        prefetch_related_objects(
            courses,
            Prefetch(
                "course_skills",
                queryset=CourseSkill.objects.select_related("skill").order_by("sort_order"),
            ),
            "languages",
            Prefetch("cover_image", queryset=images),
        )
        for course in courses:
            course.next_session = sessions.get(course.next_session_id)
            course.upcoming_count = course.upcoming_count or 0
            course.skill_list = [cs.skill for cs in course.course_skills.all()]
            course.language_list = list(course.languages.all())
        for attach in catalogue_card_details:
            attach(courses)

    def answered_as_asked(self, result) -> bool:
        """Was every value of the query valid, and the page shown the page asked for? Only
        then does `canonical_query` name what was rendered; the catalogue's cache keeps nothing
        else, so invalid values and pages beyond the last never fill it."""
        return not result.errors and str(result.page.number) == self.page_number

    def result(self):
        filterset = self._validated_filterset()
        objects = self.facet_objects()
        paginator = Paginator(self.ordered_courses(filterset), self.page_size)
        page = paginator.get_page(self.page_number)
        courses = list(page.object_list)
        self.attach_details(courses)
        page.object_list = courses
        # The text of the facets and of the cards, in one query per model.
        with_text(
            [
                *courses,
                *(course.institute for course in courses),
                *(skill for course in courses for skill in course.skill_list),
                *(row for rows in objects.values() for row in rows),
            ]
        )
        choices = self.facet_choices(objects)

        page_links = [
            PageLink(number, self.url(page=number if number > 1 else None), number == page.number)
            for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            if isinstance(number, int)
        ]
        return CatalogueResult(
            form=filterset.form,
            errors=self.errors,
            facets=self.facets(filterset, choices),
            active_filters=self.active_filters(filterset, choices),
            total=paginator.count,
            page=page,
            sort=self.sort,
            sort_options=[
                Link(value, label, value == self.sort, self.url(sort=value, page=None))
                for value, (label, _order) in SORTS.items()
            ],
            page_links=page_links,
            previous_url=self.url(page=page.previous_page_number())
            if page.has_previous()
            else None,
            next_url=self.url(page=page.next_page_number()) if page.has_next() else None,
            clear_url="?",
        )
