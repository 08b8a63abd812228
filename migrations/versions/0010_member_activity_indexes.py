"""cold pages: indexes for one member's recent activity (newest notes, questions, answers)

A member page's activity feed walked every note, question and answer of the member and
sorted them; with (member, time) indexes it reads only the newest few.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 12:30:00

"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_notes_member_updated_at", "notes", ["member_id", "updated_at"]),
    ("ix_questions_asker_created_at", "questions", ["asker_id", "created_at"]),
    ("ix_answers_author_created_at", "answers", ["author_id", "created_at"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
