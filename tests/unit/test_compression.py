"""Choosing a content coding from Accept-Encoding, and the codings themselves."""

import gzip

import brotli
import pytest

from app.web.compression import choose_encoding, compress, is_text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("identity", None),
        ("gzip", "gzip"),
        ("gzip, deflate, br", "br"),
        ("br;q=0.5, gzip;q=0.8", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0", None),
        ("*", "br"),
        ("*;q=0.3, br;q=0", "gzip"),
        ("BR", "br"),
        ("x-gzip", "gzip"),
        ("deflate", None),
    ],
)
def test_choose_encoding_follows_the_q_values(header, expected):
    assert choose_encoding(header, ("br", "gzip")) == expected


def test_without_brotli_only_gzip_is_offered():
    assert choose_encoding("br, gzip;q=0.1", ("gzip",)) == "gzip"


def test_codings_round_trip_and_gzip_is_deterministic():
    body = "스터디 노트 ".encode() * 500
    assert gzip.decompress(compress(body, "gzip")) == body
    assert brotli.decompress(compress(body, "br")) == body
    assert compress(body, "gzip") == compress(body, "gzip")


@pytest.mark.parametrize(
    ("mimetype", "text"),
    [
        ("text/html", True),
        ("text/css", True),
        ("application/json", True),
        ("image/svg+xml", True),
        ("image/png", False),
        ("application/octet-stream", False),
    ],
)
def test_only_text_is_compressed(mimetype, text):
    assert is_text(mimetype) is text
