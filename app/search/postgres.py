"""The PostgreSQL backend: one `search_documents` table and two GIN indexes over its text.

Migration 0008 creates the table, two SQL functions and the indexes (on PostgreSQL only):

- `search_text(title, body)`: the lower-cased title and body, joined by a newline. No term
  holds a newline (queries and documents are whitespace-normalized), so no match spans the
  end of a title and the start of a body, as with SQLite's separate FTS5 columns.
- Terms of 3+ characters: `search_text(...) LIKE '%term%'`, served by a `pg_trgm` GIN index
  (`gin_trgm_ops`) on that expression; LIKE is an exact substring test, pg_trgm only
  narrows the candidates (PostgreSQL rechecks every one).
- Terms of 1–2 characters, which have no trigram: an **expression index**, GIN over
  `search_grams(search_text(...))`, the array of every distinct 1- and 2-character substring
  (without whitespace). A short term's letter runs must all be in that array (`@>`). Beside
  a longer term they are plain substring tests (`strpos`) on the LIKE's candidates instead.

Why an expression index rather than an n-gram table: the grams are derived by the database
from the row itself, so there is nothing to keep in step (no second table to write, delete
or copy when a site moves, no drift between two write paths), and GIN stores each distinct
gram once per document in compressed posting lists, far smaller than (gram, document) rows
with a B-tree. The price is computing the grams on every insert, which writes pay anyway.

Ranking, as on SQLite: documents with every term in their title first, then notes,
questions, answers, each newest (largest id) first; a bounded top-k (`ORDER BY … LIMIT`,
a top-N heap sort) over the matches. Counts are capped as on SQLite (COUNT_CAP + 1: "more");
PostgreSQL has every match at hand anyway, since LIKE rechecks each candidate and the sort
reads them all.
pg_trgm needs a database whose LC_CTYPE classifies Hangul as letters (any UTF-8 locale,
including C.UTF-8); with LC_CTYPE=C results are still right, only slower.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, text

from app.search import results
from app.search.documents import CHUNK, KINDS, all_documents, documents
from app.search.query import Term, substring_query
from app.search.results import Filters, Page

_TEXT = "search_text(d.title, d.body)"
_GRAMS = f"search_grams({_TEXT})"
# Serializes the first build of the index between concurrent first writes.
_BUILD_LOCK = 0x5EA2C4


def ensure_index(conn: Connection) -> bool:
    """Fill the index from the database when it was never built; True if built now."""
    if conn.exec_driver_sql("SELECT 1 FROM search_index_built").first():
        return False
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_BUILD_LOCK})")
    if conn.exec_driver_sql("SELECT 1 FROM search_index_built").first():
        return False  # another transaction built it while this one waited
    conn.exec_driver_sql("DELETE FROM search_documents")
    rows = [document.row() for document in all_documents(conn)]
    add_documents(conn, sorted(rows, key=lambda row: row["updated_at"] or ""))
    conn.exec_driver_sql("INSERT INTO search_index_built (built_at) VALUES (now())")
    return True


def drop_index(conn: Connection) -> None:
    """Empty the index and forget it was built: the next write fills it again."""
    conn.exec_driver_sql("DELETE FROM search_documents")
    conn.exec_driver_sql("DELETE FROM search_index_built")


def rebuild_index(conn: Connection) -> int:
    """Empty and refill the index in one transaction (readers see the old one until commit)."""
    drop_index(conn)
    ensure_index(conn)
    count: int = conn.exec_driver_sql("SELECT count(*) FROM search_documents").scalar_one()
    return count


def add_documents(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Insert document rows (`Document.row()`); the indexes follow by themselves."""
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(documents), rows[start : start + CHUNK])
    return len(rows)


def delete_documents(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Remove indexed rows (as read from search_documents)."""
    if rows:
        conn.execute(documents.delete().where(documents.c.id.in_([row["id"] for row in rows])))


def _conditions(terms: list[Term]) -> tuple[list[str], list[str], dict[str, str]]:
    """Match conditions, per-term title tests (for the score) and their parameters."""
    query = substring_query(terms)
    matches: list[str] = []
    in_title: list[str] = []
    params: dict[str, str] = {}
    for number, pattern in enumerate(query.patterns):
        params[f"p{number}"] = pattern
        matches.append(f"{_TEXT} LIKE lower(:p{number})")
        in_title.append(f"lower(d.title) LIKE lower(:p{number})")
    if query.grams:
        names = [f"g{number}" for number in range(len(query.grams))]
        params |= dict(zip(names, query.grams, strict=True))
        if query.patterns:
            # The LIKE patterns' candidates are rechecked row by row, and PostgreSQL then
            # rechecks every condition of the scan: a gram condition would recompute the
            # grams of each candidate (milliseconds a note). A gram is a substring test.
            matches += [f"strpos({_TEXT}, lower(:{n})) > 0" for n in names]
        else:
            matches.append(f"{_GRAMS} @> ARRAY[{', '.join(f'lower(:{n})' for n in names)}]")
        in_title += [f"strpos(lower(d.title), lower(:{n})) > 0" for n in names]
    return matches, in_title, params


def ranked_page(
    conn: Connection, terms: list[Term], filters: Filters, limit: int, offset: int
) -> Page:
    """Counts per kind (each at most COUNT_CAP + 1, as on SQLite) and the page's document
    ids, best first (one statement)."""
    matches, in_title, params = _conditions(terms)
    if not matches:
        return Page.empty()
    where, filter_params = filters.sql("strpos(d.chapters, :chapter) > 0")
    # The ranking of the SQLite backend: every term in the title, then notes, questions,
    # answers, each newest first.
    score = f"(CASE WHEN {' AND '.join(in_title)} THEN 1 ELSE 0 END)"
    kind_clause = "kind = :kind" if filters.kind else "TRUE"
    # The gram function's high cost (it steers the planner to the GIN index) would make
    # every search pay for JIT compilation, ten times the query itself at bench scale.
    conn.exec_driver_sql("SET LOCAL jit = off")
    rows = conn.execute(
        text(
            f"WITH matched AS MATERIALIZED (SELECT d.id, d.kind, d.updated_at, {score} AS score "
            f"FROM search_documents AS d WHERE {' AND '.join(matches)} AND {where}) "
            "SELECT NULL AS id, kind, least(count(*), :cap) AS value FROM matched GROUP BY kind "
            "UNION ALL (SELECT id, kind, score FROM matched "
            f"WHERE {kind_clause} ORDER BY score DESC, "
            "CASE kind WHEN 'note' THEN 3 WHEN 'question' THEN 2 ELSE 1 END DESC, id DESC "
            "LIMIT :limit OFFSET :offset)"
        ),
        params | filter_params | {
            "kind": filters.kind, "limit": limit, "offset": offset,
            "cap": results.COUNT_CAP + 1,
        },
    ).all()  # fmt: skip
    counts = dict.fromkeys(KINDS, 0) | {row.kind: row.value for row in rows if row.id is None}
    return Page(counts, [row.id for row in rows if row.id is not None])
