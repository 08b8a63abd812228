"""A member page's long lists as HTML rows, one string each: the same markup the template
loop gave, without a Jinja loop over 90 notes and 90 scores (pure: no Flask)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from markupsafe import Markup, escape

from app.web.badges import minutes, score_badge


class ListedNote(Protocol):
    """What a member's note row shows."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def book_title(self) -> str: ...
    @property
    def reading_minutes(self) -> int | None: ...
    @property
    def chapter_numbers(self) -> list[int]: ...


class ListedRating(Protocol):
    """What a member's score row shows."""

    @property
    def book_id(self) -> int: ...
    @property
    def book_title(self) -> str: ...
    @property
    def chapter_number(self) -> int: ...
    @property
    def score(self) -> float: ...
    @property
    def source(self) -> str: ...


def member_note_rows(notes: Iterable[ListedNote]) -> Markup:
    """The <li> of each note: its title, book, chapters and reading time."""
    return Markup(
        "".join(
            f'\n    <li><a href="/notes/{note.id}">{escape(note.title)}</a>\n'
            f'      <div class="meta">{escape(note.book_title)} · '
            f"{', '.join(f'{number}장' for number in note.chapter_numbers)} · "
            f"{escape(minutes(note.reading_minutes))}</div></li>\n    "
            for note in notes
        )
    )


def member_rating_rows(ratings: Iterable[ListedRating]) -> Markup:
    """The <tr> of each score: book, chapter (a link), the score and where it came from."""
    return Markup(
        "".join(
            f"\n      <tr><td>{escape(r.book_title)}</td><td>"
            f'<a href="/books/{r.book_id}/chapters/{r.chapter_number}">{r.chapter_number}장</a>'
            f"</td><td>{score_badge(r.score)}</td>"
            f"<td>{'노트' if r.source == 'note' else '웹'}</td></tr>\n    "
            for r in ratings
        )
    )
