"""cold pages: covering indexes for the board's count and the dashboard's notes and scores

The board counts every visible question on a cold render: a (deleted_at, hidden_at) index
is searched instead of scanning a five-column one. The dashboard reads a book's note ×
chapter rows and scores: covering indexes spare a table lookup per row. On SQLite the
tables of these indexes and of 0010's are analyzed (0010 left its indexes without statistics).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 13:25:00

"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_questions_visible", "questions", ["deleted_at", "hidden_at"]),
    ("ix_note_chapters_listing", "note_chapters", ["note_id", "chapter_id", "minutes", "position"]),
    ("ix_ratings_chapter_listing", "ratings", ["chapter_id", "member_id", "score", "source"]),
]

# The tables whose indexes 0010 added without statistics.
ANALYZED_FOR_0010 = {"notes", "questions", "answers"}


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    if op.get_bind().dialect.name == "sqlite":
        # Statistics for the new indexes, and for 0010's: without them SQLite may pick an
        # index badly (the home page's answers, by 0010's author index: 5 ms -> 150 ms).
        for table in sorted({table for _, table, _ in INDEXES} | ANALYZED_FOR_0010):
            op.execute(f"ANALYZE {table}")


def downgrade():
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
