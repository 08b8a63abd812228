"""The dashboard's member × chapter cells as HTML. Pure: cells in, markup out; no Flask.

Built as one string per row rather than in Jinja: at 50 members × 30 chapters the grid is
1,500 cells, and a template loop spends most of a cold dashboard's time on them."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import Protocol


class NoteRef(Protocol):
    """A note a cell links to."""

    id: int
    title: str


class Cell(Protocol):
    """What a cell needs: its score, heat level, notes and detail text."""

    @property
    def score(self) -> float | None: ...
    @property
    def level(self) -> int: ...
    @property
    def notes(self) -> Sequence[NoteRef]: ...
    @property
    def detail(self) -> str: ...


@lru_cache(maxsize=4096)
def _attribute(text: str) -> str:
    """Text escaped for an attribute; cached: a grid's 1,500 details are a few dozen texts."""
    return escape(text, quote=True)


def cell_html(cell: Cell) -> str:
    """One compact <td>: the score (a link to the note when there is one), the detail in
    the title; a chapter without a note is marked `nn` and says so in its title."""
    score = "–" if cell.score is None else f"{cell.score:.1f}"
    detail = _attribute(cell.detail)
    notes = cell.notes
    if not notes:
        return f'<td class="h{cell.level} nn" title="미작성 · {detail}">{score}</td>'
    extra = (
        "".join(
            f' <a href="/notes/{note.id}" title="노트 {number}: {escape(note.title, quote=True)}">'
            f"+{number}</a>"
            for number, note in enumerate(notes[1:], start=2)
        )
        if len(notes) > 1
        else ""
    )
    return (
        f'<td class="h{cell.level}"><a href="/notes/{notes[0].id}" title="{detail}">{score}</a>'
        f"{extra}</td>"
    )


def row_cells_html(cells: Sequence[Cell]) -> str:
    """A grid row's cells, in chapter order."""
    return "".join(cell_html(cell) for cell in cells)
