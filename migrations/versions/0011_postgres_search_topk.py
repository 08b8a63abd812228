"""search on PostgreSQL: a stored lower-cased text, per-kind and title indexes for top-k

On SQLite this migration does nothing (app/search/sqlite.py builds its own index).

- `searched`: `search_text(title, body)` as a stored generated column. Every LIKE
  candidate of the trigram index is rechecked row by row: the expression lower-cased each
  5 KB note again (~40 µs a recheck at bench scale), the column is read as stored, and
  uncompressed (EXTERNAL: ~6 µs, ~16 when compressed). Generated, so the index writer has
  nothing to fill.
- The trigram index moves to that column, with the kind beside it (btree_gin): a per-kind
  count rechecks only the candidates of its kind.
- `(kind, id)`: a kind's matches walked newest first, stopping after the page.
- Title indexes (trigrams, 1–2 character grams): the first tier of the ranking (every term
  in the title) is found without reading every match.
Why: app/search/postgres.py.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_UPGRADE = (
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    """ALTER TABLE search_documents ADD COLUMN searched text NOT NULL
        GENERATED ALWAYS AS (search_text(title, body)) STORED,
        ALTER COLUMN searched SET STORAGE EXTERNAL""",
    "DROP INDEX search_documents_trigram",
    """CREATE INDEX search_documents_searched ON search_documents
        USING gin (kind, searched gin_trgm_ops)""",
    "CREATE INDEX search_documents_kind_id ON search_documents (kind, id)",
    # Partial: an answer has no title of its own, and the gram function's fixed cost on
    # each of them doubled the cost of indexing an answer.
    """CREATE INDEX search_documents_title_trigram ON search_documents
        USING gin (lower(title) gin_trgm_ops) WHERE title <> ''""",
    """CREATE INDEX search_documents_title_grams ON search_documents
        USING gin (search_grams(lower(title))) WHERE title <> ''""",
)
_DOWNGRADE = (
    "DROP INDEX IF EXISTS search_documents_title_grams",
    "DROP INDEX IF EXISTS search_documents_title_trigram",
    "DROP INDEX IF EXISTS search_documents_kind_id",
    "DROP INDEX IF EXISTS search_documents_searched",
    "ALTER TABLE search_documents DROP COLUMN IF EXISTS searched",
    """CREATE INDEX search_documents_trigram ON search_documents
        USING gin (search_text(title, body) gin_trgm_ops)""",
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _UPGRADE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _DOWNGRADE:
        op.execute(statement)
