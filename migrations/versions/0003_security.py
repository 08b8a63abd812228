"""security: login attempts reserved before the password check, session generations

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 00:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index(
        "ix_login_attempts_key_created_at", "login_attempts", ["key", "created_at"], unique=False
    )
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("members") as batch:
        batch.drop_column("session_generation")
    op.drop_index("ix_login_attempts_key_created_at", table_name="login_attempts")
    op.drop_table("login_attempts")
