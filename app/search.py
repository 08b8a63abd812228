"""Search over notes, questions and answers: the one module behind which search lives.

On SQLite the index is three tables, built here (not by migrations) the first time something
is written: `search_documents` (the plain text and filters of every visible note, question
and answer), `search_trigram` (FTS5 `trigram`, external content, for terms of 3+ characters)
and `search_bigram` (FTS5 over overlapping 2-character grams, contentless, for 1–2 character
terms). Session events keep the index in the same transaction as every write; nothing else
has to call this module. Another engine (PostgreSQL) replaces this module as a whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import click
from flask.cli import AppGroup, with_appcontext
from markupsafe import Markup
from sqlalchemy import Connection, event, inspect, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Answer, Book, Chapter, Member, Note, NoteChapter, Question
from app.search_query import (
    FtsQuery,
    bigram_text,
    fts_query,
    highlight,
    highlight_pattern,
    html_to_text,
    normalize_text,
    parse_query,
    snippet,
)

KINDS = ("note", "question", "answer")
KIND_LABELS = {"note": "노트", "question": "질문", "answer": "답변"}
TABLE_PREFIX = "search_"
_CHUNK = 500

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS search_documents (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        ref_id INTEGER NOT NULL,
        book_id INTEGER,
        member_id INTEGER,
        question_id INTEGER,
        chapters TEXT NOT NULL DEFAULT '',
        updated_at TEXT,
        title TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        UNIQUE (kind, ref_id)
    )""",
    "CREATE INDEX IF NOT EXISTS search_documents_book ON search_documents (book_id)",
    "CREATE INDEX IF NOT EXISTS search_documents_question ON search_documents (question_id)",
    # Covering index: what a search reads for every match, without the wide text columns.
    """CREATE INDEX IF NOT EXISTS search_documents_filters
        ON search_documents (id, kind, book_id, member_id, chapters, updated_at)""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_trigram USING fts5(
        title, body, content='search_documents', content_rowid='id', tokenize='trigram')""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_bigram USING fts5(
        title, body, content='', detail='column', prefix='1',
        tokenize='unicode61 remove_diacritics 0')""",
)
# Bump when the schema above changes: the index is then rebuilt on the next write.
INDEX_VERSION = 1
_MARKER_TABLE = f"search_index_v{INDEX_VERSION}"


def is_index_table(name: str) -> bool:
    """True for the tables this module builds (and FTS5's shadow tables): not for Alembic."""
    return name.startswith(TABLE_PREFIX)


# --- documents ----------------------------------------------------------------------------


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
        """The values of its search_documents row."""
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


def _chapter_numbers(value: str | int | None) -> tuple[int, ...]:
    """Chapter numbers from a group_concat ("2,3") or a single number."""
    if value is None or value == "":
        return ()
    return tuple(sorted({int(n) for n in str(value).split(",")}))


def _note_documents(conn: Connection, ids: list[int] | None) -> Iterator[tuple[int, Document]]:
    chapters = (
        select(db.func.group_concat(Chapter.number))
        .join(NoteChapter, NoteChapter.chapter_id == Chapter.id)
        .where(NoteChapter.note_id == Note.id)
        .scalar_subquery()
    )
    query = select(
        Note.id, Note.book_id, Note.member_id, Note.title, Note.html, Note.source,
        Note.updated_at, chapters.label("chapters"),
    ).where(Note.deleted_at.is_(None))  # fmt: skip
    for row in _rows(conn, query, Note.id, ids):
        yield row.id, Document(
            "note", row.id, row.book_id, row.member_id, row.title, _plain(row.html, row.source),
            chapters=_chapter_numbers(row.chapters), updated_at=row.updated_at,
        )  # fmt: skip


def _question_documents(conn: Connection, ids: list[int] | None) -> Iterator[tuple[int, Document]]:
    query = select(
        Question.id, Question.book_id, Question.asker_id, Question.title, Question.body_html,
        Question.body, Question.chapter_number, Question.updated_at,
    ).where(Question.deleted_at.is_(None), Question.hidden_at.is_(None))  # fmt: skip
    for row in _rows(conn, query, Question.id, ids):
        yield row.id, Document(
            "question", row.id, row.book_id, row.asker_id, row.title,
            _plain(row.body_html, row.body), chapters=_chapter_numbers(row.chapter_number),
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
        .where(
            Answer.deleted_at.is_(None), Answer.hidden_at.is_(None),
            Question.deleted_at.is_(None), Question.hidden_at.is_(None),
        )
    )  # fmt: skip
    for row in _rows(conn, query, Answer.id, ids):
        yield row.id, Document(
            "answer", row.id, row.book_id, row.author_id, "", _plain(row.body_html, row.body),
            question_id=row.question_id, chapters=_chapter_numbers(row.chapter_number),
            updated_at=row.updated_at,
        )  # fmt: skip


def _rows(conn: Connection, query, id_column, ids: list[int] | None) -> Iterator[Any]:
    """Rows of a select on this connection: all of them, or those with these ids."""
    if ids is None:
        yield from conn.execute(query.execution_options(yield_per=_CHUNK))
        return
    for start in range(0, len(ids), _CHUNK):
        yield from conn.execute(query.where(id_column.in_(ids[start : start + _CHUNK])))


_LOADERS = {"note": _note_documents, "question": _question_documents, "answer": _answer_documents}


# --- writing the index --------------------------------------------------------------------


def ensure_index(conn: Connection) -> bool:
    """Create the index when missing or outdated, filled from the database; True if built."""
    marker = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_MARKER_TABLE,)
    ).first()
    if marker:
        return False
    drop_index(conn)
    for statement in _SCHEMA:
        conn.exec_driver_sql(statement)
    for kind in KINDS:
        add_documents(conn, (document for _, document in _LOADERS[kind](conn, None)))
    conn.exec_driver_sql(f"CREATE TABLE {_MARKER_TABLE} (built_at TEXT)")
    return True


def drop_index(conn: Connection) -> None:
    """Remove every index table (FTS5 tables first: they take their shadow tables along)."""
    tables = conn.exec_driver_sql(
        "SELECT name, sql LIKE 'CREATE VIRTUAL%' FROM sqlite_master "
        "WHERE type = 'table' AND name LIKE 'search~_%' ESCAPE '~' ORDER BY 2 DESC"
    ).all()
    for name, _virtual in tables:
        conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')


def _begin(conn: Connection) -> None:
    """Open the transaction now: pysqlite runs DDL outside one, each DROP committing alone."""
    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def rebuild_index(conn: Connection) -> int:
    """Drop and rebuild the whole index in one transaction; return the number of documents.

    Until it commits, readers see the old index; killed or failing, it leaves the old one."""
    _begin(conn)
    drop_index(conn)
    ensure_index(conn)
    optimize_index(conn)
    return conn.exec_driver_sql("SELECT count(*) FROM search_documents").scalar_one()


def optimize_index(conn: Connection) -> None:
    """Merge the FTS5 segments (after a bulk load): fewer b-trees to read per query."""
    for table in ("search_trigram", "search_bigram"):
        conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")


_INSERT_DOCUMENT = text(
    "INSERT INTO search_documents "
    "(id, kind, ref_id, book_id, member_id, question_id, chapters, updated_at, title, body) "
    "VALUES (:id, :kind, :ref_id, :book_id, :member_id, :question_id, :chapters, :updated_at, "
    ":title, :body)"
)
_INSERT_TRIGRAM = text(
    "INSERT INTO search_trigram (rowid, title, body) VALUES (:id, :title, :body)"
)
_INSERT_BIGRAM = text("INSERT INTO search_bigram (rowid, title, body) VALUES (:id, :title, :body)")
# External-content and contentless FTS5 tables forget a row when given the values it had.
_DELETE_TRIGRAM = text(
    "INSERT INTO search_trigram (search_trigram, rowid, title, body) "
    "VALUES ('delete', :id, :title, :body)"
)
_DELETE_BIGRAM = text(
    "INSERT INTO search_bigram (search_bigram, rowid, title, body) "
    "VALUES ('delete', :id, :title, :body)"
)


def add_documents(conn: Connection, documents: Iterable[Document]) -> int:
    """Insert documents that are not in the index yet; return how many."""
    count = 0
    batch: list[dict[str, Any]] = []
    for document in documents:
        batch.append(document.row())
        if len(batch) == _CHUNK:
            count += _insert_batch(conn, batch)
            batch = []
    return count + (_insert_batch(conn, batch) if batch else 0)


def _insert_batch(conn: Connection, rows: list[dict[str, Any]]) -> int:
    last = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM search_documents").scalar_one()
    for number, row in enumerate(rows, start=last + 1):
        row["id"] = number
    conn.execute(_INSERT_DOCUMENT, rows)
    _insert_fts(conn, rows)
    return len(rows)


def _bigram_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the bigram table holds for these rows: their title and body as grams."""
    return [
        {"id": r["id"], "title": bigram_text(r["title"]), "body": bigram_text(r["body"])}
        for r in rows
    ]


def _insert_fts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    conn.execute(_INSERT_TRIGRAM, rows)
    conn.execute(_INSERT_BIGRAM, _bigram_rows(rows))


def _delete_fts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Remove rows from both FTS tables; they need the values that were indexed."""
    conn.execute(_DELETE_TRIGRAM, rows)
    conn.execute(_DELETE_BIGRAM, _bigram_rows(rows))


def _indexed_rows(conn: Connection, where: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    result = conn.execute(
        text(
            "SELECT id, kind, ref_id, book_id, member_id, question_id, chapters, updated_at, "
            f"title, body FROM search_documents WHERE {where}"
        ),
        params,
    )
    return [dict(row) for row in result.mappings()]


def _remove_where(conn: Connection, where: str, params: dict[str, Any]) -> None:
    _delete_rows(conn, _indexed_rows(conn, where, params))


def _delete_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Remove indexed documents (rows as read by `_indexed_rows`) from all three tables."""
    if not rows:
        return
    _delete_fts(conn, rows)
    conn.execute(
        text("DELETE FROM search_documents WHERE id IN (SELECT value FROM json_each(:ids))"),
        {"ids": _json_ids(row["id"] for row in rows)},
    )


def _json_ids(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def sync_documents(conn: Connection, kind: str, ids: Iterable[int]) -> None:
    """Bring the index rows of these notes, questions or answers in line with the database."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    current = dict(_LOADERS[kind](conn, wanted))
    indexed = {
        row["ref_id"]: row
        for row in _indexed_rows(
            conn, "kind = :kind AND ref_id IN (SELECT value FROM json_each(:ids))",
            {"kind": kind, "ids": _json_ids(wanted)},
        )
    }  # fmt: skip
    stale: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    for ref_id in wanted:
        old, new = indexed.get(ref_id), current.get(ref_id)
        new_row = new.row() if new else None
        if old and new_row and all(old[key] == value for key, value in new_row.items()):
            continue  # unchanged: leave the FTS tables alone
        if old:
            stale.append(old)
        if new_row:
            fresh.append(new_row)
    _delete_rows(conn, stale)
    if fresh:
        _insert_batch(conn, fresh)


# --- keeping the index in the same transaction as every write ----------------------------


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


@event.listens_for(Session, "after_flush")
def _index_after_flush(session: Session, _flush_context) -> None:
    """Update the index for what this flush wrote, on the flush's own connection."""
    changes = _collect_changes(session)
    if not changes:
        return
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    if ensure_index(conn):
        return  # just built from the database, flushed rows included
    ids = changes.ids
    if changes.books_deleted:
        _remove_where(
            conn, "book_id IN (SELECT value FROM json_each(:ids))",
            {"ids": _json_ids(changes.books_deleted)},
        )  # fmt: skip
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
        _remove_where(
            conn,
            "kind = 'answer' AND question_id IN (SELECT value FROM json_each(:ids)) "
            "AND question_id NOT IN (SELECT id FROM questions)",
            {"ids": _json_ids(changes.questions_with_answers)},
        )
    for kind in KINDS:
        sync_documents(conn, kind, ids[kind])


# --- searching ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One matching note, question or answer, with its highlighted title and snippet."""

    kind: str
    id: int
    title_html: Markup
    snippet_html: Markup
    book_id: int | None
    book_title: str | None
    member_id: int | None
    member_name: str | None
    chapters: tuple[int, ...]
    question_id: int | None
    updated_at: str | None

    @property
    def path(self) -> str:
        """Where the hit lives on the site."""
        if self.kind == "note":
            return f"/notes/{self.id}"
        if self.kind == "question":
            return f"/questions/{self.id}"
        return f"/questions/{self.question_id}#answer-{self.id}"


@dataclass(frozen=True)
class SearchGroup:
    """The hits of one kind on the current page."""

    kind: str
    label: str
    hits: list[SearchHit]


@dataclass(frozen=True)
class FilterOptions:
    """The choices of the filter form."""

    books: list[tuple[int, str]] = field(default_factory=list)
    chapters: list[tuple[int, str]] = field(default_factory=list)
    members: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResults:
    """One page of results, grouped by kind, with counts per kind for the whole query."""

    query: str
    terms: list[str]
    hits: list[SearchHit]
    counts: dict[str, int]
    total: int
    page: int
    per_page: int
    options: FilterOptions = field(default_factory=FilterOptions)

    @property
    def pages(self) -> int:
        """How many pages the results fill."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def groups(self) -> list[SearchGroup]:
        """This page's hits grouped by kind, notes first."""
        return [
            SearchGroup(kind, KIND_LABELS[kind], [hit for hit in self.hits if hit.kind == kind])
            for kind in KINDS
            if any(hit.kind == kind for hit in self.hits)
        ]


@dataclass(frozen=True)
class Filters:
    """What the results are narrowed to."""

    book_id: int | None = None
    chapter: int | None = None
    member_id: int | None = None
    kind: str | None = None

    def sql(self, *, with_kind: bool) -> tuple[str, dict[str, Any]]:
        """A WHERE clause over search_documents `d`, and its parameters."""
        clauses, params = ["1"], {}
        if self.book_id is not None:
            clauses.append("d.book_id = :book_id")
            params["book_id"] = self.book_id
        if self.chapter is not None:
            clauses.append("instr(d.chapters, :chapter) > 0")
            params["chapter"] = f" {self.chapter} "
        if self.member_id is not None:
            clauses.append("d.member_id = :member_id")
            params["member_id"] = self.member_id
        if with_kind and self.kind is not None:
            clauses.append("d.kind = :kind")
            params["kind"] = self.kind
        return " AND ".join(clauses), params


def _score_sql(table: str, expression: str) -> str:
    """bm25 with titles weighing triple, or 0 for prefix queries (`"큐"*`)."""
    return "0" if '"*' in expression else f"bm25({table}, 3.0, 1.0)"


def _hits_sql(fts: FtsQuery) -> str:
    """A WITH clause naming `hits(id, score)`: rows matching every condition of the query."""
    tables = [
        (name, alias, expression)
        for name, alias, expression in (
            ("search_trigram", "tri", fts.trigram),
            ("search_bigram", "bi", fts.bigram),
        )
        if expression is not None
    ]
    # Ranking a 1-character prefix costs more than it tells: it matches most documents alike.
    ctes = [
        f"{alias} AS MATERIALIZED (SELECT rowid AS id, {_score_sql(name, expression)} AS score "
        f"FROM {name} WHERE {name} MATCH :{alias})"
        for name, alias, expression in tables
    ]
    if len(tables) == 2:
        ctes.append(
            "hits AS (SELECT tri.id, tri.score + bi.score AS score FROM tri JOIN bi USING (id))"
        )
    else:
        ctes.append(f"hits AS (SELECT id, score FROM {tables[0][1]})")
    return "WITH " + ", ".join(ctes)


def _ranked_page(
    conn: Connection, fts: FtsQuery, filters: Filters, limit: int, offset: int
) -> tuple[dict[str, int], list[int]]:
    """Counts per kind and the page's document ids, best first, in one pass over the index.

    The narrow covering index keeps the per-match lookups (kind, filters, date) off the wide
    rows that carry the text; only the page's rows are read in full, afterwards."""
    where, params = filters.sql(with_kind=False)
    kind_clause = "kind = :kind" if filters.kind else "1"
    rows = conn.execute(
        text(
            f"{_hits_sql(fts)}, matched AS MATERIALIZED ("
            "SELECT hits.id, hits.score, d.kind, d.updated_at FROM hits "
            "JOIN search_documents AS d INDEXED BY search_documents_filters ON d.id = hits.id "
            f"WHERE {where}) "
            "SELECT NULL AS id, kind, count(*) AS value FROM matched GROUP BY kind "
            "UNION ALL SELECT * FROM (SELECT id, kind, score FROM matched "
            f"WHERE {kind_clause} ORDER BY score, updated_at DESC, id DESC "
            "LIMIT :limit OFFSET :offset)"
        ),
        {"tri": fts.trigram, "bi": fts.bigram, "kind": filters.kind}
        | params
        | {"limit": limit, "offset": offset},
    ).all()
    counts = dict.fromkeys(KINDS, 0) | {row.kind: row.value for row in rows if row.id is None}
    return counts, [row.id for row in rows if row.id is not None]


def _page_rows(conn: Connection, ids: list[int]) -> list[Any]:
    """The text and labels of the page's documents, in the order of `ids`."""
    if not ids:
        return []
    rows = conn.execute(
        text(
            "SELECT d.id, d.kind, d.ref_id, d.book_id, d.member_id, d.question_id, d.chapters, "
            "d.updated_at, coalesce(q.title, d.title) AS title, d.body, "
            "b.title AS book_title, m.name AS member_name "
            "FROM search_documents d "
            "LEFT JOIN books b ON b.id = d.book_id "
            "LEFT JOIN members m ON m.id = d.member_id "
            "LEFT JOIN questions q ON q.id = d.question_id "
            "WHERE d.id IN (SELECT value FROM json_each(:ids))"
        ),
        {"ids": _json_ids(ids)},
    ).all()
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def run_search(
    conn: Connection, query: str, filters: Filters = Filters(), page: int = 1, per_page: int = 20
) -> SearchResults:
    """Search the index on this connection (two queries: ranked ids with counts, then rows)."""
    terms = parse_query(query)
    fts = fts_query(terms)
    counts = dict.fromkeys(KINDS, 0)
    rows: list[Any] = []
    if not fts.is_empty:
        try:
            counts, ids = _ranked_page(conn, fts, filters, per_page, (page - 1) * per_page)
        except OperationalError as error:
            if "no such table" not in str(error):
                raise
            ids = []  # nothing was ever written: no index yet
        rows = _page_rows(conn, ids)
    pattern = highlight_pattern(fts.highlight)
    hits = [
        SearchHit(
            kind=row.kind,
            id=row.ref_id,
            title_html=highlight(row.title, pattern),
            snippet_html=snippet(row.body, pattern),
            book_id=row.book_id,
            book_title=row.book_title,
            member_id=row.member_id,
            member_name=row.member_name,
            chapters=tuple(int(n) for n in row.chapters.split()),
            question_id=row.question_id,
            updated_at=row.updated_at,
        )
        for row in rows
    ]
    total = counts[filters.kind] if filters.kind else sum(counts.values())
    return SearchResults(query, [t.text for t in terms], hits, counts, total, page, per_page)


def filter_options(book_id: int | None) -> FilterOptions:
    """Books, the chosen book's chapters and members, for the filter form (three queries)."""
    books = db.session.execute(select(Book.id, Book.title).order_by(Book.title)).all()
    chapters = (
        db.session.execute(
            select(Chapter.number, Chapter.title)
            .where(Chapter.book_id == book_id)
            .order_by(Chapter.number)
        ).all()
        if book_id is not None
        else []
    )
    members = db.session.execute(select(Member.id, Member.name).order_by(Member.name)).all()
    return FilterOptions(
        books=[tuple(row) for row in books],
        chapters=[tuple(row) for row in chapters],
        members=[tuple(row) for row in members],
    )


def search(
    query: str,
    *,
    book_id: int | None = None,
    chapter: int | None = None,
    member_id: int | None = None,
    kind: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchResults:
    """Search notes, questions and answers (titles included) for every term of the query."""
    filters = Filters(book_id, chapter, member_id, kind if kind in KINDS else None)
    page, per_page = max(1, page), min(max(1, per_page), 100)
    results = run_search(db.session.connection(), query, filters, page, per_page)
    return SearchResults(
        results.query, results.terms, results.hits, results.counts, results.total,
        results.page, results.per_page, options=filter_options(book_id),
    )  # fmt: skip


# --- commands -----------------------------------------------------------------------------

search_cli = AppGroup("search", help="검색 색인 관리.")


@search_cli.command("reindex", help="검색 색인을 데이터베이스에서 처음부터 다시 만듭니다.")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the database."""
    if db.engine.dialect.name != "sqlite":
        raise click.ClickException("검색 색인은 SQLite에서만 다시 만들 수 있습니다.")
    with db.engine.begin() as conn:
        count = rebuild_index(conn)
    click.echo(f"검색 색인을 다시 만들었습니다: 문서 {count}개.")
