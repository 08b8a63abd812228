"""The PostgreSQL backend: one `search_documents` table and GIN indexes over its text.

Migration 0007 creates the table, two SQL functions and the indexes (on PostgreSQL only);
0012 adds the stored text, the per-kind and the title indexes:

- `search_text(title, body)`: the lower-cased title and body, joined by a newline. No term
  holds a newline (queries and documents are whitespace-normalized), so no match spans the
  end of a title and the start of a body, as with SQLite's separate FTS5 columns. It is
  stored, uncompressed, as the generated column `searched`.
- Terms of 3+ characters: `searched LIKE '%term%'`, served by a `pg_trgm` GIN index
  (`kind, searched gin_trgm_ops`, btree_gin for the kind); LIKE is an exact substring test,
  pg_trgm only narrows the candidates (PostgreSQL rechecks every one, on the stored text).
- Terms of 1–2 characters, which have no trigram: an **expression index**, GIN over
  `search_grams(search_text(...))`, the array of every distinct 1- and 2-character substring
  (without whitespace). A short term's letter runs must all be in that array (`@>`, exact:
  no recheck). Beside a longer term they are plain substring tests (`strpos`) instead.

Why an expression index rather than an n-gram table: the grams are derived by the database
from the row itself, so there is nothing to keep in step (no second table to write, delete
or copy when a site moves, no drift between two write paths), and GIN stores each distinct
gram once per document in compressed posting lists, far smaller than (gram, document) rows
with a B-tree. The price is computing the grams on every insert, which writes pay anyway.

Ranking, as on SQLite: documents with every term in their title first, then notes,
questions, answers, each newest (largest id) first. Every step is bounded, as on SQLite:
each kind's matches are counted up to COUNT_CAP + 1 (the scan stops there); a kind with at
most COUNT_CAP matches is ranked from those rows; a kind with more is walked newest first
over `(kind, id)` with substring tests on the stored text, stopping after the page (a
common word is dense: the page is found within its first rows), and its first tier comes
from the title indexes (a title holding every term makes a match).
pg_trgm needs a database whose LC_CTYPE classifies Hangul as letters (any UTF-8 locale,
including C.UTF-8); with LC_CTYPE=C results are still right, only slower.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, text

from app.search import results
from app.search.documents import CHUNK, KINDS, all_documents, documents
from app.search.query import Term, substring_query
from app.search.results import Filters, Page

# The stored lower-cased text (migration 0011) and the expression of the gram index.
_TEXT = "d.searched"
_GRAMS = "search_grams(search_text(d.title, d.body))"
_TITLE = "lower(d.title)"
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


@dataclass(frozen=True)
class _Conditions:
    """One query's conditions over search_documents `d`, in the forms each plan needs."""

    indexed: str  # served by the trigram and gram indexes (LIKE, @>)
    scanned: str  # plain substring tests, for a walk in id order that stops early
    title_indexed: str  # every term in the title, served by the title indexes
    in_title: str  # every term in the title, as substring tests
    params: dict[str, str]


def _conditions(terms: list[Term]) -> _Conditions:
    """The match and title conditions of the terms, and their parameters."""
    query = substring_query(terms)
    words = list(dict.fromkeys(term.text for term in terms if not term.is_short))
    params = {f"p{n}": pattern for n, pattern in enumerate(query.patterns)}
    params |= {f"w{n}": word for n, word in enumerate(words)}
    params |= {f"g{n}": gram for n, gram in enumerate(query.grams)}
    likes = [f"lower(:p{n})" for n in range(len(query.patterns))]
    substrings = [f"lower(:w{n})" for n in range(len(words))]
    grams = [f"lower(:g{n})" for n in range(len(query.grams))]

    def test(column: str, gram_index: str) -> str:
        tests = [f"{column} LIKE {like}" for like in likes]
        if grams and likes:
            # Beside a LIKE, whose candidates are rechecked row by row, a gram is a
            # substring test: a gram condition would compute the grams of each candidate.
            tests += [f"strpos({column}, {gram}) > 0" for gram in grams]
        elif grams:
            tests.append(f"{gram_index} @> ARRAY[{', '.join(grams)}]")
        return " AND ".join(tests)

    def contains(column: str) -> str:
        return " AND ".join(f"strpos({column}, {value}) > 0" for value in substrings + grams)

    return _Conditions(
        indexed=test(_TEXT, _GRAMS), scanned=contains(_TEXT),
        # The title indexes hold only the rows with a title (migration 0011).
        title_indexed="d.title <> '' AND " + test(_TITLE, f"search_grams({_TITLE})"),
        in_title=contains(_TITLE),
        params=params,
    )  # fmt: skip


_RANKS = {kind: len(KINDS) - number for number, kind in enumerate(KINDS)}
# A ranked row: (tier: 1 when every term is in the title, rank of the kind, id).
Ranked = tuple[int, int, int]


def _counted(
    conn: Connection, match: _Conditions, where: str, params: dict[str, Any], page: list[str]
) -> tuple[dict[str, int], list[Ranked]]:
    """Matches per kind, each counted up to COUNT_CAP + 1 (the scan stops there), and the
    best `:n` of each kind in `page` (complete when its count is at most COUNT_CAP).

    The kind comes from an index too (btree_gin's kind in the trigram index): a LIKE's
    candidates of other kinds are not rechecked, and a kind with few of a gram's matches
    is not found by reading every match (a 60,000-answer posting list costs ~2 ms; reading
    20,000 matches of other kinds ~17)."""
    ctes = ", ".join(
        f"m_{kind} AS MATERIALIZED (SELECT d.id, ({match.in_title}) AS titled "
        f"FROM search_documents AS d WHERE d.kind = '{kind}' AND {match.indexed} "
        f"AND {where} LIMIT :cap)"
        for kind in KINDS
    )
    counts = [
        f"SELECT '{kind}' AS kind, NULL::int AS tier, count(*) AS id FROM m_{kind}"
        for kind in KINDS
    ]
    tops = [
        f"(SELECT '{kind}', titled::int, id FROM m_{kind} ORDER BY titled DESC, id DESC LIMIT :n)"
        for kind in page
    ]
    rows = conn.execute(
        text(f"WITH {ctes} {' UNION ALL '.join(counts + tops)}"),
        params | {"cap": results.COUNT_CAP + 1},
    ).all()
    found = {row.kind: row.id for row in rows if row.tier is None}
    ranked = [(row.tier, _RANKS[row.kind], row.id) for row in rows if row.tier is not None]
    return found, ranked


def _titled(
    conn: Connection, kinds: list[str], match: _Conditions, where: str, params: dict[str, Any]
) -> list[Ranked]:
    """The best `:n` of the first tier of these kinds (each with more than COUNT_CAP
    matches), from the title indexes: a title holding every term holds every match. Titles
    are short and their candidates few: their kinds are looked at one by one rather than
    read from an index."""
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    selects = " UNION ALL ".join(
        f"(SELECT '{kind}' AS kind, id FROM t WHERE kind = '{kind}' ORDER BY id DESC LIMIT :n)"
        for kind in kinds
    )
    rows = conn.execute(
        text(
            f"WITH t AS MATERIALIZED (SELECT d.id, d.kind FROM search_documents AS d "
            f"WHERE {match.title_indexed} AND d.kind || '' IN ({listed}) AND {where}) " + selects
        ),
        params,
    ).all()
    return [(1, _RANKS[row.kind], row.id) for row in rows]


def _walked(
    conn: Connection, kind: str, match: _Conditions, where: str, params: dict[str, Any]
) -> list[Ranked]:
    """The best `:n` of the second tier of a kind with more than COUNT_CAP matches, walked
    newest first over (kind, id) with plain substring tests on the stored text, stopping
    after `:n` (a common word is found within the first rows)."""
    rows = conn.execute(
        text(
            f"SELECT d.id FROM search_documents AS d WHERE d.kind = '{kind}' "
            f"AND {match.scanned} AND NOT ({match.in_title}) AND {where} "
            "ORDER BY d.id DESC LIMIT :n"
        ),
        params,
    ).all()
    return [(0, _RANKS[kind], row.id) for row in rows]


def ranked_page(
    conn: Connection, terms: list[Term], filters: Filters, limit: int, offset: int
) -> Page:
    """Counts per kind (each at most COUNT_CAP + 1, as on SQLite) and the page's document
    ids, best first: every step a bounded top-k, as on SQLite (one statement; then, for
    the kinds on the page with more than COUNT_CAP matches, their titles and a walk of each
    kind, in ranking order, until the page is full)."""
    if substring_query(terms).is_empty:
        return Page.empty()
    match = _conditions(terms)
    where, filter_params = filters.sql("strpos(d.chapters, :chapter) > 0")
    params = match.params | filter_params | {"n": offset + limit}
    # The gram function's high cost (it steers the planner to the GIN index) would make
    # every search pay for JIT compilation, ten times the query itself at bench scale;
    # parallel workers cost more to start than these bounded scans take.
    conn.exec_driver_sql(
        "SELECT set_config('jit', 'off', true), "
        "set_config('max_parallel_workers_per_gather', '0', true)"
    )
    # Kinds go into the SQL as literals: only the known ones (another kind shows nothing).
    shown = [kind for kind in KINDS if filters.kind in (None, kind)]
    counts, ranked = _counted(conn, match, where, params, shown)
    capped = [kind for kind in shown if counts[kind] > results.COUNT_CAP]
    if capped:
        ranked = [row for row in ranked if row[1] not in {_RANKS[kind] for kind in capped}]
        ranked += _titled(conn, capped, match, where, params)
        for kind in capped:
            # Past the page already: rows known to rank above this kind's second tier.
            if sum(row > (0, _RANKS[kind], -1) for row in ranked) >= offset + limit:
                break
            ranked += _walked(conn, kind, match, where, params)
    ranked.sort(reverse=True)
    return Page(counts, [row[2] for row in ranked[offset : offset + limit]])
