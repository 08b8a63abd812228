"""The SQLite backend: FTS5 tables beside `search_documents`, built by the app, not Alembic.

Three tables, created the first time something is written (or by `flask search reindex`):
`search_documents` (the plain text and filters of every document), `search_trigram` (FTS5
`trigram`, external content, for terms of 3+ characters) and `search_bigram` (FTS5 over
overlapping 2-character grams, contentless, for 1–2 character terms).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from app.search import results
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
INDEX_VERSION = 2
MARKER_TABLE = f"search_index_v{INDEX_VERSION}"
# Each kind has its own range of document ids, notes highest: FTS5 counts a kind's matches
# and walks them newest first (`ORDER BY rowid DESC LIMIT k`) without reading other rows.
_SPAN = 1 << 40
ID_RANGES = {kind: ((3 - n) * _SPAN, (4 - n) * _SPAN - 1) for n, kind in enumerate(KINDS)}


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
    rows = [document.row() for document in all_documents(conn)]
    add_documents(conn, sorted(rows, key=lambda row: row["updated_at"] or ""))
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
    count: int = conn.exec_driver_sql("SELECT count(*) FROM search_documents").scalar_one()
    return count


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
    # The FTS tables need each document's id, so it is chosen here: the next in its kind's
    # range, so a newer document has a larger id.
    numbered: list[dict[str, Any]] = []
    for kind, (low, high) in ID_RANGES.items():
        of_kind = [row for row in rows if row["kind"] == kind]
        if not of_kind:
            continue
        last = conn.execute(
            text(
                "SELECT coalesce(max(id), :low) FROM search_documents "
                "WHERE id BETWEEN :low AND :high"
            ),
            {"low": low, "high": high},
        ).scalar_one()
        numbered += [row | {"id": n} for n, row in enumerate(of_kind, start=last + 1)]
    rows = numbered
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
#
# The ranking (the same on PostgreSQL): documents holding every term in their title first,
# then notes, questions, answers, each newest first (by id). Every step is a bounded top-k:
# FTS5 walks rowids in descending order and stops after the page, so a common word costs
# about as much as a rare one, instead of scoring and sorting every match. Counting stops
# the same way, at COUNT_CAP + 1 matches of a kind.


def _tables(fts: FtsQuery) -> list[tuple[str, str]]:
    """(table, MATCH expression) for each FTS table the query needs."""
    return [
        (name, expression)
        for name, expression in (("search_trigram", fts.trigram), ("search_bigram", fts.bigram))
        if expression is not None
    ]


def ranked_page(
    conn: Connection, terms: list[Term], filters: Filters, limit: int, offset: int
) -> Page:
    """Counts per kind and the page's document ids, best first."""
    fts = fts_query(terms)
    if fts.is_empty:
        return Page.empty()
    if not conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MARKER_TABLE,)
    ).first():
        if not _has_tables(conn):
            return Page.empty()  # nothing was ever written: no index yet
        ensure_index(conn)  # an index of an earlier version: build this one
    tables = _tables(fts)
    unfiltered = filters.book_id is None and filters.member_id is None and filters.chapter is None
    if len(tables) == 1 and unfiltered:
        return _walked_page(conn, *tables[0], filters.kind, limit, offset)
    return _joined_page(conn, tables, filters, limit, offset)


def _has_tables(conn: Connection) -> bool:
    return bool(
        conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_bigram'"
        ).first()
    )


def _walked_page(
    conn: Connection, table: str, expression: str, kind: str | None, limit: int, offset: int
) -> Page:
    """One FTS table, no filters but the kind: counts and pages by rowid ranges alone.

    Plain driver SQL: parsing `text()` statements would cost more than these queries."""
    count_sql = f"SELECT count(*) FROM {table} WHERE {table} MATCH ? AND rowid BETWEEN ? AND ?"
    capped = count_sql.replace("count(*)", "rowid") + f" LIMIT {results.COUNT_CAP + 1}"
    ranges = [ID_RANGES[name] for name in KINDS]
    row = conn.exec_driver_sql(
        "SELECT " + ", ".join(f"(SELECT count(*) FROM ({capped}))" for _ in ranges),
        tuple(value for low, high in ranges for value in (expression, low, high)),
    ).one()
    counts = dict(zip(KINDS, row, strict=True))
    titled = f"title : ({expression})"
    page_sql = count_sql.replace("count(*)", "rowid") + " ORDER BY rowid DESC LIMIT ? OFFSET ?"
    ids: list[int] = []
    for query in (titled, f"({expression}) NOT ({titled})"):
        for name in [kind] if kind else KINDS:
            if len(ids) == limit or not counts[name]:
                continue
            low, high = ID_RANGES[name]
            found = conn.exec_driver_sql(
                page_sql, (query, low, high, limit - len(ids), offset)
            ).all()
            if found:
                ids += [rowid for (rowid,) in found]
                offset = 0
            elif offset:  # the page starts after this part: skip all of it
                skipped = conn.exec_driver_sql(count_sql, (query, low, high)).scalar_one()
                offset = max(0, offset - skipped)
    return Page(counts, ids)


@dataclass(frozen=True)
class _Walk:
    """The matches of two FTS tables or of filtered documents, read newest first.

    One table drives (the bigram table when both are needed: short terms are the common
    ones); FTS5 hands its rowids over in descending order, and each is checked against the
    other table's matches (a set built once per subquery) and, through the narrow covering
    index, the filters. A page or a capped count so stops early instead of joining every
    match to its document and sorting them all."""

    tables: list[tuple[str, str]]
    filters: Filters

    @property
    def driver(self) -> str:
        """The FTS table whose rowids are walked."""
        return self.tables[-1][0]

    def params(self) -> dict[str, Any]:
        """Each table's expressions: the whole query, its title part, the rest."""
        values: dict[str, Any] = {}
        for number, (_, expression) in enumerate(self.tables):
            values[f"q{number}"] = expression
            values[f"t{number}"] = f"title : ({expression})"
            values[f"u{number}"] = f"({expression}) NOT (title : ({expression}))"
        where_params = self.filters.sql("instr(d.chapters, :chapter) > 0")[1]
        return values | where_params | {"cap": results.COUNT_CAP + 1}

    def select(self, titled: bool | None, kind: str | None) -> str:
        """The matching rowids of one tier (None: both) and kind (None: every kind)."""
        driver, last = self.driver, len(self.tables) - 1
        others = list(enumerate(self.tables))[:-1]
        # The driver's own expression; a tier across two tables needs the other's too.
        mode = {None: "q", True: "t", False: "u" if not others else "q"}[titled]
        clauses = [f"{driver} MATCH :{mode}{last}"]
        for number, (table, _) in others:
            other = "t" if titled else "q"
            clauses.append(
                f"+{driver}.rowid IN "
                f"(SELECT rowid FROM {table} WHERE {table} MATCH :{other}{number})"
            )
        if titled is False and others:
            both = " INTERSECT ".join(
                f"SELECT rowid FROM {table} WHERE {table} MATCH :t{number}"
                for number, (table, _) in enumerate(self.tables)
            )
            clauses.append(f"+{driver}.rowid NOT IN ({both})")
        low, high = ID_RANGES[kind] if kind else (ID_RANGES[KINDS[-1]][0], ID_RANGES[KINDS[0]][1])
        clauses.append(f"{driver}.rowid BETWEEN {low} AND {high}")
        joined = ""
        if (
            self.filters.book_id is not None
            or self.filters.member_id is not None
            or (self.filters.chapter is not None)
        ):
            joined = (
                " CROSS JOIN search_documents AS d INDEXED BY search_documents_filters "
                f"ON d.id = {driver}.rowid"
            )
            clauses.append(self.filters.sql("instr(d.chapters, :chapter) > 0")[0])
        return f"SELECT {driver}.rowid AS id FROM {driver}{joined} WHERE {' AND '.join(clauses)}"


def _joined_page(
    conn: Connection, tables: list[tuple[str, str]], filters: Filters, limit: int, offset: int
) -> Page:
    """The general case (two FTS tables, or filters on the documents): the same ranking and
    capped counts, each a walk that stops early (`_Walk`)."""
    walk = _Walk(tables, filters)
    values = walk.params()
    row = conn.exec_driver_sql(
        "SELECT " + ", ".join(
            f"(SELECT count(*) FROM ({walk.select(None, name)} LIMIT :cap))" for name in KINDS
        ),
        values,
    ).one()  # fmt: skip
    counts = dict(zip(KINDS, row, strict=True))
    if not any(counts[name] for name in ([filters.kind] if filters.kind else KINDS)):
        return Page(counts, [])
    # Each tier walked newest first up to the end of the page, then the two put in order.
    tiers = " UNION ALL ".join(
        f"SELECT id, {tier} AS tier FROM ({walk.select(titled, filters.kind)} "
        f"ORDER BY {walk.driver}.rowid DESC LIMIT :n)"
        for tier, titled in ((1, True), (0, False))
    )
    found = conn.exec_driver_sql(
        f"SELECT id FROM ({tiers}) ORDER BY tier DESC, id DESC LIMIT :limit OFFSET :offset",
        values | {"n": offset + limit, "limit": limit, "offset": offset},
    ).all()
    return Page(counts, [rowid for (rowid,) in found])
