"""Running a search: the backend ranks ids, then one portable query reads the page's rows."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, select

from app.extensions import db
from app.models import Book, Chapter, Member, Question
from app.search import results
from app.search.documents import KINDS, documents
from app.search.index import backend_for
from app.search.query import highlight_words, parse_query
from app.search.results import FilterOptions, Filters, SearchHit, SearchResults
from app.search.text import highlight, highlight_pattern, snippet


def _page_rows(conn: Connection, ids: list[int]) -> list[Any]:
    """The text and labels of the page's documents, in the order of `ids`."""
    if not ids:
        return []
    d = documents.c
    rows = conn.execute(
        select(
            d.id, d.kind, d.ref_id, d.book_id, d.member_id, d.question_id, d.chapters,
            d.updated_at, db.func.coalesce(Question.title, d.title).label("title"), d.body,
            Book.title.label("book_title"), Member.name.label("member_name"),
        )
        .outerjoin(Book, Book.id == d.book_id)
        .outerjoin(Member, Member.id == d.member_id)
        .outerjoin(Question, Question.id == d.question_id)
        .where(d.id.in_(ids))
    ).all()  # fmt: skip
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def run_search(
    conn: Connection,
    query: str,
    filters: Filters | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchResults:
    """Search the index on this connection (two queries: ranked ids with counts, then rows)."""
    filters = filters or Filters()
    terms = parse_query(query)
    found = backend_for(conn).ranked_page(conn, terms, filters, per_page, (page - 1) * per_page)
    pattern = highlight_pattern(highlight_words(terms))
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
        for row in _page_rows(conn, found.ids)
    ]
    counts = found.counts
    shown = [counts[filters.kind]] if filters.kind else list(counts.values())
    total = sum(min(count, results.COUNT_CAP) for count in shown)
    return SearchResults(
        query, [t.text for t in terms], hits, counts, total, page, per_page,
        more=any(count > results.COUNT_CAP for count in shown),
    )  # fmt: skip


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
        books=[(row.id, row.title) for row in books],
        chapters=[(row.number, row.title) for row in chapters],
        members=[(row.id, row.name) for row in members],
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
    found = run_search(db.session.connection(), query, filters, page, per_page)
    return replace(found, options=filter_options(book_id))
