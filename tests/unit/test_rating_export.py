"""CSV text and download headers: table-driven, no app."""

import csv
import io
from urllib.parse import unquote

import pytest

from app.ratings.export import content_disposition, csv_text


@pytest.mark.parametrize(
    ("filename", "fallback", "utf8"),
    [
        ("도커 이해도.csv", "studyhall.csv", "도커 이해도.csv"),
        ("Tech Books 이해도.csv", "Tech Books.csv", "Tech Books 이해도.csv"),
        ('a/b\\c"d.csv', "a_b_c_d.csv", "a_b_c_d.csv"),
        ("줄\r\n바꿈.csv", "studyhall.csv", "줄_바꿈.csv"),
        ("", "export.csv", "export.csv"),
    ],
)
def test_content_disposition(filename, fallback, utf8):
    header = content_disposition(filename)
    header.encode("latin-1")  # a header value must be Latin-1 safe
    assert header.startswith(f'attachment; filename="{fallback}"; ')
    assert unquote(header.split("filename*=UTF-8''")[1]) == utf8


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("김규민", "김규민"),
        ("=1+1", "'=1+1"),
        ("+82", "'+82"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        (3.5, "3.5"),
        (None, ""),
    ],
)
def test_csv_text_has_bom_and_defuses_formulas(cell, written):
    text = csv_text(["회원"], [[cell]])
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [["회원"], [written]]


def test_content_disposition_with_given_fallback():
    header = content_disposition("도커 이해도.csv", "book-2-ratings.csv")
    assert header.startswith("attachment; filename=\"book-2-ratings.csv\"; filename*=UTF-8''%EB")
