"""The SQLite backend: FTS5 tables beside `search_documents`, built by the app, not Alembic.

Three tables, created the first time something is written (or by `flask search reindex`):
`search_documents` (the plain text and filters of every document), `search_trigram` (FTS5
`trigram`, external content, for terms of 3+ characters) and `search_bigram` (FTS5 over
overlapping 2-character grams, contentless, for 1–2 character terms).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from app.search.documents import CHUNK, KINDS, all_documents
from app.search.query import FtsQuery, Term, bigram_text, fts_query
from app.search.results import Filters, Page

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
MARKER_TABLE = f"search_index_v{INDEX_VERSION}"


# --- writing the index --------------------------------------------------------------------


def ensure_index(conn: Connection) -> bool:
    """Create the index when missing or outdated, filled from the database; True if built."""
    marker = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MARKER_TABLE,)
    ).first()
    if marker:
        return False
    drop_index(conn)
    for statement in _SCHEMA:
        conn.exec_driver_sql(statement)
    add_documents(conn, [document.row() for document in all_documents(conn)])
    conn.exec_driver_sql(f"CREATE TABLE {MARKER_TABLE} (built_at TEXT)")
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


def add_documents(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Insert document rows (`Document.row()`) that are not in the index yet; return how many."""
    for start in range(0, len(rows), CHUNK):
        _insert_batch(conn, rows[start : start + CHUNK])
    return len(rows)


def _insert_batch(conn: Connection, rows: list[dict[str, Any]]) -> None:
    # The FTS tables need each document's id, so it is chosen here rather than by SQLite.
    last = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM search_documents").scalar_one()
    rows = [row | {"id": number} for number, row in enumerate(rows, start=last + 1)]
    conn.execute(_INSERT_DOCUMENT, rows)
    conn.execute(_INSERT_TRIGRAM, rows)
    conn.execute(_INSERT_BIGRAM, _bigram_rows(rows))


def _bigram_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the bigram table holds for these rows: their title and body as grams."""
    return [
        {"id": r["id"], "title": bigram_text(r["title"]), "body": bigram_text(r["body"])}
        for r in rows
    ]


def delete_documents(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Remove indexed rows (with their id, title and body) from the FTS tables and documents."""
    if not rows:
        return
    # The FTS tables forget a row only when given the values that were indexed.
    conn.execute(_DELETE_TRIGRAM, rows)
    conn.execute(_DELETE_BIGRAM, _bigram_rows(rows))
    conn.execute(
        text("DELETE FROM search_documents WHERE id IN (SELECT value FROM json_each(:ids))"),
        {"ids": "[" + ",".join(str(int(row["id"])) for row in rows) + "]"},
    )


# --- searching ----------------------------------------------------------------------------


def _score_sql(table: str, expression: str) -> str:
    """bm25 with titles weighing triple, or 0 for prefix queries (`"큐"*`)."""
    # Ranking a 1-character prefix costs more than it tells: it matches most documents alike.
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


def ranked_page(
    conn: Connection, terms: list[Term], filters: Filters, limit: int, offset: int
) -> Page:
    """Counts per kind and the page's document ids, best first, in one pass over the index.

    The narrow covering index keeps the per-match lookups (kind, filters, date) off the wide
    rows that carry the text; only the page's rows are read in full, afterwards."""
    fts = fts_query(terms)
    if fts.is_empty:
        return Page.empty()
    where, params = filters.sql("instr(d.chapters, :chapter) > 0")
    kind_clause = "kind = :kind" if filters.kind else "1"
    statement = text(
        f"{_hits_sql(fts)}, matched AS MATERIALIZED ("
        "SELECT hits.id, hits.score, d.kind, d.updated_at FROM hits "
        "JOIN search_documents AS d INDEXED BY search_documents_filters ON d.id = hits.id "
        f"WHERE {where}) "
        "SELECT NULL AS id, kind, count(*) AS value FROM matched GROUP BY kind "
        "UNION ALL SELECT * FROM (SELECT id, kind, score FROM matched "
        f"WHERE {kind_clause} ORDER BY score, updated_at DESC, id DESC "
        "LIMIT :limit OFFSET :offset)"
    )
    values = {"tri": fts.trigram, "bi": fts.bigram, "kind": filters.kind, "limit": limit}
    try:
        rows = conn.execute(statement, values | params | {"offset": offset}).all()
    except OperationalError as error:
        if "no such table" not in str(error):
            raise
        return Page.empty()  # nothing was ever written: no index yet
    counts = dict.fromkeys(KINDS, 0) | {row.kind: row.value for row in rows if row.id is None}
    return Page(counts, [row.id for row in rows if row.id is not None])
