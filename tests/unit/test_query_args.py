"""Numbers from query strings: what fits in the database, and page numbers."""

import pytest

from app.web.query_args import MAX_PAGE, page_number, sqlite_int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", 1), ("-3", -3), (str(2**63 - 1), 2**63 - 1)],
)
def test_sqlite_int_accepts(raw, expected):
    assert sqlite_int(raw) == expected


@pytest.mark.parametrize("raw", ["", "x", "1.5", str(2**63), str(-(2**64))])
def test_sqlite_int_refuses(raw):
    with pytest.raises(ValueError):
        sqlite_int(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), (None, 1), ("", 1), ("0", 1), ("-2", 1), ("abc", 1), (str(MAX_PAGE + 1), 1)],
)
def test_page_number(raw, expected):
    assert page_number(raw) == expected
