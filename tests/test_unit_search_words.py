"""How search reads words, without a database: Arabic letters in one form, names folded, places
found in a query, plausible typos."""

import pytest

from institutes.places import Place, find_place
from jazari.search import fold, normalise_arabic
from search.suggestions import edit_distance, plausible_typo

CITIES = {("Tanger", "tanger-tetouan-al-hoceima"), ("Agadir", "souss-massa"), ("Fès", "fes-meknes")}


@pytest.mark.parametrize(
    "written",
    ["الذكاء الإصطناعى", "الذَّكَاءُ الاصْطِنَاعِيُّ", "الذكـــاء الاصطنـاعي", "ٱلذكاء ٱلاصطناعي"],
)
def test_arabic_is_normalised_to_one_written_form(written):
    """Hamza and madda alefs, wasla, alef maqsura, harakat and tatweel: one form."""
    assert normalise_arabic(written) == "الذكاء الاصطناعي"


def test_taa_marbuta_is_written_as_haa_and_latin_text_is_left_alone():
    assert normalise_arabic("الإدارة العمومية") == "الاداره العموميه"
    assert normalise_arabic("Données publiques") == "Données publiques"


def test_names_fold_alike():
    """Case, accents, hyphens and apostrophes don't matter."""
    assert fold("Souss-Massa") == fold("souss  massa") == "souss massa"
    assert fold("Fès-Meknès") == "fes meknes"
    assert fold("L'Oriental") == "l oriental"


@pytest.mark.parametrize(
    "query, place, rest",
    [
        ("Tanger", Place("tanger-tetouan-al-hoceima", "Tanger"), ""),
        ("طنجة", Place("tanger-tetouan-al-hoceima", "Tanger"), ""),
        ("python à Tanger", Place("tanger-tetouan-al-hoceima", "Tanger"), "python a"),
        ("Souss-Massa", Place("souss-massa"), ""),
        ("سوس ماسة", Place("souss-massa"), ""),
        ("fes", Place("fes-meknes", "Fès"), ""),
        ("Fès-Meknès data", Place("fes-meknes"), "data"),
        ("Tanger-Tétouan-Al Hoceïma", Place("tanger-tetouan-al-hoceima"), ""),
    ],
)
def test_places_are_found_in_a_query(query, place, rest):
    """The longest place name in the query, in French or Arabic, and the other words."""
    assert find_place(query, CITIES) == (place, rest)


def test_a_city_without_an_institute_is_not_a_place():
    """Tétouan has no institute in these cities: the query stays words."""
    assert find_place("Tétouan", CITIES) == (None, "Tétouan")


@pytest.mark.parametrize(
    "typed, known, plausible",
    [
        ("pyhton", "python", True),
        ("apprentisage", "apprentissage", True),
        ("donnes", "données", True),
        ("blockchain", "block", False),
        ("java", "jazari", False),
    ],
)
def test_plausible_typos(typed, known, plausible):
    """One edit in a short word, two up to ten letters; swapped neighbours are one edit."""
    assert plausible_typo(typed, known) is plausible


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("pyhton", "python") == 1
    assert edit_distance("abc", "abc") == 0
    assert edit_distance("", "abc") == 3
