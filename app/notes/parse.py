"""Read a study note: what NOTE_FORMAT.md says a note yields. Pure: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath


class NoteReadError(Exception):
    """A file that cannot be read as a note at all (binary, empty, too large, bad encoding)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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


def decode_note(data: bytes, max_bytes: int) -> str:
    """Decode a note's bytes (UTF-8 with or without BOM, or CP949/EUC-KR) or raise NoteReadError."""
    raise NotImplementedError


def parse_note(
    text: str,
    path: str | PurePosixPath,
    *,
    book: str | None = None,
    member: str | None = None,
) -> ParsedNote:
    """Parse a decoded note. `path` is relative to the imported root (or to the book when
    `book` is given); `book`/`member` from the command line override the path."""
    raise NotImplementedError
