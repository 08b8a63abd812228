"""Keeping the index in the same transaction as every write, on either engine.

`init_app` registers one session event: after each flush, the documents of the notes,
questions and answers it touched are brought in line with the database on the flush's own
connection (so a rollback takes the index change along). The engine's backend (`sqlite.py`
or `postgres.py`) stores them; what changed and what to re-read is decided here, once.
A bulk writer (the importer) wraps its transaction in `deferred(session)`: the flushes only
note what they touched, and the index follows once, in one pass, before it commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import Flask
from sqlalchemy import ColumnElement, Connection, event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from app.models import Answer, Book, Chapter, Note, NoteChapter, Question
from app.search import postgres, sqlite
from app.search.documents import KINDS, ROW_COLUMNS, Document, documents, load_documents
from app.search.query import Term
from app.search.results import Filters, Page


class Backend(Protocol):
    """What an engine's backend module (`sqlite.py`, `postgres.py`) provides."""

    def ensure_index(self, conn: Connection) -> bool: ...
    def rebuild_index(self, conn: Connection) -> int: ...
    def drop_index(self, conn: Connection) -> None: ...
    def add_documents(self, conn: Connection, rows: list[dict[str, Any]]) -> int: ...
    def delete_documents(self, conn: Connection, rows: list[dict[str, Any]]) -> None: ...
    def ranked_page(
        self, conn: Connection, terms: list[Term], filters: Filters, limit: int, offset: int
    ) -> Page: ...


_BACKENDS: dict[str, Backend] = {"sqlite": sqlite, "postgresql": postgres}


def backend_for(conn: Connection) -> Backend:
    """The backend module of this connection's engine."""
    name = conn.dialect.name
    if name not in _BACKENDS:
        raise RuntimeError(f"search has no backend for {name}")
    return _BACKENDS[name]


def ensure_index(conn: Connection) -> bool:
    """Build the index from the database when it was never built; True if built now."""
    return backend_for(conn).ensure_index(conn)


def rebuild_index(conn: Connection) -> int:
    """Rebuild the whole index in one transaction; return the number of documents."""
    return backend_for(conn).rebuild_index(conn)


def drop_index(conn: Connection) -> None:
    """Forget the index: the next write builds it again from the database."""
    backend_for(conn).drop_index(conn)


def add_new_documents(
    conn: Connection, new: Iterable[Document], session: Session | None = None
) -> None:
    """Index documents written in bulk (not through the ORM, so no listener saw them),
    unless the index is built just now, with them in it. Inside `deferred(session)` they
    are only noted, and read back with the rest when the index follows."""
    pending = _deferred_changes(session)
    if pending is not None:
        for document in new:
            pending.ids[document.kind].add(document.ref_id)
        return
    backend = backend_for(conn)
    if not backend.ensure_index(conn):
        backend.add_documents(conn, [document.row() for document in new])


# --- bringing documents in line -----------------------------------------------------------


def _indexed_rows(conn: Connection, condition: ColumnElement[bool]) -> list[dict[str, Any]]:
    return [dict(row) for row in conn.execute(select(documents).where(condition)).mappings()]


def _delete_where(conn: Connection, condition: ColumnElement[bool]) -> None:
    backend_for(conn).delete_documents(conn, _indexed_rows(conn, condition))


def sync_documents(conn: Connection, kind: str, ids: Iterable[int]) -> None:
    """Bring the index rows of these notes, questions or answers in line with the database."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    current = {document.ref_id: document.row() for document in load_documents(conn, kind, wanted)}
    d = documents.c
    indexed = {
        row["ref_id"]: row
        for start in range(0, len(wanted), 500)
        for row in _indexed_rows(conn, (d.kind == kind) & d.ref_id.in_(wanted[start : start + 500]))
    }
    stale: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    for ref_id in wanted:
        old, new = indexed.get(ref_id), current.get(ref_id)
        if old and new and all(old[key] == new[key] for key in ROW_COLUMNS):
            continue  # unchanged: leave the index alone
        if old:
            stale.append(old)
        if new:
            fresh.append(new)
    backend = backend_for(conn)
    backend.delete_documents(conn, stale)
    backend.add_documents(conn, fresh)


# --- what a flush changed -----------------------------------------------------------------


@dataclass
class _Changes:
    """What a flush touched, as ids per kind."""

    ids: dict[str, set[int]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    questions_with_answers: set[int] = field(default_factory=set)
    chapters: set[int] = field(default_factory=set)
    books_deleted: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return any(self.ids.values()) or bool(
            self.questions_with_answers or self.chapters or self.books_deleted
        )

    def merge(self, other: _Changes) -> None:
        """Add what another flush touched."""
        for kind, ids in other.ids.items():
            self.ids[kind] |= ids
        self.questions_with_answers |= other.questions_with_answers
        self.chapters |= other.chapters
        self.books_deleted |= other.books_deleted


# What a question's own document is made of, and what its answers' documents take from it:
# a question whose counters or activity time change (every new answer) is left alone.
_QUESTION_FIELDS = (
    "book_id", "asker_id", "title", "body", "body_html", "chapter_number", "updated_at",
    "deleted_at", "hidden_at",
)  # fmt: skip
_ANSWER_FIELDS_FROM_QUESTION = ("book_id", "chapter_number", "deleted_at", "hidden_at")


def _changed(obj: Any, names: Iterable[str]) -> bool:
    """True if this flush changes any of these attributes of a persistent object."""
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _collect_question(session: Session, question: Question, changes: _Changes) -> None:
    """Index a question only when its document changes; its answers only when theirs do."""
    whole = question in session.new or question in session.deleted
    if whole or _changed(question, _QUESTION_FIELDS):
        changes.ids["question"].add(question.id)
    if whole or _changed(question, _ANSWER_FIELDS_FROM_QUESTION):
        changes.questions_with_answers.add(question.id)


def _collect_changes(session: Session) -> _Changes:
    changes = _Changes()
    for obj in (*session.new, *session.deleted, *session.dirty):
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, Note):
            changes.ids["note"].add(obj.id)
        elif isinstance(obj, NoteChapter):
            changes.ids["note"].add(obj.note_id)
        elif isinstance(obj, Question):
            _collect_question(session, obj, changes)
        elif isinstance(obj, Answer):
            changes.ids["answer"].add(obj.id)
        elif isinstance(obj, Chapter) and obj not in session.new:
            changes.chapters.add(obj.id)
        elif isinstance(obj, Book) and obj in session.deleted:
            changes.books_deleted.add(obj.id)
    return changes


def _apply(conn: Connection, changes: _Changes) -> None:
    """Update the index for what a flush wrote (the index exists and is filled)."""
    ids, d = changes.ids, documents.c
    if changes.books_deleted:
        _delete_where(conn, d.book_id.in_(changes.books_deleted))
    if changes.chapters:
        ids["note"].update(
            conn.execute(
                select(NoteChapter.note_id).where(NoteChapter.chapter_id.in_(changes.chapters))
            ).scalars()
        )
    if changes.questions_with_answers:
        ids["answer"].update(
            conn.execute(
                select(Answer.id).where(Answer.question_id.in_(changes.questions_with_answers))
            ).scalars()
        )
        # Answers whose question is gone (hard delete) leave with it.
        _delete_where(
            conn,
            (d.kind == "answer")
            & d.question_id.in_(changes.questions_with_answers)
            & d.question_id.not_in(select(Question.id)),
        )
    for kind in KINDS:
        sync_documents(conn, kind, ids[kind])


def _index_after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    """Update the index for what this flush wrote, on the flush's own connection (inside
    `deferred`, only note it)."""
    changes = _collect_changes(session)
    if not changes:
        return
    pending = _deferred_changes(session)
    if pending is not None:
        pending.merge(changes)
        return
    _index_changes(session, changes)


def _index_changes(session: Session, changes: _Changes) -> None:
    conn = session.connection()
    if conn.dialect.name not in _BACKENDS:
        return
    if ensure_index(conn):
        return  # just built from the database, flushed rows included
    _apply(conn, changes)


# --- deferring to one pass per transaction --------------------------------------------------

_DEFERRED = "search_deferred_changes"


def _deferred_changes(session: Session | None) -> _Changes | None:
    return None if session is None else session.info.get(_DEFERRED)


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Inside: flushes only note what they touch. At the end (the caller then commits): the
    index follows all of it in one pass. What is brought in line is read back from the
    database, so a write undone in between (a rolled-back savepoint) leaves no trace. An
    exception leaves the index alone (the caller rolls back). Nested, the outermost applies."""
    if _DEFERRED in session.info:
        yield
        return
    session.info[_DEFERRED] = pending = _Changes()
    try:
        yield
        session.flush()
    finally:
        session.info.pop(_DEFERRED, None)
    if pending:
        _index_changes(session, pending)


def init_app(app: Flask) -> None:
    """Keep the index with every write (one listener for all sessions, registered once)."""
    if not event.contains(Session, "after_flush", _index_after_flush):
        event.listen(Session, "after_flush", _index_after_flush)
