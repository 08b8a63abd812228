"""The search page."""

from flask import Blueprint, render_template, request

from app.search import queries as search_engine
from app.search.documents import KIND_LABELS
from app.web.page_versions import versioned
from app.web.query_args import page_number, sqlite_int

bp = Blueprint("search", __name__)


@bp.get("/search")
@versioned("search")
def search() -> str:
    """Search notes, questions and answers, with filters and pages."""
    args = request.args
    query = args.get("q", "").strip()
    book_id = args.get("book", type=sqlite_int)
    chapter = args.get("chapter", type=sqlite_int)
    member_id = args.get("member", type=sqlite_int)
    kind = args.get("kind") if args.get("kind") in KIND_LABELS else None
    filters = {"book_id": book_id, "chapter": chapter, "member_id": member_id, "kind": kind}
    page = page_number(args.get("page"))
    results = search_engine.search(
        query, page=page, book_id=book_id, chapter=chapter, member_id=member_id, kind=kind
    )
    return render_template(
        "search/results.html",
        q=query,
        results=results,
        filters=filters,
        kinds=KIND_LABELS,
    )
