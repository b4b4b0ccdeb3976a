"""What every search box accepts: a query cleaned of what search backends choke on, and the
letters of its words normalised the way the search index stores them.

Shared by the site search (`search`), the catalogue's free text (`courses`) and the API, and by
the search backend (`jazari.search_backends`), which normalises indexed text and queries alike.
"""

import re
import unicodedata

MAX_RESULTS = 200
MAX_QUERY_LENGTH = 200

# Arabic letters written in several ways that readers take for one: every alef with a hamza or
# a madda and the wasla alef are written as a bare alef, taa marbuta as haa, alef maqsura as
# yaa. Tatweel (the stretching stroke) and the harakat (short vowels, shadda, sukun, tanwin,
# the superscript alef) are dropped.
ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ـ": None,
    }
)
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")


def clean_query(text: str) -> str:
    """The words of a query, without the characters search backends choke on.

    Double quotes break SQLite's FTS5 syntax; control characters (NUL included) are never part
    of a real query. Whitespace is collapsed.
    """
    text = "".join(" " if (ch == '"' or ord(ch) < 32 or ord(ch) == 127) else ch for ch in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def normalise_arabic(text: str) -> str:
    """`text` with its Arabic letters in one written form (see `ARABIC_LETTERS`); other
    scripts are left as they are, so French and English text passes unchanged."""
    if not text:
        return text
    return ARABIC_MARKS.sub("", text.translate(ARABIC_LETTERS))


def fold(text: str) -> str:
    """`text` for comparing names: lower case, without accents, Arabic normalised, hyphens,
    apostrophes and runs of spaces as one space ("Souss-Massa" and "souss massa" fold alike)."""
    text = normalise_arabic(text or "").casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[-‐‑–—'’_.,;:/()]+", " ", text)
    return " ".join(text.split())
