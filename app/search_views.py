"""The search page."""

from flask import Blueprint, render_template, request

from app import search as search_engine

bp = Blueprint("search", __name__)


@bp.get("/search")
def search():
    """Search notes, questions and answers, with filters and pages."""
    args = request.args
    query = args.get("q", "").strip()
    filters = {
        "book_id": args.get("book", type=int),
        "chapter": args.get("chapter", type=int),
        "member_id": args.get("member", type=int),
        "kind": args.get("kind") if args.get("kind") in search_engine.KIND_LABELS else None,
    }
    page = max(1, args.get("page", 1, type=int))
    results = search_engine.search(query, page=page, **filters)
    return render_template(
        "search/results.html",
        q=query,
        results=results,
        filters=filters,
        kinds=search_engine.KIND_LABELS,
    )
