"""The self-check section: scores per chapter (`⭐⭐⭐⭐☆ (4/5)`, `4점`) and the
"어려웠던 부분 & 이유" text."""

from __future__ import annotations

import re

from app.notes.parse.labels import Entry, split_label
from app.notes.parse.lines import dedent, shorten, strip_marker, trim_blank
from app.notes.parse.sections import (
    DIFFICULTY_LABEL,
    SCORE_LABEL,
    SELF_CHECK_LABELS,
    label_blocks,
)
from app.notes.parse.template import (
    PLACEHOLDER_EXAMPLE_RE,
    TEMPLATE_SCORE_EXAMPLE,
    is_placeholder_line,
)

# Digit runs are bounded and start only where a number starts, so a long run of digits
# costs linear time (an unbounded `\d+` retried at every digit is quadratic).
SCORE_FRACTION_RE = re.compile(r"(?<![\d.])(\d{1,4}(?:\.\d{1,4})?)\s*/\s*5(?!\d)")
SCORE_POINTS_RE = re.compile(r"(?<![\d.])(\d{1,4}(?:\.\d{1,4})?)\s*점")
_SCORE_LINE_RE = re.compile(r"[⭐★½]|\d\s*/\s*5(?!\d)")
_REASON_LEAD_RE = re.compile(r"^[^:：]*?이유\s*")


def read_score(value: str) -> tuple[float | None, str | None]:
    """A score from `⭐⭐⭐½☆ (3.5/5)`, `4점`, `4/5`, or stars alone: (score, problem)."""
    value = PLACEHOLDER_EXAMPLE_RE.sub("", value)
    explicit = SCORE_FRACTION_RE.search(value) or SCORE_POINTS_RE.search(value)
    stars = value.count("⭐") + value.count("★") + 0.5 * value.count("½")
    has_stars = bool(stars) or "☆" in value
    if explicit:
        score = float(explicit.group(1))
        problem = None
        if has_stars and stars != score:
            problem = f"별 {stars:g}개와 적힌 점수 {score:g}가 달라 적힌 점수를 썼습니다"
    elif has_stars:
        score, problem = stars, None
    elif not value.strip(" -:()"):
        return None, "비어 있습니다"
    else:
        return None, f"'{shorten(value)}'을(를) 점수로 읽을 수 없습니다"
    if not (0.5 <= score <= 5) or (score * 2) != int(score * 2):
        return None, f"{score:g}점은 0.5~5점(0.5점 단위)이 아니어서 버렸습니다"
    return score, problem


def _score_lines(self_check: list[str]) -> list[str]:
    """The written score lines: under the score label, or any line that looks like a score."""
    blocks = label_blocks(self_check, SELF_CHECK_LABELS)
    if SCORE_LABEL in blocks:
        inline, block = blocks[SCORE_LABEL]
        lines = ([inline] if inline else []) + block
    else:
        lines = [
            line
            for line in self_check
            if _SCORE_LINE_RE.search(line) and DIFFICULTY_LABEL not in line
        ]
    texts = [strip_marker(line) for line in lines]
    return [text for text in texts if text and text.strip(". …")]


def parse_scores(
    self_check: list[str], warnings: list[str]
) -> tuple[list[tuple[Entry, float]], int]:
    """Score lines of the self-check section, read; and how many score lines were written."""
    texts = _score_lines(self_check)
    if texts and set(texts) == TEMPLATE_SCORE_EXAMPLE:
        warnings.append(
            "이해도 점수가 템플릿 예시(Chapter 1: 3/5, Chapter 2: 4/5) 그대로여서 점수로 보지 "
            "않았습니다."
        )
        return [], 0
    entries: list[tuple[Entry, float]] = []
    for text in texts:
        entry = split_label(text)
        score, problem = read_score(entry.value)
        if problem:
            warnings.append(f"이해도 점수 '{shorten(text)}': {problem}.")
        if score is not None:
            entries.append((entry, score))
    return entries, len(texts)


def parse_difficulties(self_check: list[str], warnings: list[str]) -> str:
    """The "어려웠던 부분 & 이유" text, without the template's placeholder lines."""
    blocks = label_blocks(self_check, SELF_CHECK_LABELS)
    if DIFFICULTY_LABEL not in blocks:
        return ""
    inline, under = blocks[DIFFICULTY_LABEL]
    inline = _REASON_LEAD_RE.sub("", inline).lstrip(":： ").strip()
    kept = [line for line in dedent(under) if not is_placeholder_line(line)]
    if len(kept) < len(under):
        warnings.append("'어려웠던 부분 & 이유'에 템플릿 안내 문구가 남아 있어 빼고 읽었습니다.")
    lines = ([inline] if inline else []) + trim_blank(kept)
    return "\n".join(lines).strip()
