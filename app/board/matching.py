"""Match a note's questions to the threads made from it earlier. Pure: no Flask, no database."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t.,;:!?~·…？！。"


def normalize_title(title: str) -> str:
    """A question title reduced to what identifies it: NFKC, case, spacing, end punctuation."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = _SPACES.sub(" ", text)
    return text.strip(_EDGE_PUNCTUATION)


def clean_title(title: str, max_length: int = 500) -> str:
    """A question title as stored: one line, single spaces, at most `max_length` characters."""
    title = " ".join(strip_controls(title).split())
    return title[:max_length] if has_visible_text(title) else "(제목 없음)"


def strip_controls(text: str) -> str:
    """The text without control characters (NUL, escapes); tabs and newlines become spaces."""
    return "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) != "Cc"
    )


def has_visible_text(text: str) -> bool:
    """Whether anything but spaces, controls and zero-width (format) characters is in the text."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf") for ch in text)


@dataclass(frozen=True)
class KnownQuestion:
    """A thread already made from the note: its key, title, place and whether it left the note."""

    key: Hashable
    title: str
    position: int | None
    removed: bool = False


def match_questions(known: Sequence[KnownQuestion], titles: Sequence[str]) -> list[Hashable | None]:
    """For each incoming title, the key of the known thread it continues (or None for a new one).

    First every title is paired with a known thread of the same normalized title (in order,
    so duplicates pair up one to one); then each title still unpaired takes the unpaired thread
    that stood at the same position, unless that thread had already left the note.
    """
    result: list[Hashable | None] = [None] * len(titles)
    by_title: dict[str, list[KnownQuestion]] = {}
    ordered = sorted(known, key=lambda q: (q.removed, _position_key(q.position)))
    for question in ordered:
        by_title.setdefault(normalize_title(question.title), []).append(question)
    used: set[Hashable] = set()
    for index, title in enumerate(titles):
        candidates = by_title.get(normalize_title(title))
        if candidates:
            chosen = candidates.pop(0)
            result[index] = chosen.key
            used.add(chosen.key)
    by_position = {
        q.position: q
        for q in ordered
        if q.key not in used and not q.removed and q.position is not None
    }
    for index in range(len(titles)):
        if result[index] is None and (question := by_position.pop(index, None)) is not None:
            result[index] = question.key
    return result


def _position_key(position: int | None) -> int:
    return position if position is not None else 1 << 30
