"""Chapter numbers: in a file or folder name, a score or time label, front matter, or the
editor's chapter field. One reading of a chapter list (`3`, `4, 5`, `5-7`, `5.7`) for all."""

from __future__ import annotations

import re

MAX_CHAPTER = 10_000
# In a name, a longer span is not a range (`1-100` names chapter 1).
MAX_RANGE = 50
# The editor's field: at most this many chapters, and no longer range.
MAX_CHAPTERS_PER_NOTE = 20
# A list in a name holds at most this many numbers after its first. The bound keeps the
# search linear: from every digit of a long `1,1,1,…` the pattern looks only this far.
MAX_LIST_ITEMS = 20

CHAPTER_WORD = r"(?:chapter|chatper|chaper|chpater|chap|ch)"
_NUMBER = r"\d{1,5}(?:\.\d{1,5})?"
NUMBER_LIST = rf"{_NUMBER}(?:\s*(?:[-~–]|,|&)\s*{_NUMBER}){{0,{MAX_LIST_ITEMS}}}"
CHAPTER_TOKEN_RE = re.compile(
    rf"(?<![a-z]){CHAPTER_WORD}\.?[\s_-]*(?P<en>{NUMBER_LIST})"
    rf"|(?:제\s*)?(?P<ko>\d{{1,5}}(?:\s*[-~–,]\s*\d{{1,5}}){{0,{MAX_LIST_ITEMS}}})\s*장"
    rf"|(?P<week>\d{{1,5}})\s*주차",
    re.IGNORECASE,
)
_DASH_RE = re.compile(r" ?([-~–]) ?")
_SEPARATORS_RE = re.compile(r"[,&\s]+")
_RANGE_RE = re.compile(r"(\d{1,5})(?:\.\d{1,5})?(?:[-~–](\d{1,5})(?:\.\d{1,5})?)?")
_BRACKETS_RE = re.compile(r"\[[^\[\]]*\]")
_WHOLE_BRACKET_RE = re.compile(r"\[([^\]]*)\]")
_SPACES_RE = re.compile(r"\s+")


def chapter_ranges(text: str) -> list[tuple[str, tuple[int, int] | None]]:
    """Each part of a chapter list with its (first, last) chapter, or None when the part is
    no number or range. `5.7` is section 7 of chapter 5; `장` is ignored."""
    compact = _DASH_RE.sub(r"\1", " ".join(text.replace("장", " ").split()))
    parts = []
    for part in filter(None, _SEPARATORS_RE.split(compact)):
        match = _RANGE_RE.fullmatch(part)
        bounds = (int(match.group(1)), int(match.group(2) or match.group(1))) if match else None
        parts.append((part, bounds))
    return parts


def chapter_numbers(text: str) -> list[int]:
    """The chapters a name's list names, sorted (`5-7` → 5, 6, 7; `4, 5.7` → 4, 5);
    unreadable parts are left out and an implausible range counts as its first chapter."""
    numbers: set[int] = set()
    for _part, bounds in chapter_ranges(text):
        if bounds is None:
            continue
        first, last = bounds
        numbers.update(range(first, last + 1) if 0 <= last - first <= MAX_RANGE else [first])
    return sorted(n for n in numbers if n <= MAX_CHAPTER)


def parse_chapter_list(text: str) -> list[int]:
    """The editor's chapter field ("3", "4, 5", "5-7"), in order without repeats; a Korean
    ValueError for anything else."""
    numbers: list[int] = []
    for part, bounds in chapter_ranges(text):
        if bounds is None:
            raise ValueError(f"장 번호를 읽을 수 없습니다: '{part}' (예: 3, 4-5)")
        first, last = bounds
        if last < first or last - first >= MAX_CHAPTERS_PER_NOTE or last > MAX_CHAPTER:
            raise ValueError(f"장 범위가 올바르지 않습니다: '{part}'")
        numbers.extend(n for n in range(first, last + 1) if n not in numbers)
    if not numbers:
        raise ValueError("장을 하나 이상 적어 주세요 (예: 3 또는 4-5).")
    if len(numbers) > MAX_CHAPTERS_PER_NOTE:
        raise ValueError(f"한 노트에는 {MAX_CHAPTERS_PER_NOTE}개 장까지 묶을 수 있습니다.")
    return numbers


def chapters_in_name(name: str) -> tuple[list[int], str | None]:
    """The chapters a file or folder name names, and the title that follows them
    (`[5장][지표 모니터링]` → [5], "지표 모니터링"; `ch03` → [3], None)."""
    match = CHAPTER_TOKEN_RE.search(name)
    if not match:
        return [], None
    numbers = chapter_numbers(match.group("en") or match.group("ko") or match.group("week"))
    if not numbers:
        return [], None
    start, end = match.span()
    for bracket in _BRACKETS_RE.finditer(name):
        if bracket.start() <= start and end <= bracket.end():
            start, end = bracket.span()
            break
    rest = (name[:start] + " " + name[end:]).strip(" \t.-_:·,")
    whole = _WHOLE_BRACKET_RE.fullmatch(rest)
    if whole:
        rest = whole.group(1)
    rest = _SPACES_RE.sub(" ", rest).strip(" \t.-_:·,")
    return numbers, (rest or None)


def chapters_in_label(text: str) -> list[int]:
    """Chapters named in a score or time label (`Chapter 2`, `Chatper2`, `3장`)."""
    return chapters_in_name(text)[0]


def front_matter_chapters(front: dict[str, object]) -> list[int] | None:
    """The chapters front matter names (`chapter: 3`, `chapters: [4, 5]`), or None."""
    value = front.get("chapters", front.get("chapter"))
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else [value]
    numbers: set[int] = set()
    for item in items:
        numbers.update(chapter_numbers(str(item)))
    return sorted(numbers) or None
