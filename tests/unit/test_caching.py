"""The pure HTTP caching helpers: fingerprints, ETags and the freshness rule."""

from datetime import UTC, datetime

import pytest
from werkzeug.datastructures import ETags

from app.web.caching import ByteBoundedCache, client_copy_is_current, content_fingerprint, make_etag

MODIFIED = datetime(2026, 11, 29, 10, 0, 0, 500_000)  # naive UTC, as the database stores it


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (b"body{}", b"body{}", True),
        (b"body{}", b"body{ }", False),
        (b"", b"", True),
    ],
)
def test_content_fingerprint_changes_only_with_content(first, second, same):
    assert (content_fingerprint(first) == content_fingerprint(second)) is same
    assert len(content_fingerprint(first)) == 12


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ((1, "2026-11-29"), (1, "2026-11-29"), True),
        ((1, "2026-11-29"), (1, "2026-11-30"), False),
        ((1, 2), (2, 1), False),  # order matters
        (("a b",), ("a", "b"), False),  # parts are not merely concatenated
    ],
)
def test_make_etag_names_exactly_its_parts(first, second, same):
    assert (make_etag(*first) == make_etag(*second)) is same


@pytest.mark.parametrize(
    ("last_modified", "if_none_match", "if_modified_since", "current"),
    [
        (MODIFIED, ETags(["abc"]), None, True),
        (MODIFIED, ETags(weak_etags=["abc"]), None, True),
        (MODIFIED, ETags(["old"]), None, False),
        (MODIFIED, ETags(star_tag=True), None, True),
        # If-None-Match decides even when the date would say "current".
        (MODIFIED, ETags(["old"]), datetime(2030, 1, 1, tzinfo=UTC), False),
        # HTTP dates have whole seconds: the same second counts as current.
        (MODIFIED, None, datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC), True),
        (MODIFIED, None, datetime(2026, 11, 29, 9, 59, 59, tzinfo=UTC), False),
        (None, None, datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC), False),
        (MODIFIED, None, None, False),
    ],
)
def test_client_copy_is_current(last_modified, if_none_match, if_modified_since, current):
    assert client_copy_is_current("abc", last_modified, if_none_match, if_modified_since) is current


def test_byte_bounded_cache_returns_what_was_stored():
    cache = ByteBoundedCache(max_bytes=100)
    cache.put("a", "text/html", b"x" * 10)
    assert cache.get("a") == ("text/html", b"x" * 10)
    assert cache.get("missing") is None


def test_byte_bounded_cache_drops_the_least_recently_used_beyond_its_bound():
    cache = ByteBoundedCache(max_bytes=100)
    for key in "abcd":
        cache.put(key, "text/html", b"x" * 25)
    cache.get("a")  # now the most recently used
    cache.put("e", "text/html", b"x" * 25)
    assert cache.get("b") is None
    assert all(cache.get(key) for key in "acde")
    assert cache.size == 100


def test_byte_bounded_cache_replacing_a_key_keeps_the_size_right():
    cache = ByteBoundedCache(max_bytes=100)
    cache.put("a", "text/html", b"x" * 20)
    cache.put("a", "text/html", b"y" * 10)
    assert cache.size == 10 and len(cache) == 1


def test_byte_bounded_cache_skips_a_body_larger_than_a_quarter_of_its_bound():
    cache = ByteBoundedCache(max_bytes=100)
    cache.put("big", "text/html", b"x" * 26)
    assert cache.get("big") is None and cache.size == 0
