"""Pathological lines through the note parser give the right result (every regex is linear).

No timings are asserted here (a busy machine would make them flaky); each input is large
enough that a quadratic pattern would take minutes, so a regression shows as a hung test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.notes.parse import ParsedNote, parse_note, path_facts, read_minutes, read_score

try:
    from app.notes.parse.lines import strip_emphasis
except ImportError:
    from app.notes.parse import strip_emphasis

PATH = "책/kim/[3장][객체지향].md"
SCORES = "## 🤔 이해도 점검 & 난이도 평가\n- **자신의 이해도를 점수로 표현하기 (5점 만점)**\n  - "
TIME = "## ⏳ 독서 과정 기록\n- **총 독서 시간**: "
QUESTIONS = "## ❓ 특별히 궁금했던 부분\n"


def _warned(part: str) -> Callable[[ParsedNote], bool]:
    return lambda parsed: any(part in warning for warning in parsed.warnings)


def _scores(expected: dict[int, float]) -> Callable[[ParsedNote], bool]:
    return lambda parsed: parsed.scores == expected


def _minutes(expected: int | None) -> Callable[[ParsedNote], bool]:
    return lambda parsed: parsed.reading_minutes == expected


def _one_question(parsed: ParsedNote) -> bool:
    return len(parsed.questions) == 1 and len(parsed.questions[0].title) <= 500


# (name, note text, what must hold of the parsed note)
NOTES: list[tuple[str, str, Callable[[ParsedNote], bool]]] = [
    ("score: 20,000 digits", SCORES + "Chapter 3: " + "1" * 20_000, _scores({})),
    (
        "score: digits, then a score",
        SCORES + "Chapter 3: " + "1" * 20_000 + " (4/5)",
        _scores({3: 4.0}),
    ),
    ("score: digits/5", SCORES + "Chapter 3: " + "1" * 20_000 + "/5", _scores({})),
    (
        "score: digits and dots",
        SCORES + "Chapter 3: " + "1." * 20_000 + " 3.5/5",
        _scores({3: 3.5}),
    ),
    ("score: dot-digit pairs", SCORES + "Chapter 3: " + ".5" * 20_000 + "/5", _scores({})),
    ("score: digits then 점", SCORES + "Chapter 3: " + "1" * 20_000 + "점", _scores({})),
    ("score: digits and spaces", SCORES + "Chapter 3: " + "1 " * 20_000 + "/ 5", _scores({3: 1.0})),
    ("score: unreadable, short warning", SCORES + "Chapter 3: " + "1" * 20_000, _warned("…")),
    ("label: commas", SCORES + "1," * 20_000 + ": 4점", _scores({3: 4.0})),
    ("label: spaces", SCORES + "Chapter" + " " * 50_000 + "3: 4점", _scores({3: 4.0})),
    ("label: brackets", SCORES + "[" * 50_000 + ": 4점", _scores({3: 4.0})),
    ("label: bracket, spaces", SCORES + "[" + " " * 50_000 + "x: 4점", _scores({3: 4.0})),
    ("label: chapter words", SCORES + "Chapter " * 12_000 + ": 4점", _scores({3: 4.0})),
    ("label: 제 and spaces", SCORES + "제" + " " * 50_000 + "x: 4점", _scores({3: 4.0})),
    ("time: 20,000 digits", TIME + "9" * 20_000 + "분", _minutes(None)),
    ("time: digits and dots", TIME + "1." * 20_000 + "시간", _minutes(None)),
    ("time: a time, then digits", TIME + "2시간 30분 " + "9" * 20_000, _minutes(150)),
    ("time: digits and spaces", TIME + "1 " * 20_000 + "h", _minutes(60)),
    ("question: __a", QUESTIONS + "- " + "__a " * 25_000, _one_question),
    ("question: *a", QUESTIONS + "- " + "*a " * 33_000, _one_question),
    ("question: _a", QUESTIONS + "- " + "_a " * 33_000, _one_question),
    ("question: ![", QUESTIONS + "- " + "![" * 50_000, _one_question),
    ("question: [a](", QUESTIONS + "- " + "[a](" * 25_000, _one_question),
    ("question: ![a](", QUESTIONS + "- " + "![a](" * 20_000, _one_question),
    ("question: 100 KB of >", QUESTIONS + ">" * 100_000 + " 왜?", _one_question),
    ("question: open comments", QUESTIONS + "- 왜?\n" + "<!--" * 25_000, _one_question),
    ("heading: 100 KB", QUESTIONS + "### " + "가" * 100_000, _one_question),
    ("section heading: 100 KB of #", "#" * 100_000 + "\n" + QUESTIONS + "- 왜?", _one_question),
    (
        "front matter: 20,000 chapters",
        "---\nchapter: " + "1 " * 20_000 + "\n---\n" + SCORES + "4점",
        _scores({1: 4.0}),
    ),
    (
        "front matter: long key",
        "---\n" + "a" * 100_000 + "\n---\n" + SCORES + "4점",
        _scores({3: 4.0}),
    ),
]


@pytest.mark.parametrize(
    ("text", "holds"), [(t, h) for _n, t, h in NOTES], ids=[n for n, _t, _h in NOTES]
)
def test_pathological_note_parses_right(text, holds):
    assert holds(parse_note(text, PATH))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1" * 20_000, None),
        ("1" * 20_000 + "/5", None),
        ("4/5 " + "1" * 20_000, 4.0),
        ("1." * 20_000, None),
        ("⭐" * 3 + "1" * 20_000, 3.0),
    ],
)
def test_read_score_on_long_values(value, expected):
    assert read_score(value)[0] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9" * 20_000, None),
        ("1." * 20_000 + "h", None),
        ("90분 " + "9" * 20_000, 90),
        ("1 " * 20_000, None),
    ],
)
def test_read_minutes_on_long_values(value, expected):
    assert read_minutes(value)[0] == expected


def test_unreadable_value_is_shortened_in_its_warning():
    problem = read_score("1" * 20_000)[1]
    assert problem is not None and len(problem) < 200


@pytest.mark.parametrize(
    ("name", "chapters"),
    [
        ("1," * 20_000 + "1장", [1]),
        ("[" * 50_000 + "3장", [3]),
        (" " * 50_000 + "3장", [3]),
        ("ch" + "-" * 50_000 + "3", [3]),
        ("1" * 20_000 + "장", []),
    ],
)
def test_long_file_names(name, chapters):
    assert path_facts(f"책/kim/{name}.md", book_given=False).chapters == chapters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("![" * 900 + "x", "![" * 900 + "x"),
        ("[" * 1000, "[" * 1000),
        ("__a " * 500, ("__a " * 500).strip()),
        ("*가* " * 500, ("가 " * 500).strip()),
        ("[a](" * 500, ("[a](" * 500).strip()),
        ("[링크](https://en.wikipedia.org/wiki/A_(b)) 와 `코드`", "링크 와 코드"),
    ],
)
def test_strip_emphasis_on_long_lines(text, expected):
    assert strip_emphasis(text) == expected
