"""Score statistics: table-driven, no app."""

import math

import pytest

from app.ratings.stats import (
    ChapterDifficulty,
    histogram,
    is_valid_score,
    rank_hardest,
    summarize,
)


@pytest.mark.parametrize(
    ("scores", "count", "mean", "median", "std_dev", "minimum", "maximum"),
    [
        ([], 0, None, None, None, None, None),
        ([3.0], 1, 3.0, 3.0, 0.0, 3.0, 3.0),
        ([4.0, 2.0], 2, 3.0, 3.0, 1.0, 2.0, 4.0),
        ([5, 4, 5, 4], 4, 4.5, 4.5, 0.5, 4.0, 5.0),
        ([1.0, 2.0, 4.5], 3, 2.5, 2.0, math.sqrt(6.5 / 3), 1.0, 4.5),
        ([0.5, 0.5, 5.0, 5.0, 5.0], 5, 3.2, 5.0, math.sqrt(4.86), 0.5, 5.0),
    ],
)
def test_summarize(scores, count, mean, median, std_dev, minimum, maximum):
    stats = summarize(scores)
    assert stats.count == count
    for got, want in [
        (stats.mean, mean),
        (stats.median, median),
        (stats.std_dev, std_dev),
        (stats.minimum, minimum),
        (stats.maximum, maximum),
    ]:
        assert got == pytest.approx(want) if want is not None else got is None


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], (0,) * 10),
        ([0.5], (1, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        ([5.0, 5, 4.5], (0, 0, 0, 0, 0, 0, 0, 0, 1, 2)),
        ([1, 1.5, 2, 2.5, 3, 3.5, 4], (0, 1, 1, 1, 1, 1, 1, 1, 0, 0)),
        # Values that are no score at all are left out, never misfiled.
        ([0.0, 5.5, 3.25, float("nan"), 3.0], (0, 0, 0, 0, 0, 1, 0, 0, 0, 0)),
    ],
)
def test_histogram_half_steps(scores, expected):
    assert histogram(scores) == expected
    assert summarize([s for s in scores if is_valid_score(s)]).histogram == expected


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (0.5, True),
        (5, True),
        (3.5, True),
        (0, False),
        (5.5, False),
        (2.25, False),
        (-1, False),
        (float("inf"), False),
        (True, False),
    ],
)
def test_is_valid_score(value, valid):
    assert is_valid_score(value) is valid


@pytest.mark.parametrize(
    ("scores", "text"),
    [([], ""), ([2.5, 4], "2.5–4.0"), ([3], "3.0–3.0")],
)
def test_range_text(scores, text):
    assert summarize(scores).range_text == text


def _chapter(number, mean, questions=0, minutes=0):
    return ChapterDifficulty(number, mean, questions, minutes)


@pytest.mark.parametrize(
    ("chapters", "order"),
    [
        ([], []),
        # Lowest mean first.
        ([_chapter(1, 4.0), _chapter(2, 2.5), _chapter(3, 3.0)], [2, 3, 1]),
        # Same mean: most open questions first.
        ([_chapter(1, 3.0, 1), _chapter(2, 3.0, 4)], [2, 1]),
        # Same mean and questions: most reading time first.
        ([_chapter(1, 3.0, 2, 30), _chapter(2, 3.0, 2, 90)], [2, 1]),
        # Unscored chapters come last, ordered by questions, then time, then number.
        (
            [_chapter(1, None, 5), _chapter(2, 5.0), _chapter(3, None, 5, 10), _chapter(4, None)],
            [2, 3, 1, 4],
        ),
    ],
)
def test_rank_hardest(chapters, order):
    assert [c.number for c in rank_hardest(chapters)] == order
