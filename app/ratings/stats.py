"""Statistics of comprehension scores. Pure: no Flask, no database."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_SCORE = 0.5
MAX_SCORE = 5.0
# The ten possible scores, 0.5 to 5 in half steps: one histogram bin each.
HALF_STEPS: tuple[float, ...] = tuple(step / 2 for step in range(1, 11))
# A valid float score's histogram bin: a float is a valid score exactly when it is a key here.
_BIN_OF: dict[float, int] = {step: index for index, step in enumerate(HALF_STEPS)}


@dataclass(frozen=True)
class ScoreStats:
    """Count, centre and spread of a set of scores, with their half-step histogram."""

    count: int
    mean: float | None
    median: float | None
    std_dev: float | None  # population standard deviation
    minimum: float | None
    maximum: float | None
    histogram: tuple[int, ...]

    @property
    def range_text(self) -> str:
        """'2.5–4.0' or '' when there is no score."""
        if self.minimum is None or self.maximum is None:
            return ""
        return f"{self.minimum:.1f}–{self.maximum:.1f}"


def is_valid_score(value: float) -> bool:
    """True for 0.5 to 5 in steps of 0.5."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and MIN_SCORE <= value <= MAX_SCORE
        and float(value * 2).is_integer()
    )


def histogram(scores: Iterable[float]) -> tuple[int, ...]:
    """How many scores fall on each half step 0.5..5 (ten bins); other values are ignored."""
    counts = [0] * len(HALF_STEPS)
    for score in scores:
        if is_valid_score(score):
            counts[round(score * 2) - 1] += 1
    return tuple(counts)


def _float_histogram(values: Sequence[float]) -> tuple[int, ...]:
    """histogram() of plain floats, by one dict lookup each (1,500 scores on a dashboard)."""
    counts = [0] * len(HALF_STEPS)
    for value in values:
        index = _BIN_OF.get(value)
        if index is not None:
            counts[index] += 1
    return tuple(counts)


def summarize(scores: Iterable[float]) -> ScoreStats:
    """Count, mean, median, population standard deviation, min–max and histogram."""
    values: Sequence[float] = [float(score) for score in scores]
    if not values:
        return ScoreStats(0, None, None, None, None, None, histogram(()))
    mean = statistics.fmean(values)
    return ScoreStats(
        count=len(values),
        mean=mean,
        median=float(statistics.median(values)),
        # Not statistics.pstdev: its exact fractions cost more than the whole dashboard's
        # queries at 30 chapters × 50 scores; floats are plenty for a 0.5–5 scale.
        std_dev=math.sqrt(statistics.fmean([(value - mean) ** 2 for value in values])),
        minimum=min(values),
        maximum=max(values),
        histogram=_float_histogram(values),
    )


@dataclass(frozen=True)
class ChapterDifficulty:
    """What ranks a chapter as hard: its mean score, open questions and reading time."""

    number: int
    mean: float | None
    open_questions: int
    minutes: int


def rank_hardest(chapters: Iterable[ChapterDifficulty]) -> list[ChapterDifficulty]:
    """Hardest first: lowest mean score, then most open questions, then most reading time.

    Chapters nobody scored come after every scored chapter (no score says nothing about
    difficulty); among them open questions and reading time still order them.
    """
    return sorted(
        chapters,
        key=lambda c: (
            c.mean is None,
            c.mean if c.mean is not None else 0.0,
            -c.open_questions,
            -c.minutes,
            c.number,
        ),
    )
