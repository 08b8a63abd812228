"""site version: one counter that grows with every committed write

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 12:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    site_versions = op.create_table(
        "site_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_versions")),
    )
    op.bulk_insert(site_versions, [{"id": 1, "version": 0}])


def downgrade():
    op.drop_table("site_versions")
