"""The reading-log section: total reading time and minutes per chapter (`2시간 20분`,
`1.5시간`, `90분`, `1h30m`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.notes.parse.labels import Entry, attribute, split_label
from app.notes.parse.lines import shorten, strip_marker
from app.notes.parse.sections import CHAPTER_TIME_LABEL, TOTAL_TIME_LABEL, label_blocks
from app.notes.parse.template import PLACEHOLDER_EXAMPLE_RE

# Bounded digit runs that start only where a number starts: linear on long digit runs.
HOURS_RE = re.compile(
    r"(?<![\d.])(\d{1,4}(?:\.\d{1,4})?)\s*(?:시간|hours?|hrs?|h)(?![a-z])", re.IGNORECASE
)
MINUTES_RE = re.compile(r"(?<!\d)(\d{1,5})\s*(?:분|minutes?|mins?|m)(?![a-z])", re.IGNORECASE)
_TAIL_MINUTES_RE = re.compile(r"\s*(\d{1,2})\s*")
_BARE_NUMBER_RE = re.compile(r"\d{1,4}")
MAX_MINUTES = 100 * 60


def _minutes_in(text: str) -> float | None:
    """Minutes written with units in `text` (`1h 30` counts the 30), or None without units."""
    total, found, rest = 0.0, False, text
    hours = HOURS_RE.search(rest)
    if hours:
        total += float(hours.group(1)) * 60
        found = True
        rest = rest[: hours.start()] + " " + rest[hours.end() :]
        tail = _TAIL_MINUTES_RE.fullmatch(text[hours.end() :])
        if tail:
            total += int(tail.group(1))
            rest = rest.replace(tail.group(1), " ", 1)
    for minutes in MINUTES_RE.finditer(rest):
        total += int(minutes.group(1))
        found = True
    return total if found else None


def read_minutes(value: str) -> tuple[int | None, str | None]:
    """Minutes in `2시간 20분`, `1.5시간`, `90분`, `1h 30`, `1h30m`, `30m`, `(1시간)`:
    (minutes, problem). `(예: …)` placeholders count as nothing."""
    had_placeholder = bool(PLACEHOLDER_EXAMPLE_RE.search(value))
    text = PLACEHOLDER_EXAMPLE_RE.sub(" ", value).strip().strip(" ()[]-:：~")
    if not text:
        return None, ("템플릿 예시 '(예: …)'만 있습니다" if had_placeholder else None)
    total = _minutes_in(text)
    if total is None:
        if _BARE_NUMBER_RE.fullmatch(text):
            return int(text), "단위가 없어 분으로 읽었습니다"
        return None, f"'{shorten(value)}'을(를) 시간으로 읽을 수 없습니다"
    minutes_total = round(total)
    if minutes_total <= 0 or minutes_total > MAX_MINUTES:
        return None, f"'{shorten(value)}'은(는) 믿기 어려운 시간이어서 버렸습니다"
    return minutes_total, None


@dataclass
class Reading:
    """The total minutes and the minutes per chapter of one note."""

    total: int | None = None
    chapter_minutes: dict[int, int] = field(default_factory=dict)
    placeholders: int = 0


def _read_into(
    reading: Reading, what: str, text: str, warnings: list[str]
) -> tuple[int | None, str | None]:
    """Read one time value; a problem becomes a warning, a `(예: …)` a placeholder count."""
    minutes, problem = read_minutes(text)
    if problem and "예" in problem:
        reading.placeholders += 1
    elif problem:
        warnings.append(f"{what}: {problem}.")
    return minutes, problem


def _chapter_entries(
    reading: Reading, lines: list[str], warnings: list[str]
) -> tuple[list[tuple[Entry, float]], int]:
    """The per-chapter time lines, read; and how many were written."""
    entries: list[tuple[Entry, float]] = []
    written = 0
    for line in lines:
        text = strip_marker(line)
        if not text or not text.strip(". …"):
            continue
        entry = split_label(text)
        written += 1
        what = f"장별 소요 시간 '{shorten(text)}'"
        minutes, problem = _read_into(reading, what, entry.value, warnings)
        if minutes is None and problem is None:
            warnings.append(f"장별 소요 시간 '{shorten(text)}'이(가) 비어 있습니다.")
        if minutes is not None:
            entries.append((entry, minutes))
    return entries, written


def parse_reading(reading_log: list[str], chapters: list[int], warnings: list[str]) -> Reading:
    """Total and per-chapter reading minutes of the 독서 과정 section."""
    result = Reading()
    blocks = label_blocks(reading_log, [TOTAL_TIME_LABEL, CHAPTER_TIME_LABEL])
    if TOTAL_TIME_LABEL in blocks:
        inline = blocks[TOTAL_TIME_LABEL][0]
        result.total = _read_into(result, "총 독서 시간", inline, warnings)[0]
    entries: list[tuple[Entry, float]] = []
    written = 0
    if CHAPTER_TIME_LABEL in blocks:
        inline, under = blocks[CHAPTER_TIME_LABEL]
        lines = ([inline] if inline else []) + under
        entries, written = _chapter_entries(result, lines, warnings)
    if result.placeholders:
        warnings.append(
            f"독서 시간에 템플릿 예시 '(예: …)' {result.placeholders}개가 남아 있어 무시했습니다."
        )
    attributed = attribute(entries, chapters, "장별 소요 시간", warnings, written)
    result.chapter_minutes = {chapter: int(value) for chapter, value in attributed.items()}
    per_chapter_sum = sum(result.chapter_minutes.values())
    if result.total is None and result.chapter_minutes:
        result.total = per_chapter_sum
    elif result.total is not None and result.chapter_minutes and per_chapter_sum != result.total:
        warnings.append(
            f"총 독서 시간({result.total}분)과 장별 소요 시간의 합({per_chapter_sum}분)이 "
            "다릅니다. 총 독서 시간을 썼습니다."
        )
    return result
