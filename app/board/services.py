"""Writes for the question board."""

from app.models import Note
from app.notes.parse import ParsedQuestion


def sync_note_questions(note: Note, questions: list[ParsedQuestion], anchor: str | None) -> None:
    """Make the note's questions into threads (being built on the board branch)."""
