"""The programme's figures, counted from the enrolments themselves.

Never from the display caches kept on `Session` (`confirmed_count`, `waitlist_count`): every
figure is a grouped aggregate over the enrolments and sessions a `Scope` admits, whose session
starts in a `Period`. A table costs two SQL queries whatever the data size: one over the
sessions (sessions held, seats offered), one over the enrolments (everything else); by a
learner's dimension, one over the enrolments and one for the sessions that reached them.

The measures:

- sessions held: ended and not cancelled; seats offered: the capacity of sessions not
  cancelled (past and future);
- enrolments: every enrolment made, whatever became of it; seats taken: those holding a seat
  (confirmed, attended, completed, no-show) in a session not cancelled; fill rate: seats
  taken / seats offered;
- waiting-list demand: learners who joined a session's waiting list and never got a seat in
  it: an enrolment still waitlisted, or cancelled without ever being confirmed
  (`confirmed_at` empty), and no other enrolment of theirs in the session got a seat or came
  later;
- cancellations; attended (attended or completed); no-show rate: no-shows / attendance
  recorded (attended, completed, no-show);
- people trained: distinct learners with a completed enrolment; certificates issued: valid
  certificates of completion (not revoked); distinct learners; first-time learners: learners
  whose first enrolment ever, anywhere in the network, is one of the counted ones.
- feedback answers: enrolments whose learner answered the feedback request (`feedback`);
  average rating: of those answers (1–5); would recommend: the share of those answers that
  would recommend the session. For staff only: the open data publishes no scores.

Dimensions are either the session's (region and institute of the venue, else of the
organiser; skill, skill category, format, mode, language, month) or the learner's (region and
audience of their profile). A course teaching several skills counts under each of them, so a
column by skill adds up to more than the total. Seats belong to no learner: by a learner's
dimension, `seats` is None and `sessions` counts the sessions held that reached such learners.
"""

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, ExtractMonth, ExtractYear, LPad
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from courses.models import TEACHING_LANGUAGES, CourseFormat, Session, SessionMode
from courses.models import SessionStatus as SS
from courses.permissions import visible_sessions
from enrolments.models import Enrolment
from enrolments.permissions import visible_enrolments
from enrolments.states import ATTENDANCE, ATTENDED, HOLDS_SEAT, EnrolmentStatus
from feedback.services import Scores
from institutes.regions import Region, population_2024
from jazari.time import CASABLANCA
from learners.models import LearnerAudience

S = EnrolmentStatus

# Open data: a cell counting fewer learners than this is not published.
MIN_LEARNERS = 5

UNKNOWN = "unknown"  # the key of a learner who did not say (blank region or audience)


# Who is counted, and when


@dataclass(frozen=True)
class Scope:
    """The enrolments and sessions counted: a staff member's, or the published network's."""

    enrolments: QuerySet
    sessions: QuerySet


def staff_scope(user) -> Scope:
    """What a staff member sees in the admin's Programme area: the enrolments they may see
    (`visible_enrolments`: their institutes', the whole network's for programme managers and
    administrators) and the sessions whose learners they may see (`visible_sessions`)."""
    return Scope(enrolments=visible_enrolments(user), sessions=visible_sessions(user))


def public_scope() -> Scope:
    """The network's listed courses (live, outside private sections: `Session.objects.listed`),
    the open data. No query of its own."""
    sessions = Session.objects.listed()
    return Scope(
        enrolments=Enrolment.objects.filter(session__in=sessions.values("pk")),
        sessions=sessions,
    )


@dataclass(frozen=True)
class Period:
    """Sessions starting in [start, end); None leaves that side open."""

    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def of_days(cls, first: date | None, last: date | None) -> "Period":
        """The sessions starting from the day `first` to the day `last` included, in Morocco."""

        def midnight(day):
            return timezone.make_aware(datetime.combine(day, time.min), CASABLANCA)

        return cls(
            start=midnight(first) if first else None,
            end=midnight(last + timedelta(days=1)) if last else None,
        )

    def q(self, prefix: str = "") -> Q:
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{prefix}starts_at__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{prefix}starts_at__lt": self.end})
        return condition


# Dimensions


def _choices(choices) -> Callable[[str], str]:
    labels = dict(choices)
    return lambda key: str(labels.get(key, _("Not given"))) if key else str(_("Not given"))


def _month_label(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def _venue_else_organiser(field_name: str):
    return lambda p: Coalesce(
        F(f"{p}institute__{field_name}"), F(f"{p}course__institute__{field_name}")
    )


def _month(p: str):
    year = Cast(ExtractYear(f"{p}starts_at", tzinfo=CASABLANCA), CharField())
    month = Cast(ExtractMonth(f"{p}starts_at", tzinfo=CASABLANCA), CharField())
    return Concat(year, Value("-"), LPad(month, 2, Value("0")), output_field=CharField())


def _field(path: str):
    return lambda p: F(f"{p}{path}")


@dataclass(frozen=True)
class Dimension:
    """A way to cut the figures. `key(prefix)` is the SQL expression of its key from a session
    (prefix "") or an enrolment (prefix "session__"); `label` is an expression of the label in
    the same query, or None when the label comes from `label_of(key)`."""

    slug: str
    name: Promise
    key: Callable[[str], object]
    label: Callable[[str], object] | None = None
    label_of: Callable[[str], str] | None = None
    learner_side: bool = False  # the learner's profile, not the session
    # Its join may repeat an enrolment in one cell (a course's skills of one category).
    repeats: bool = False


DIMENSIONS = {
    dimension.slug: dimension
    for dimension in (
        Dimension(
            "region",
            _("Region"),
            _venue_else_organiser("region"),
            label_of=_choices(Region.choices),
        ),
        Dimension(
            "learner_region",
            _("Learner's region"),
            key=lambda p: F("learner__profile__region"),
            label_of=_choices(Region.choices),
            learner_side=True,
        ),
        Dimension(
            "institute",
            _("Institute"),
            _venue_else_organiser("slug"),
            label=_venue_else_organiser("title"),
        ),
        Dimension(
            "skill",
            _("Skill"),
            _field("course__course_skills__skill__slug"),
            label=_field("course__course_skills__skill__name"),
        ),
        Dimension(
            "category",
            _("Skill category"),
            _field("course__course_skills__skill__category__slug"),
            label=_field("course__course_skills__skill__category__name"),
            repeats=True,
        ),
        Dimension(
            "format", _("Format"), _field("course__format"), label_of=_choices(CourseFormat.choices)
        ),
        Dimension("mode", _("Mode"), _field("mode"), label_of=_choices(SessionMode.choices)),
        Dimension(
            "audience",
            _("Learner's audience"),
            key=lambda p: F("learner__profile__audience"),
            label_of=_choices(LearnerAudience.choices),
            learner_side=True,
        ),
        Dimension(
            "language", _("Language"), _field("language"), label_of=_choices(TEACHING_LANGUAGES)
        ),
        Dimension("month", _("Month"), _month, label_of=_month_label),
    )
}


class UnknownDimension(ValueError):
    pass


def dimensions(slugs: Sequence[str]) -> tuple[Dimension, ...]:
    """The dimensions named by `slugs` (at most two, all different), or `UnknownDimension`."""
    if len(slugs) > 2 or len(set(slugs)) != len(slugs):
        raise UnknownDimension(_("Choose one dimension, or two different ones."))
    for slug in slugs:
        if slug not in DIMENSIONS:
            raise UnknownDimension(_("Unknown dimension: %(slug)s.") % {"slug": slug})
    return tuple(DIMENSIONS[slug] for slug in slugs)


# The figures


@dataclass
class Figures:
    """One cell of a table (or the totals): the keys and labels of its dimensions, the counts."""

    keys: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    sessions: int | None = 0
    seats: int | None = 0
    enrolments: int | None = 0
    seats_taken: int = 0
    waitlist_unseated: int = 0
    cancellations: int = 0
    attended: int = 0
    no_shows: int = 0
    attendance_recorded: int = 0
    trained: int | None = 0
    certificates: int | None = 0
    learners: int | None = 0
    first_time: int = 0
    feedback_answers: int | None = 0
    rating_total: int | None = 0  # the sum of the answers' ratings
    recommending: int | None = 0  # answers that would recommend the session
    suppressed: bool = field(default=False)

    @property
    def fill_rate(self) -> float | None:
        """Seats taken / seats offered; None without seats."""
        if not self.seats:
            return None
        return self.seats_taken / self.seats

    @property
    def no_show_rate(self) -> float | None:
        """No-shows / enrolments whose attendance was recorded; None without any."""
        if not self.attendance_recorded:
            return None
        return self.no_shows / self.attendance_recorded

    @property
    def scores(self) -> Scores:
        return Scores.of(self.feedback_answers or 0, self.rating_total, self.recommending or 0)

    @property
    def average_rating(self) -> float | None:
        """The answers' average rating, 1 to 5; None without answers."""
        return self.scores.average_rating

    @property
    def recommend_rate(self) -> float | None:
        """Answers that would recommend / answers; None without answers."""
        return self.scores.recommend_share


# The measures of a table, in the order it shows them.
MEASURES = {
    "sessions": _("Sessions held"),
    "seats": _("Seats offered"),
    "enrolments": _("Enrolments"),
    "fill_rate": _("Fill rate"),
    "waitlist_unseated": _("Waiting list, never seated"),
    "cancellations": _("Cancellations"),
    "attended": _("Attended"),
    "no_show_rate": _("No-show rate"),
    "trained": _("People trained"),
    "certificates": _("Certificates issued"),
    "learners": _("Learners"),
    "first_time": _("First-time learners"),
    "feedback_answers": _("Feedback answers"),
    "average_rating": _("Average rating (out of 5)"),
    "recommend_rate": _("Would recommend (%)"),
}


def published(cell: Figures) -> Figures:
    """`cell` as the open data publishes it: each count of learners under `MIN_LEARNERS`
    (enrolments, learners, people trained, certificates) is None."""

    def shown(value, learners=None):
        if (
            value is None
            or value < MIN_LEARNERS
            or (learners is not None and learners < MIN_LEARNERS)
        ):
            return None
        return value

    return replace(
        cell,
        enrolments=shown(cell.enrolments, cell.learners),
        learners=shown(cell.learners),
        trained=shown(cell.trained),
        certificates=shown(cell.certificates),
        # Learners' scores of a session are for its organisers, never published.
        feedback_answers=None,
        rating_total=None,
        recommending=None,
    )


SESSION_MEASURES = ("sessions", "seats")


def _session_rows(scope: Scope, period: Period, dims, now) -> dict[tuple, dict]:
    """Sessions held and seats offered per cell: one query.

    A session is counted once per cell even when a join (a course's skills) repeats it: the
    inner query lists distinct (cell, session) pairs and the outer one groups them.
    """
    queryset = scope.sessions.filter(period.q()).order_by()
    columns = {f"k{i}": d.key("") for i, d in enumerate(dims)}
    columns |= {f"l{i}": d.label("") for i, d in enumerate(dims) if d.label}
    inner = queryset.values(
        **columns,
        sid=F("pk"),
        cap=Case(
            When(status=SS.CANCELLED, then=Value(0)),
            default=F("capacity"),
            output_field=IntegerField(),
        ),
        held=Case(
            When(~Q(status=SS.CANCELLED) & Q(ends_at__lte=now), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    ).distinct()
    sql, params = inner.query.sql_with_params()
    names = list(columns)
    group = ", ".join(names)
    select = (group + ", ") if names else ""
    outer = (
        f"SELECT {select}COALESCE(SUM(held), 0), COALESCE(SUM(cap), 0) FROM ({sql}) AS cells"
        + (f" GROUP BY {group}" if names else "")
    )
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(outer, params)
        rows = cursor.fetchall()
    result = {}
    for row in rows:
        values = dict(zip(names, row[: len(names)], strict=True))
        result[_cell_key(values, dims)] = {
            "values": values,
            "sessions": int(row[-2]),
            "seats": int(row[-1]),
        }
    return result


def _cell_key(values: dict, dims) -> tuple:
    return tuple(values.get(f"k{i}") or "" for i in range(len(dims)))


# The ratings of feedback, counted one by one so that a join repeating an enrolment in a cell
# (`Dimension.repeats`) still counts its rating once: the total is Σ rating × count.
RATINGS = range(1, 6)
# Counted per enrolment, then added up over a cell's learners.
ENROLMENT_COUNTS = (
    "enrolments",
    "seats_taken",
    "waitlist_unseated",
    "cancellations",
    "attended",
    "no_shows",
    "attendance_recorded",
    "certificates",
    "feedback_answers",
    *(f"rated_{rating}" for rating in RATINGS),
    "recommending",
)
# Said of a learner in a cell: how many learners of the cell are so.
LEARNER_FLAGS = ("trained", "first_time")


def _enrolment_measures(*, repeated: bool):
    """The aggregates of one learner's enrolments in a cell. Plain counts, unless a
    dimension's join may repeat an enrolment in a cell (`repeated`)."""
    not_cancelled_session = ~Q(session__status=SS.CANCELLED)
    # Never seated: still waiting, or left the line (cancelled without ever being confirmed).
    never_seated = Q(status=S.WAITLISTED) | Q(status=S.CANCELLED, confirmed_at__isnull=True)
    # A later enrolment of the learner in the session, or one that got a seat.
    seated_or_later = Enrolment.objects.filter(
        session_id=OuterRef("session_id"), learner_id=OuterRef("learner_id")
    ).filter(~never_seated | Q(pk__gt=OuterRef("pk")))
    # Each learner's first enrolment ever, anywhere: computed once by the database.
    earlier = Enrolment.objects.filter(learner_id=OuterRef("learner_id")).filter(
        Q(queued_at__lt=OuterRef("queued_at"))
        | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
    )
    firsts = Enrolment.objects.filter(~Exists(earlier)).values("pk")
    certified = Certificate.objects.valid().completion().filter(enrolment_id=OuterRef("pk"))

    def enrolments(condition=None):
        return Count("pk", distinct=repeated, filter=condition)

    return {
        "enrolments": enrolments(),
        "seats_taken": enrolments(Q(status__in=HOLDS_SEAT) & not_cancelled_session),
        "waitlist_unseated": enrolments(never_seated & ~Exists(seated_or_later)),
        "cancellations": enrolments(Q(status=S.CANCELLED)),
        "attended": enrolments(Q(status__in=ATTENDED)),
        "no_shows": enrolments(Q(status=S.NO_SHOW)),
        "attendance_recorded": enrolments(Q(status__in=ATTENDANCE)),
        "certificates": enrolments(Q(status=S.COMPLETED) & Exists(certified)),
        # The feedback, joined one to one (at most one answer per enrolment).
        "feedback_answers": enrolments(Q(feedback__isnull=False)),
        **{f"rated_{rating}": enrolments(Q(feedback__rating=rating)) for rating in RATINGS},
        "recommending": enrolments(Q(feedback__would_recommend=True)),
        "trained": Count("pk", filter=Q(status=S.COMPLETED)),
        "first_time": Count("pk", filter=Q(pk__in=firsts)),
    }


def _enrolment_rows(scope: Scope, period: Period, dims, now) -> dict[tuple, dict]:
    """Everything counted from enrolments, per cell: one query.

    Grouped by cell and learner inside, then by cell: distinct learners are counted without
    the sorts that `COUNT(DISTINCT …)` costs. By a learner's dimension, a second query counts
    the sessions held that reached the cell's learners.
    """
    queryset = scope.enrolments.filter(period.q("session__")).order_by()
    columns = {f"k{i}": d.key("session__") for i, d in enumerate(dims)}
    columns |= {f"l{i}": d.label("session__") for i, d in enumerate(dims) if d.label}
    measures = _enrolment_measures(repeated=any(d.repeats for d in dims))
    inner = queryset.values(**columns, lid=F("learner_id")).annotate(**measures)
    sql, params = inner.query.sql_with_params()
    connection = connections[queryset.db]
    q = connection.ops.quote_name
    names = list(columns)
    group = ", ".join(q(name) for name in names)
    sums = [f"COALESCE(SUM({q(m)}), 0)" for m in ENROLMENT_COUNTS]
    flags = [f"COALESCE(SUM(CASE WHEN {q(m)} > 0 THEN 1 ELSE 0 END), 0)" for m in LEARNER_FLAGS]
    select = ", ".join([*(q(name) for name in names), *sums, "COUNT(*)", *flags])
    outer = f"SELECT {select} FROM ({sql}) AS cell_learners" + (
        f" GROUP BY {group}" if names else ""
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        rows = cursor.fetchall()
    result = {}
    for row in rows:
        values = dict(zip(names, row[: len(names)], strict=True))
        counts = [int(count) for count in row[len(names) :]]  # SUM is a decimal in PostgreSQL
        measured = dict(zip((*ENROLMENT_COUNTS, "learners", *LEARNER_FLAGS), counts, strict=True))
        measured["rating_total"] = sum(
            rating * measured.pop(f"rated_{rating}") for rating in RATINGS
        )
        result[_cell_key(values, dims)] = {"values": values, **measured}
    if any(d.learner_side for d in dims):
        held = ~Q(session__status=SS.CANCELLED) & Q(session__ends_at__lte=now)
        reached = queryset.values(**{f"k{i}": d.key("session__") for i, d in enumerate(dims)})
        for row in reached.annotate(n=Count("session_id", distinct=True, filter=held)):
            key = _cell_key(row, dims)
            if key in result:
                result[key]["sessions_reached"] = row["n"]
    return result


def figures(
    scope: Scope,
    period: Period = Period(),
    by: Sequence[str] = (),
    *,
    now: datetime | None = None,
) -> list[Figures]:
    """The figures of `scope` over `period`, one `Figures` per cell of the dimensions `by`
    (none: the totals, one cell), ordered by label (months in time order). Two SQL queries."""
    now = now or timezone.now()
    dims = dimensions(by)
    learner_side = any(d.learner_side for d in dims)
    session_rows = {} if learner_side else _session_rows(scope, period, dims, now)
    enrolment_rows = _enrolment_rows(scope, period, dims, now)
    cells = []
    for key in session_rows.keys() | enrolment_rows.keys():
        sessions = session_rows.get(key, {})
        counted = enrolment_rows.get(key, {})
        values = {**sessions.get("values", {}), **counted.get("values", {})}
        cell = Figures(
            keys=tuple(k or UNKNOWN for k in key),
            labels=tuple(_label(d, i, values) for i, d in enumerate(dims)),
            **{
                f.name: counted.get(f.name, 0)
                for f in fields(Figures)
                if f.name not in ("keys", "labels", "suppressed", *SESSION_MEASURES)
            },
        )
        if learner_side:
            cell.sessions, cell.seats = counted.get("sessions_reached", 0), None
        else:
            cell.sessions, cell.seats = sessions.get("sessions", 0), sessions.get("seats", 0)
        cells.append(cell)
    if not dims and not cells:
        cells.append(Figures())
    if by and by[0] == "month":
        cells.sort(key=lambda cell: cell.keys)
    else:
        cells.sort(key=lambda cell: tuple(map(alphabetical, cell.labels)))
    return cells


def alphabetical(label: str) -> str:
    """A label's sort key: accents and case ignored (Étudiant among the E)."""
    decomposed = unicodedata.normalize("NFKD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _label(dimension: Dimension, index: int, values: dict) -> str:
    key = values.get(f"k{index}")
    if dimension.label:
        return values.get(f"l{index}") or str(_("Not given"))
    return dimension.label_of(key or "")


def totals(scope: Scope, period: Period = Period(), *, now=None) -> Figures:
    """The headline figures: the whole scope as one cell."""
    return figures(scope, period, (), now=now)[0]


# Two dimensions as a table


@dataclass
class CrossTable:
    """Rows of the first dimension, columns of the second, one measure in each cell."""

    rows: list[tuple[str, str]]  # (key, label)
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], Figures]

    def value(self, row_key, column_key, measure):
        cell = self.cells.get((row_key, column_key))
        return getattr(cell, measure) if cell else None


def cross_table(cells: list[Figures], by: Sequence[str]) -> CrossTable:
    """Figures by two dimensions (`by`), laid out as a table."""
    rows, columns = {}, {}
    for cell in cells:
        rows.setdefault(cell.keys[0], cell.labels[0])
        columns.setdefault(cell.keys[1], cell.labels[1])
    order = 0 if by[1] == "month" else 1  # months in time order, the rest by label
    return CrossTable(
        rows=list(rows.items()),
        columns=sorted(
            columns.items(), key=lambda item: item[0] if order == 0 else alphabetical(item[1])
        ),
        cells={cell.keys: cell for cell in cells},
    )


# Territorial inclusion

PER_INHABITANTS = 100_000


@dataclass
class RegionReach:
    """One region: what was held there, who was trained there and who from there."""

    region: str
    label: str
    population: int
    sessions: int = 0
    seats: int = 0
    trained_here: int | None = 0  # distinct learners trained at sessions in the region
    trained_from_here: int | None = 0  # distinct trained learners whose profile says the region

    def per_inhabitants(self, count):
        if count is None or not self.population:
            return None
        return count * PER_INHABITANTS / self.population

    @property
    def trained_here_rate(self):
        return self.per_inhabitants(self.trained_here)

    @property
    def trained_from_here_rate(self):
        return self.per_inhabitants(self.trained_from_here)


def trained_by(scope: Scope, period: Period, slug: str) -> dict[str, dict]:
    """Enrolments and distinct learners trained per key of one dimension: the light query of
    the territorial table and the trend by month. One SQL query."""
    (dimension,) = dimensions([slug])
    queryset = scope.enrolments.filter(period.q("session__")).order_by()
    columns = {"k0": dimension.key("session__")}
    if dimension.label:
        columns["l0"] = dimension.label("session__")
    rows = (
        queryset.values(**columns)
        .annotate(
            enrolments=Count("pk", distinct=dimension.repeats),
            trained=Count("learner_id", distinct=True, filter=Q(status=S.COMPLETED)),
        )
        .order_by("k0")
    )
    return {
        row["k0"] or UNKNOWN: {
            "label": _label(dimension, 0, row),
            "enrolments": row["enrolments"],
            "trained": row["trained"],
        }
        for row in rows
    }


def territorial(scope: Scope, period: Period = Period(), *, now=None) -> list[RegionReach]:
    """Every region, in the order of the HCP's codes, with its 2024 population beside the
    sessions held there, the seats offered and the learners trained there and from there.
    Three SQL queries."""
    now = now or timezone.now()
    (region,) = dimensions(["region"])
    held = _session_rows(scope, period, (region,), now)
    trained_here = trained_by(scope, period, "region")
    trained_from_here = trained_by(scope, period, "learner_region")
    population = population_2024()
    reach = []
    for value, label in Region.choices:
        sessions = held.get((value,), {})
        reach.append(
            RegionReach(
                region=value,
                label=str(label),
                population=population[value],
                sessions=sessions.get("sessions", 0),
                seats=sessions.get("seats", 0),
                trained_here=trained_here.get(value, {}).get("trained", 0),
                trained_from_here=trained_from_here.get(value, {}).get("trained", 0),
            )
        )
    return reach


def published_reach(reach: RegionReach) -> RegionReach:
    """`reach` as the open data publishes it: counts of learners under `MIN_LEARNERS` None."""

    def shown(value):
        return None if value is None or value < MIN_LEARNERS else value

    return replace(
        reach,
        trained_here=shown(reach.trained_here),
        trained_from_here=shown(reach.trained_from_here),
    )


# The open data, kept in the cache

# How long the open data (`/api/v1/stats/`, `/figures/`) is served from the cache: anonymous
# requests must not each count the whole network's enrolments.
OPEN_DATA_SECONDS = 600


def _open_key(*parts) -> str:
    def text(part):
        return part.isoformat() if isinstance(part, datetime) else str(part)

    return "reports:open:" + ":".join(text(part) for part in (get_language(), *parts))


def open_figures(by: Sequence[str], period: Period = Period()) -> list[Figures]:
    """The network's published figures by `by` (`public_scope`, then `published`), counted
    at most every `OPEN_DATA_SECONDS` for each language, dimension and period."""
    key = _open_key("cells", ",".join(by), period.start, period.end)
    cells = cache.get(key)
    if cells is None:
        cells = [published(cell) for cell in figures(public_scope(), period, by)]
        cache.set(key, cells, OPEN_DATA_SECONDS)
    return cells


def open_reach() -> list[RegionReach]:
    """The network's published territorial table, from the cache like `open_figures`."""
    key = _open_key("reach")
    reach = cache.get(key)
    if reach is None:
        reach = [published_reach(row) for row in territorial(public_scope())]
        cache.set(key, reach, OPEN_DATA_SECONDS)
    return reach
