"""A member page's long lists as HTML rows, one string each: the same markup the template
loop gave, without a Jinja loop over 90 notes and 90 scores (pure: no Flask)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from app.web.badges import minutes, score_badge

if TYPE_CHECKING:
    from app.notes.queries import MemberNote, MemberRating


def member_note_rows(notes: Iterable[MemberNote]) -> Markup:
    """The <li> of each note: its title, book, chapters and reading time."""
    return Markup("".join(map(_note_row, notes)))


def member_rating_rows(ratings: Iterable[MemberRating]) -> Markup:
    """The <tr> of each score: book, chapter (a link), the score and where it came from."""
    return Markup("".join(map(_rating_row, ratings)))


def _note_row(note: MemberNote) -> str:
    chapters = ", ".join(f"{number}장" for number in note.chapter_numbers)
    return (
        f'\n    <li><a href="/notes/{note.id}">{escape(note.title)}</a>\n'
        f'      <div class="meta">{escape(note.book_title)} · {chapters} · '
        f"{escape(minutes(note.reading_minutes))}</div></li>\n    "
    )


def _rating_row(r: MemberRating) -> str:
    chapter = f'<a href="/books/{r.book_id}/chapters/{r.chapter_number}">{r.chapter_number}장</a>'
    source = "노트" if r.source == "note" else "웹"
    return (
        f"\n      <tr><td>{escape(r.book_title)}</td><td>{chapter}</td>"
        f"<td>{score_badge(r.score)}</td><td>{source}</td></tr>\n    "
    )
