"""page versions: one counter per scope of pages instead of one for the whole site

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 07:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "page_versions",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_page_versions")),
    )
    op.drop_table("site_versions")


def downgrade():
    site_versions = op.create_table(
        "site_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_versions")),
    )
    op.bulk_insert(site_versions, [{"id": 1, "version": 0}])
    op.drop_table("page_versions")
