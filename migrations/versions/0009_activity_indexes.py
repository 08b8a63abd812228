"""cold pages: indexes for recent activity and the dashboard's open questions per chapter

Reading the whole book's ratings once turned out cheap enough, so no per-chapter
statistics table was needed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:10:00

"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_notes_updated_at", "notes", ["updated_at"]),
    ("ix_answers_created_at", "answers", ["created_at"]),
    ("ix_rating_events_created_at", "rating_events", ["created_at"]),
    (
        "ix_questions_open_by_chapter",
        "questions",
        ["book_id", "chapter_number", "state", "removed_from_note", "deleted_at", "hidden_at"],
    ),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
