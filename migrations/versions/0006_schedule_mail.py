"""reading schedule, mail settings and the outbox

Revision ID: 0006
Revises: 0002
Create Date: 2026-12-03 00:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MODES = "'immediate', 'digest', 'never'"
KINDS = ("answers_to_me", "answers_on_my_notes", "questions_on_my_chapters", "meeting_reminders")


def upgrade():
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("chapters", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_meetings_book_id_books"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("book_id", "date", name="uq_meetings_book_date"),
    )
    op.create_index(op.f("ix_meetings_date"), "meetings", ["date"], unique=False)
    op.create_table(
        "mail_settings",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        *[sa.Column(kind, sa.String(length=10), nullable=False) for kind in KINDS],
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        *[
            sa.CheckConstraint(f"{kind} IN ({MODES})", name=op.f(f"ck_mail_settings_{kind}"))
            for kind in KINDS
        ],
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_mail_settings_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_mail_settings")),
    )
    op.create_table(
        "book_webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "format IN ('slack', 'discord', 'json')", name=op.f("ck_book_webhooks_format")
        ),
        sa.ForeignKeyConstraint(
            ["book_id"],
            ["books.id"],
            name=op.f("fk_book_webhooks_book_id_books"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_book_webhooks")),
    )
    op.create_index(
        op.f("ix_book_webhooks_book_id"), "book_webhooks", ["book_id"], unique=False
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("webhook_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=1000), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(length=40), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'digested')", name=op.f("ck_outbox_status")
        ),
        sa.CheckConstraint("mode IN ('immediate', 'digest')", name=op.f("ck_outbox_mode")),
        sa.CheckConstraint(
            "(member_id IS NULL) != (webhook_id IS NULL)",
            name=op.f("ck_outbox_exactly_one_recipient"),
        ),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["book_webhooks.id"],
            name=op.f("fk_outbox_webhook_id_book_webhooks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_outbox_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "mode", "next_attempt_at"], unique=False)


    op.create_table(
        "feed_tokens",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_feed_tokens_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_feed_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feed_tokens_token_hash")),
    )


def downgrade():
    op.drop_table("feed_tokens")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index(op.f("ix_book_webhooks_book_id"), table_name="book_webhooks")
    op.drop_table("book_webhooks")
    op.drop_table("mail_settings")
    op.drop_index(op.f("ix_meetings_date"), table_name="meetings")
    op.drop_table("meetings")
