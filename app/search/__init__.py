"""Search over notes, questions and answers, on SQLite (FTS5) or PostgreSQL (pg_trgm).

The package's shape: `query.py` parses the search box (pure), `text.py` makes plain text
and snippets (pure), `documents.py` says what is searchable, `index.py` keeps the index
with every write (its listener registered by `init_app`), `sqlite.py` and `postgres.py` are
the two backends behind one interface, `queries.py` runs a search, `views.py` is the page
and `cli.py` the `flask search` commands.
"""

from app.search.documents import KIND_LABELS, KINDS, Document, is_index_table
from app.search.index import (
    add_new_documents,
    deferred,
    drop_index,
    ensure_index,
    init_app,
    rebuild_index,
)
from app.search.queries import run_search, search
from app.search.results import Filters, SearchHit, SearchResults

__all__ = [
    "KINDS", "KIND_LABELS", "Document", "Filters", "SearchHit", "SearchResults",
    "add_new_documents", "deferred", "drop_index",
    "ensure_index", "init_app", "is_index_table", "rebuild_index", "run_search", "search",
]  # fmt: skip
