"""Database ids as they arrive in URLs and query strings."""

# PostgreSQL's bigint: a longer number can't be an id.
MAX_ID = 2**63 - 1


def parse_id(value: str) -> int | None:
    """`value` as a database id (1 to `MAX_ID`, ASCII digits only), or None.

    Python's `str.isdigit` and `int` also take other scripts' digits ("²", "٣"): such a value
    is never an id, and `int("²")` raises.
    """
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
