"""Match a note's questions to the threads made from it earlier. Pure: no Flask, no database."""

from __future__ import annotations

import bisect
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
    """A thread already made from the note: its key, title, place, whether it left the note
    and its body (for matching an edited question by content)."""

    key: Hashable
    title: str
    position: int | None
    removed: bool = False
    body: str = ""


# Content similarity (character bigrams of title and body, Jaccard) at or above which an
# unmatched question continues an unmatched thread; compared only within WINDOW places of
# where the thread is expected, so a 10,000-question note costs ~n·WINDOW comparisons.
SIMILARITY_THRESHOLD = 0.5
WINDOW = 25


def match_questions(
    known: Sequence[KnownQuestion], titles: Sequence[str], bodies: Sequence[str] | None = None
) -> list[Hashable | None]:
    """For each incoming title (and body), the key of the known thread it continues, or None.

    1. Exact title: each title pairs with a known thread of the same normalized title (in
       order, so duplicates pair up one to one), preferring threads still in the note.
    2. Content: each question still unpaired takes the most similar unpaired thread (title
       and body) near the place it is expected, judged from the neighbours already paired.
    3. Position: then the unpaired thread (not one that left the note) standing at the
       expected place, or at the same index.
    """
    bodies = list(bodies) if bodies is not None else [""] * len(titles)
    result = _match_titles(known, titles)
    _match_similar(known, titles, bodies, result)
    _match_positions(known, result)
    return result


def similarity(first: str, second: str) -> float:
    """How alike two texts are, 0 to 1: Jaccard of their character bigrams (NFKC, casefold)."""
    return _jaccard(shingles(first), shingles(second))


def shingles(text: str) -> frozenset[str]:
    """The character bigrams of a text after normalization (a one-letter text is itself)."""
    text = normalize_title(text)
    if len(text) < 2:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def _match_titles(known: Sequence[KnownQuestion], titles: Sequence[str]) -> list[Hashable | None]:
    result: list[Hashable | None] = [None] * len(titles)
    by_title: dict[str, list[KnownQuestion]] = {}
    for question in sorted(known, key=lambda q: (q.removed, _position_key(q.position))):
        by_title.setdefault(normalize_title(question.title), []).append(question)
    for index, title in enumerate(titles):
        candidates = by_title.get(normalize_title(title))
        if candidates:
            result[index] = candidates.pop(0).key
    return result


def _expected_positions(known: Sequence[KnownQuestion], result: list[Hashable | None]) -> list[int]:
    """Where each incoming question's thread would stand: the last paired neighbour's old
    place plus the distance to it (the index itself before any neighbour is paired)."""
    places = {q.key: q.position for q in known}
    expected: list[int] = []
    anchor_index, anchor_place = 0, 0
    for index, key in enumerate(result):
        place = places.get(key) if key is not None else None
        if place is not None:
            anchor_index, anchor_place = index, place
        expected.append(anchor_place + index - anchor_index)
    return expected


def _unmatched(
    known: Sequence[KnownQuestion], result: list[Hashable | None]
) -> list[KnownQuestion]:
    used = {key for key in result if key is not None}
    return [q for q in known if q.key not in used]


def _match_similar(
    known: Sequence[KnownQuestion],
    titles: Sequence[str],
    bodies: Sequence[str],
    result: list[Hashable | None],
) -> None:
    """Pair unpaired questions with unpaired threads by content, most similar pairs first."""
    free = sorted(
        (q for q in _unmatched(known, result) if q.position is not None),
        key=lambda q: q.position or 0,
    )
    if not free or None not in result:
        return
    places = [q.position for q in free if q.position is not None]
    known_shingles: dict[int, frozenset[str]] = {}
    expected = _expected_positions(known, result)
    pairs: list[tuple[float, int, int, int]] = []
    for index, key in enumerate(result):
        if key is not None:
            continue
        incoming = shingles(f"{titles[index]} {bodies[index]}")
        low = bisect.bisect_left(places, expected[index] - WINDOW)
        high = bisect.bisect_right(places, expected[index] + WINDOW)
        for slot in range(low, high):
            if slot not in known_shingles:
                known_shingles[slot] = shingles(f"{free[slot].title} {free[slot].body}")
            score = _jaccard(incoming, known_shingles[slot])
            if score >= SIMILARITY_THRESHOLD:
                distance = abs(places[slot] - expected[index])
                pairs.append((-score, distance, index, slot))
    taken: set[int] = set()
    for _score, _distance, index, slot in sorted(pairs):
        if result[index] is None and slot not in taken:
            result[index] = free[slot].key
            taken.add(slot)


def _match_positions(known: Sequence[KnownQuestion], result: list[Hashable | None]) -> None:
    """Pair what is left by place: the expected one first, then the same index."""
    by_position = {
        q.position: q for q in _unmatched(known, result) if not q.removed and q.position is not None
    }
    expected = _expected_positions(known, result)
    for index in range(len(result)):
        if result[index] is not None:
            continue
        question = by_position.pop(expected[index], None) or by_position.pop(index, None)
        if question is not None:
            result[index] = question.key


def _position_key(position: int | None) -> int:
    return position if position is not None else 1 << 30
