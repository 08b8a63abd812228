"""Score and time lines: the chapter label in front of a value (`Chapter 2: 4/5`), and the
rule that gives each value its chapter (docs/NOTE_FORMAT.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.notes.parse.chapters import CHAPTER_WORD, chapters_in_label
from app.notes.parse.lines import shorten
from app.notes.parse.template import PLACEHOLDER_EXAMPLE_RE

# The label, then the value. Whitespace runs are never next to each other (an optional
# `[`, `제` or `]` stands between), so a long run of spaces is scanned once; `(.*)$`
# always matches, so nothing after the label backtracks.
_LEAD_RE = re.compile(
    rf"^\[?\s*((?:{CHAPTER_WORD})\.?\s*\d{{1,5}}(?:\.\d{{1,5}})?|(?:제\s*)?\d{{1,5}}\s*장|"
    rf"\d{{1,5}}\s*주차)\s*\]?\s*[:：\-–]?\s*(.*)$",
    re.IGNORECASE,
)
_SCORE_LIKE_RE = re.compile(r"[⭐☆★½]|\d\s*/\s*5")


@dataclass
class Entry:
    """One score or time line: its chapter label (None when unlabelled) and its raw text."""

    label: list[int] | None
    label_text: str
    value: str
    raw: str


def split_label(text: str) -> Entry:
    """`Chapter 2: ⭐⭐⭐⭐☆ (4/5)` → label [2], value `⭐⭐⭐⭐☆ (4/5)`;
    `Chatper2 (30m)` → [2], `(30m)`; `⭐⭐⭐⭐☆ (4/5)` → unlabelled."""
    lead = _LEAD_RE.match(text)
    if lead:
        return Entry(chapters_in_label(lead.group(1)) or None, lead.group(1), lead.group(2), text)
    head, sep, tail = PLACEHOLDER_EXAMPLE_RE.sub("", text).partition(":")
    if sep and not _SCORE_LIKE_RE.search(head):
        label = chapters_in_label(head) or None
        return Entry(label, head.strip(), text.split(":", 1)[1] if ":" in text else tail, text)
    return Entry(None, "", text, text)


def _attribute_one(
    entry: Entry, value: float, chapters: list[int], what: str, warnings: list[str]
) -> dict[int, float]:
    """The one-line rule: a single value belongs to the note's (first) chapter."""
    label = entry.label[0] if entry.label else None
    if label is not None and (label in chapters or not chapters):
        return {label: value}
    if not chapters:
        warnings.append(f"{what}가 어느 장의 것인지 알 수 없어 버렸습니다.")
        return {}
    target = chapters[0]
    if label is None:
        warnings.append(f"{what}에 장 표시가 없어 {target}장의 것으로 보았습니다.")
    else:
        warnings.append(
            f"{what}의 장({shorten(entry.label_text)})이 이 노트의 장이 아니어서 "
            f"{target}장의 것으로 보았습니다."
        )
    return {target: value}


def attribute(
    entries: list[tuple[Entry, float]],
    chapters: list[int],
    what: str,
    warnings: list[str],
    written_lines: int,
) -> dict[int, float]:
    """Give each value its chapter. `written_lines` counts the lines written, readable or
    not: the one-line rule only applies when the writer wrote a single line."""
    if len(entries) == 1 and written_lines <= 1:
        return _attribute_one(*entries[0], chapters, what, warnings)
    result: dict[int, float] = {}
    for entry, value in entries:
        label = entry.label[0] if entry.label else None
        if label is None:
            warnings.append(f"{what} 줄 '{shorten(entry.raw)}'에 장 표시가 없어 버렸습니다.")
            continue
        if label in result:
            warnings.append(f"{label}장의 {what}가 여러 번 적혀 있어 처음 것을 썼습니다.")
            continue
        if chapters and label not in chapters:
            warnings.append(f"{what}에 이 노트가 다루지 않는 {label}장이 있습니다.")
        result[label] = value
    return result
