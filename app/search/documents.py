"""What is searchable: the documents (visible notes, questions and answers) and their table.

Every backend keeps one row per document in `search_documents` (the plain text and what the
filters look at); the loaders read them from the site's tables with portable SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVarTuple

from sqlalchemy import Column, Connection, Integer, MetaData, Select, Table, Text, and_, select
from sqlalchemy.orm import InstrumentedAttribute

from app.models import QUESTION_VISIBLE, Answer, Chapter, Note, NoteChapter, Question
from app.search.text import html_to_text, normalize_text

KINDS = ("note", "question", "answer")
KIND_LABELS = {"note": "노트", "question": "질문", "answer": "답변"}
TABLE_PREFIX = "search_"
CHUNK = 500
_Ts = TypeVarTuple("_Ts")

# Not in the models' metadata: SQLite builds it at run time, PostgreSQL in migration 0008.
documents = Table(
    "search_documents",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("ref_id", Integer, nullable=False),
    Column("book_id", Integer),
    Column("member_id", Integer),
    Column("question_id", Integer),
    Column("chapters", Text, nullable=False),
    Column("updated_at", Text),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
)
ROW_COLUMNS = tuple(c.name for c in documents.columns if c.name != "id")

ANSWER_VISIBLE = and_(Answer.deleted_at.is_(None), Answer.hidden_at.is_(None))


def is_index_table(name: str) -> bool:
    """True for the tables of the search index (and FTS5's shadow tables): not for Alembic."""
    return name.startswith(TABLE_PREFIX)


@dataclass(frozen=True)
class Document:
    """One searchable thing: its plain text and what the filters look at."""

    kind: str
    ref_id: int
    book_id: int | None
    member_id: int | None
    title: str
    body: str
    question_id: int | None = None
    chapters: tuple[int, ...] = ()
    updated_at: datetime | None = None

    def row(self) -> dict[str, Any]:
        """The values of its search_documents row (without the id)."""
        return {
            "kind": self.kind,
            "ref_id": self.ref_id,
            "book_id": self.book_id,
            "member_id": self.member_id,
            "question_id": self.question_id,
            "chapters": "".join(f" {n} " for n in self.chapters),
            "updated_at": self.updated_at.isoformat(sep=" ") if self.updated_at else None,
            "title": normalize_text(self.title),
            "body": normalize_text(self.body),
        }


def _plain(html: str, source: str) -> str:
    """Text without markup: from the stored sanitized HTML, else from the source."""
    return html_to_text(html or source or "")


def _rows(
    conn: Connection,
    query: Select[*_Ts],
    id_column: InstrumentedAttribute[int],
    ids: list[int] | None,
) -> Iterator[Any]:
    """Rows of a select on this connection: all of them, or those with these ids."""
    if ids is None:
        yield from conn.execute(query.execution_options(yield_per=CHUNK))
        return
    for start in range(0, len(ids), CHUNK):
        yield from conn.execute(query.where(id_column.in_(ids[start : start + CHUNK])))


def _note_chapters(conn: Connection, note_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """Chapter numbers of these notes (one query; portable, unlike group_concat)."""
    found: dict[int, set[int]] = {}
    rows = conn.execute(
        select(NoteChapter.note_id, Chapter.number)
        .join(Chapter, NoteChapter.chapter_id == Chapter.id)
        .where(NoteChapter.note_id.in_(note_ids))
    )
    for note_id, number in rows:
        found.setdefault(note_id, set()).add(number)
    return {note_id: tuple(sorted(numbers)) for note_id, numbers in found.items()}


def _note_documents(conn: Connection, ids: list[int] | None) -> Iterator[tuple[int, Document]]:
    query = select(
        Note.id, Note.book_id, Note.member_id, Note.title, Note.html, Note.source,
        Note.updated_at,
    ).where(Note.deleted_at.is_(None))  # fmt: skip
    batch: list[Any] = []
    for row in _rows(conn, query, Note.id, ids):
        batch.append(row)
        if len(batch) == CHUNK:
            yield from _notes_with_chapters(conn, batch)
            batch = []
    yield from _notes_with_chapters(conn, batch)


def _notes_with_chapters(conn: Connection, rows: list[Any]) -> Iterator[tuple[int, Document]]:
    chapters = _note_chapters(conn, [row.id for row in rows]) if rows else {}
    for row in rows:
        yield row.id, Document(
            "note", row.id, row.book_id, row.member_id, row.title, _plain(row.html, row.source),
            chapters=chapters.get(row.id, ()), updated_at=row.updated_at,
        )  # fmt: skip


def _question_documents(conn: Connection, ids: list[int] | None) -> Iterator[tuple[int, Document]]:
    query = select(
        Question.id, Question.book_id, Question.asker_id, Question.title, Question.body_html,
        Question.body, Question.chapter_number, Question.updated_at,
    ).where(QUESTION_VISIBLE)  # fmt: skip
    for row in _rows(conn, query, Question.id, ids):
        yield row.id, Document(
            "question", row.id, row.book_id, row.asker_id, row.title,
            _plain(row.body_html, row.body), chapters=_chapter(row.chapter_number),
            updated_at=row.updated_at,
        )  # fmt: skip


def _answer_documents(conn: Connection, ids: list[int] | None) -> Iterator[tuple[int, Document]]:
    """Visible answers on visible questions."""
    query = (
        select(
            Answer.id, Question.book_id, Answer.author_id, Answer.body_html, Answer.body,
            Answer.question_id, Question.chapter_number, Answer.updated_at,
        )
        .join(Question, Question.id == Answer.question_id)
        .where(ANSWER_VISIBLE, QUESTION_VISIBLE)
    )  # fmt: skip
    for row in _rows(conn, query, Answer.id, ids):
        yield row.id, Document(
            "answer", row.id, row.book_id, row.author_id, "", _plain(row.body_html, row.body),
            question_id=row.question_id, chapters=_chapter(row.chapter_number),
            updated_at=row.updated_at,
        )  # fmt: skip


def _chapter(number: int | None) -> tuple[int, ...]:
    return () if number is None else (number,)


LOADERS = {"note": _note_documents, "question": _question_documents, "answer": _answer_documents}


def load_documents(conn: Connection, kind: str, ids: list[int] | None) -> Iterator[Document]:
    """The current documents of one kind: all of them (ids None) or those with these ids."""
    for _, document in LOADERS[kind](conn, ids):
        yield document


def all_documents(conn: Connection) -> Iterator[Document]:
    """Every document the site has now, notes first."""
    for kind in KINDS:
        yield from load_documents(conn, kind, None)
