"""repositories: Git repositories as note sources; commit and author on note versions

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-03 00:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "repositories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("branch", sa.String(length=200), nullable=False),
        sa.Column("subfolder", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("token", sa.String(length=500), nullable=True),
        sa.Column("last_commit", sa.String(length=40), nullable=True),
        sa.Column("last_synced_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repositories")),
        sa.UniqueConstraint("name", name=op.f("uq_repositories_name")),
    )
    op.create_table(
        "git_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_git_identities_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_git_identities")),
        sa.UniqueConstraint("email", name=op.f("uq_git_identities_email")),
    )
    with op.batch_alter_table("notes") as batch:
        batch.add_column(sa.Column("repository_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_notes_repository_id_repositories"),
            "repositories",
            ["repository_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("note_versions") as batch:
        batch.add_column(sa.Column("commit_id", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("author_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("author_email", sa.String(length=320), nullable=True))


def downgrade():
    with op.batch_alter_table("note_versions") as batch:
        batch.drop_column("author_email")
        batch.drop_column("author_name")
        batch.drop_column("commit_id")
    with op.batch_alter_table("notes") as batch:
        batch.drop_constraint("fk_notes_repository_id_repositories", type_="foreignkey")
        batch.drop_column("repository_id")
    op.drop_table("git_identities")
    op.drop_table("repositories")
