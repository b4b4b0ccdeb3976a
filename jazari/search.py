"""What every search box accepts: a query cleaned of what search backends choke on.

Shared by the site search (`search`), the catalogue's free text (`courses`) and the API.
"""

MAX_RESULTS = 200
MAX_QUERY_LENGTH = 200


def clean_query(text: str) -> str:
    """The words of a query, without the characters search backends choke on.

    Double quotes break SQLite's FTS5 syntax; control characters (NUL included) are never part
    of a real query. Whitespace is collapsed.
    """
    text = "".join(" " if (ch == '"' or ord(ch) < 32 or ord(ch) == 127) else ch for ch in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]
