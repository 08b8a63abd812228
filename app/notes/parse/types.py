"""What the parser yields (ParsedNote), and the JSON shape of it kept in `Note.parsed`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict


@dataclass(frozen=True)
class ParsedQuestion:
    """One item of the 궁금 section: its title (plain text) and body (Markdown)."""

    title: str
    body: str


@dataclass
class ParsedNote:
    """Everything read out of one note."""

    book: str | None
    member: str | None
    title: str
    chapters: list[int]
    questions: list[ParsedQuestion]
    scores: dict[int, float]
    reading_minutes: int | None
    chapter_minutes: dict[int, int]
    # Markdown text of each template section, keyed by
    # "before", "summary", "afterthoughts", "questions", "reading_log", "self_check".
    sections: dict[str, str]
    # The "어려웠던 부분 & 이유" text of the self-check section ("" when absent).
    difficulties: str
    warnings: list[str]
    front_matter: dict[str, object]
    # The note's Markdown without its front matter, with "\n" line endings.
    body: str
    # Set when the file is not a note to import (no member, no template section, the template).
    skip_reason: str | None = None
    chapter_titles: dict[int, str] = field(default_factory=dict)


class NoteParsed(TypedDict, total=False):
    """`Note.parsed`: what was read out of a note, as JSON (chapter numbers as string keys).
    Every key may be missing in a row written by an older version."""

    chapters: list[int]
    scores: dict[str, float]
    chapter_minutes: dict[str, int]
    difficulties: str
    front_matter: dict[str, str]


def note_parsed(parsed: ParsedNote) -> NoteParsed:
    """The JSON kept in `Note.parsed` for a parsed note."""
    return {
        "chapters": parsed.chapters,
        "scores": {str(k): v for k, v in parsed.scores.items()},
        "chapter_minutes": {str(k): v for k, v in parsed.chapter_minutes.items()},
        "difficulties": parsed.difficulties,
        "front_matter": {k: str(v) for k, v in parsed.front_matter.items()},
    }
