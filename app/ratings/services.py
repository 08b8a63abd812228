"""Writes and reads for chapter ratings."""

from app.models import Note


def apply_note_scores(note: Note, scores: dict[int, float]) -> None:
    """Turn a note's self-scores into ratings (being built on the ratings branch)."""


def chapter_panel(chapter_id: int, member_id: int | None) -> dict:
    """What the chapter page shows about ratings (being built on the ratings branch)."""
    return {}
