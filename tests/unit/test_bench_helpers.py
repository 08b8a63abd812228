"""The benchmark's pure helpers: percentiles, and the notes it generates."""

import pytest

from bench.generate import compose_note, member_names, minutes_text, stars
from bench.run import percentile, verdict


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ([5.0], 0.5, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.0),
        (list(range(1, 101)), 0.99, 99),
        (list(range(1, 101)), 0.50, 50),
        ([3.0, 1.0, 2.0], 1.0, 3.0),
    ],
)
def test_percentile_is_nearest_rank(values, share, expected):
    assert percentile(values, share) == expected


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        percentile([], 0.5)


@pytest.mark.parametrize(("ok", "word"), [(True, "PASS"), (False, "MISS"), (None, "n/a")])
def test_verdict(ok, word):
    assert verdict(ok) == word


@pytest.mark.parametrize(
    ("score", "text"),
    [
        (4.0, "⭐⭐⭐⭐☆ (4/5)"),
        (3.5, "⭐⭐⭐½☆ (3.5/5)"),
        (5.0, "⭐⭐⭐⭐⭐ (5/5)"),
        (0.5, "½☆☆☆☆ (0.5/5)"),
    ],
)
def test_stars_writes_the_template_score_line(score, text):
    assert stars(score) == text


@pytest.mark.parametrize(
    ("minutes", "text"), [(140, "2시간 20분"), (45, "45분"), (180, "3시간"), (60, "1시간")]
)
def test_minutes_text(minutes, text):
    assert minutes_text(minutes) == text


def test_members_have_fifty_unique_names():
    assert len(set(member_names())) == 50


def test_a_generated_note_has_every_template_section_and_its_figures():
    note = compose_note(book_index=1, member_index=3, chapter=7)
    for keyword in ("목차", "내용 정리", "후기", "궁금", "독서 과정", "이해도"):
        assert any(keyword in line for line in note.text.splitlines() if line.startswith("#"))
    assert f"Chapter 7: {stars(note.score)}" in note.text
    assert f"**총 독서 시간**: {minutes_text(note.minutes)}" in note.text
    assert "```" in note.text and "| 항목 |" in note.text and "<details>" in note.text
    assert len(note.questions) == 4
    assert note.relative_path == f"{member_names()[3]}/[7장][{note.chapter_title}].md"


def test_generated_notes_are_deterministic():
    assert compose_note(0, 0, 1).text == compose_note(0, 0, 1).text
    assert compose_note(0, 0, 1).text != compose_note(0, 1, 1).text
