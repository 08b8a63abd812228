"""Reading numbers from query strings safely. Pure: no Flask."""

SQLITE_MAX_INT = 2**63 - 1
MAX_PAGE = 100_000


def sqlite_int(value: str) -> int:
    """An integer that fits in a database column, or ValueError (Werkzeug's `type=`)."""
    number = int(value)
    if abs(number) > SQLITE_MAX_INT:
        raise ValueError("out of range")
    return number


def page_number(value: object) -> int:
    """A page number between 1 and MAX_PAGE; anything else is page 1."""
    try:
        # Any value may come in; int() raises TypeError/ValueError for what it cannot read.
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1
