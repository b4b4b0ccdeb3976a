""" "Did you mean …": the words of a query that the index doesn't know, replaced by the closest
words it does know, by trigram similarity (PostgreSQL's `pg_trgm`, created by
search/migrations/0002).

The known words are those of the indexed titles and texts (Wagtail's index entries keep them as
plain text, Arabic normalised), read with `ts_stat` when a search finds nothing: one query
whatever the number of words, and only for searches that missed. Trigrams let through words
that share little with the typed one ("pyhton" shares a third of its trigrams with "python");
the candidates are then checked by edit distance, so that a suggestion is a plausible typo of
what was typed, not merely a word with a common syllable. Nothing on other databases.

Reading the known words costs about a tenth of a second per thousand index entries (measured:
0.36 s for 3,000 entries of some 330 characters), so each query's suggestion is kept in the
cache for `CACHE_SECONDS`; a vocabulary table refreshed in the background would remove the
cost for queries never seen before.
"""

import hashlib

from django.core.cache import cache
from django.db import connection
from wagtail.search.models import IndexEntry

from jazari.search import normalise_arabic

# Query words looked at, and the trigram similarity under which a known word is not a candidate.
MAX_WORDS = 8
MIN_SIMILARITY = 0.2
CANDIDATES_PER_WORD = 5
CACHE_SECONDS = 600

SQL = """
WITH vocabulary AS (
    SELECT word, nentry FROM ts_stat(
        'SELECT to_tsvector(''simple'', title_text || '' '' || body_text) FROM {table}'
    )
), typed AS (
    SELECT word AS typed, position FROM unnest(%s::text[]) WITH ORDINALITY AS t(word, position)
), ranked AS (
    SELECT typed, position, vocabulary.word, similarity(vocabulary.word, typed) AS score,
        row_number() OVER (
            PARTITION BY position
            ORDER BY similarity(vocabulary.word, typed) DESC, vocabulary.nentry DESC,
                vocabulary.word
        ) AS rank
    FROM typed JOIN vocabulary ON similarity(vocabulary.word, typed) >= %s
)
SELECT position, word, score FROM ranked WHERE rank <= %s ORDER BY position, rank
"""


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance with transpositions of neighbours counting as one edit."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def plausible_typo(typed: str, known: str) -> bool:
    """Whether `known` is a word someone meaning it could have typed as `typed`: one edit in a
    short word, two up to ten letters, three beyond."""
    allowed = 1 if len(typed) <= 5 else 2 if len(typed) <= 10 else 3
    return edit_distance(typed, known) <= allowed


def supported() -> bool:
    return connection.vendor == "postgresql"


def suggest(text: str) -> str | None:
    """`text` with its unknown words replaced by the closest known ones, or None when no word
    was replaced (all known, nothing close, or not on PostgreSQL)."""
    words = normalise_arabic(text).lower().split()[:MAX_WORDS]
    if not words or not supported():
        return None
    key = "search:suggest:" + hashlib.sha256(" ".join(words).encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        cached = closest_known(words) or ""
        cache.set(key, cached, CACHE_SECONDS)
    return cached or None


def closest_known(words: list[str]) -> str | None:
    """`words` with the unknown ones replaced (see `suggest`), or None. One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            SQL.format(table=connection.ops.quote_name(IndexEntry._meta.db_table)),
            [words, MIN_SIMILARITY, CANDIDATES_PER_WORD],
        )
        rows = cursor.fetchall()
    candidates: dict[int, list[str]] = {}
    for position, word, _score in rows:
        candidates.setdefault(position - 1, []).append(word)
    replaced = list(words)
    for index, typed in enumerate(words):
        known = candidates.get(index, [])
        if typed in known or len(typed) < 3:
            continue
        close = [word for word in known if plausible_typo(typed, word)]
        if close:
            replaced[index] = close[0]
    return " ".join(replaced) if replaced != words else None
