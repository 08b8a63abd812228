"""A note cut at its template section headings, and the labelled blocks inside a section
(`- **총 독서 시간**: 3시간`, `- **자신의 이해도를 점수로 표현하기**` and the lines under it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.notes.parse.lines import code_mask, heading_text, indent_width

# (section key, keyword in the heading, Korean name for messages), in the template's order.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("before", "목차", "목차를 읽기 전에 든 생각"),
    ("summary", "내용 정리", "내용 정리"),
    ("afterthoughts", "후기", "후기"),
    ("questions", "궁금", "특별히 궁금했던 부분"),
    ("reading_log", "독서 과정", "독서 과정 기록"),
    ("self_check", "이해도", "이해도 점검"),
)
SECTION_KEYS = tuple(key for key, _keyword, _name in SECTIONS)
SECTION_NAMES = {key: name for key, _keyword, name in SECTIONS}

TOTAL_TIME_LABEL = "총 독서 시간"
CHAPTER_TIME_LABEL = "장별"
DIFFICULTY_LABEL = "어려웠던 부분"
SCORE_LABEL = "점수로"
INSIGHT_LABEL = "깨달음"
SELF_CHECK_LABELS = (DIFFICULTY_LABEL, SCORE_LABEL, INSIGHT_LABEL)

_TO_BOLD_END_RE = re.compile(r"^[^*:：]*\*\*")
_OUT_OF_FIVE_RE = re.compile(r"\(\s*5\s*점\s*만점\s*\)")


def section_of_heading(text: str) -> str | None:
    """The template section a heading's text names, or None."""
    for key, keyword, _name in SECTIONS:
        if keyword in text:
            return key
    return None


@dataclass
class Sections:
    """The lines before the first section, each section's lines, and the keys found in order."""

    preamble: list[str]
    texts: dict[str, list[str]]
    found: list[str]

    def lines(self, key: str) -> list[str]:
        """The lines of one section ([] when the note has none)."""
        return self.texts.get(key, [])


def split_sections(lines: list[str]) -> Sections:
    """Cut the note at the headings that name a template section (never inside code)."""
    result = Sections(preamble=[], texts={}, found=[])
    current: list[str] = result.preamble
    for line, in_code in zip(lines, code_mask(lines), strict=True):
        heading = None if in_code else heading_text(line)
        key = section_of_heading(heading) if heading else None
        if key is None:
            current.append(line)
            continue
        if key not in result.texts:
            result.texts[key] = []
            result.found.append(key)
        current = result.texts[key]
    return result


def _after_label(line: str, label: str) -> str:
    """The text after a label on its line, without bold markers, `(5점 만점)` and colon."""
    after = line.split(label, 1)[1]
    after = _TO_BOLD_END_RE.sub("", after) if "**" in after else after
    after = _OUT_OF_FIVE_RE.sub("", after)
    return after.replace("**", "").strip().lstrip(":：").strip()


def label_blocks(lines: list[str], labels: Iterable[str]) -> dict[str, tuple[str, list[str]]]:
    """For each label (`총 독서 시간`, `점수로`…) found on a top-level line: the text after
    the label on that line, and the lines under it up to the next label or heading."""
    labels = list(labels)
    blocks: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    for line, in_code in zip(lines, code_mask(lines), strict=True):
        found = None
        if not in_code and indent_width(line) < 2:
            found = next((label for label in labels if label in line), None)
        if found is not None and found not in blocks:
            current = []
            blocks[found] = (_after_label(line, found), current)
        elif found is not None or (not in_code and heading_text(line) is not None):
            current = None
        elif current is not None:
            current.append(line)
    return blocks
