"""The database tables: typed SQLAlchemy 2.0 models with their constraints."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, MappedColumn, mapped_column, relationship

from app.extensions import Model
from app.notes.parse.types import NoteParsed


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (SQLite stores naive datetimes)."""
    return datetime.now(UTC).replace(tzinfo=None)


# --- people -------------------------------------------------------------------------------


def key_of(target: str, *, index: bool | None = None) -> MappedColumn[Any]:
    """A primary-key column that points at `target` ("table.id") and goes with its row when
    that row is deleted: a link table's halves, a member's one row of settings."""
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), primary_key=True, index=index)


class Member(UserMixin, Model):  # type: ignore[misc]  # flask_login has no type hints
    """A person in the group; may exist from an import before they have a login."""

    __tablename__ = "members"
    __table_args__ = (CheckConstraint("role IN ('admin', 'member')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    username: Mapped[str | None] = mapped_column(String(50), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="member")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Grows on sign-out and password change; a session signed in at another number is over.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    notes: Mapped[list[Note]] = relationship(back_populates="member")

    @property
    def is_admin(self) -> bool:
        """True for an administrator."""
        return self.role == "admin"

    @property
    def has_login(self) -> bool:
        """True once the member can sign in."""
        return self.password_hash is not None

    @property
    def is_active(self) -> bool:  # Flask-Login: only members with a login may sign in
        return self.has_login


class LoginAttempt(Model):
    """A sign-in attempt reserved before its password is checked (per account and address),
    so concurrent guesses cannot pass the limit; a successful one is removed."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_created_at", "key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Invite(Model):
    """A single-use link that lets a person create a login (optionally for a member)."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    role: Mapped[str] = mapped_column(String(10), default="member")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))

    created_by: Mapped[Member] = relationship(foreign_keys=[created_by_id])
    member: Mapped[Member | None] = relationship(foreign_keys=[member_id])


class ApiToken(Model):
    """A personal API token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship()


# --- books and notes ----------------------------------------------------------------------


class Book(Model):
    """A book or lecture the group studies."""

    __tablename__ = "books"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    chapters: Mapped[list[Chapter]] = relationship(back_populates="book", order_by="Chapter.number")


class Chapter(Model):
    """A numbered chapter of a book."""

    __tablename__ = "chapters"
    __table_args__ = (
        UniqueConstraint("book_id", "number", name="uq_chapters_book_number"),
        CheckConstraint("number >= 0", name="number_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200), default="")

    book: Mapped[Book] = relationship(back_populates="chapters")


class Note(Model):
    """One member's note for one or more chapters, with its parsed fields and safe HTML."""

    __tablename__ = "notes"
    __table_args__ = (
        UniqueConstraint("book_id", "source_key", name="uq_notes_book_source_key"),
        CheckConstraint("origin IN ('import', 'web')", name="origin"),
        Index("ix_notes_member_book", "member_id", "book_id"),
        # Covering index: per-book counts and sums read it instead of the large note rows
        # (whose Markdown and HTML put later columns on overflow pages).
        Index(
            "ix_notes_book_listing",
            "book_id",
            "deleted_at",
            "member_id",
            "reading_minutes",
            "title",
        ),
        # Recent activity: the newest notes without sorting every note.
        Index("ix_notes_updated_at", "updated_at"),
        # A member's recent activity: their newest notes, one index walk.
        Index("ix_notes_member_updated_at", "member_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    # Stable identity: the path inside the book folder for imports, "web:<n>" for web notes.
    source_key: Mapped[str] = mapped_column(String(500))
    origin: Mapped[str] = mapped_column(String(10), default="import")
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    html: Mapped[str] = mapped_column(Text)
    toc_html: Mapped[str] = mapped_column(Text, default="")
    reading_minutes: Mapped[int | None]
    # Parsed extras: warnings, per-section text (e.g. "어려웠던 부분"), scores as read.
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What the parser read out of the note; its shape is app.notes.parse.types.NoteParsed.
    parsed: Mapped[NoteParsed] = mapped_column(JSON, default=dict)
    version_count: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    # The Git repository a note is synced from (None for folder imports and web notes).
    repository_id: Mapped[int | None] = mapped_column(
        ForeignKey("repositories.id", ondelete="SET NULL")
    )

    book: Mapped[Book] = relationship()
    member: Mapped[Member] = relationship(back_populates="notes")
    note_chapters: Mapped[list[NoteChapter]] = relationship(
        back_populates="note", cascade="all, delete-orphan", order_by="NoteChapter.position"
    )
    versions: Mapped[list[NoteVersion]] = relationship(
        back_populates="note", cascade="all, delete-orphan", order_by="NoteVersion.number"
    )


class NoteChapter(Model):
    """Which chapters a note covers, with the reading minutes it gives for each."""

    __tablename__ = "note_chapters"
    # The dashboard's note × chapter rows (chapter, minutes, position) without the table.
    __table_args__ = (
        Index("ix_note_chapters_listing", "note_id", "chapter_id", "minutes", "position"),
    )

    note_id: Mapped[int] = key_of("notes.id")
    chapter_id: Mapped[int] = key_of("chapters.id", index=True)
    position: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[int | None]

    note: Mapped[Note] = relationship(back_populates="note_chapters")
    chapter: Mapped[Chapter] = relationship()


class NoteVersion(Model):
    """An earlier or current text of a note; never deleted."""

    __tablename__ = "note_versions"
    __table_args__ = (UniqueConstraint("note_id", "number", name="uq_note_versions_note_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    number: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(10), default="import")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # For a version synced from Git: the commit and its author as Git knows them.
    commit_id: Mapped[str | None] = mapped_column(String(40))
    author_name: Mapped[str | None] = mapped_column(String(200))
    author_email: Mapped[str | None] = mapped_column(String(320))

    note: Mapped[Note] = relationship(back_populates="versions")
    author: Mapped[Member | None] = relationship()


class Asset(Model):
    """An image imported next to a note (./images/a.png), served by the site."""

    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(300))
    mimetype: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Repository(Model):
    """A Git repository the group keeps its notes in, followed by `flask repo sync`."""

    __tablename__ = "repositories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(1000))
    branch: Mapped[str] = mapped_column(String(200), default="main")
    subfolder: Mapped[str] = mapped_column(String(500), default="")
    # The webhook secret (kept to check signatures) and an optional https token.
    secret: Mapped[str] = mapped_column(String(200))
    token: Mapped[str | None] = mapped_column(String(500))
    last_commit: Mapped[str | None] = mapped_column(String(40))
    last_synced_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GitIdentity(Model):
    """A commit author's e-mail linked by an admin to a member: their versions are theirs."""

    __tablename__ = "git_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[Member] = relationship()


# --- the question board -------------------------------------------------------------------


class QuestionState(StrEnum):
    """Where a thread stands: no answer yet, answered, or an answer accepted."""

    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        """The state as the site shows it."""
        return QUESTION_STATE_LABELS[self]


QUESTION_STATE_LABELS = {
    QuestionState.OPEN: "미해결",
    QuestionState.ANSWERED: "답변 있음",
    QuestionState.RESOLVED: "해결됨",
}


class Question(Model):
    """A thread on the board: from a note (keeps its link) or asked on the web."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{state}'" for state in QuestionState) + ")", name="state"
        ),
        Index("ix_questions_book_chapter", "book_id", "chapter_number"),
        # The board's default order (newest first) walks this instead of sorting every row.
        Index("ix_questions_created_at", "created_at"),
        # Covering index for counting a book's open questions without reading their bodies.
        Index(
            "ix_questions_book_state",
            "book_id",
            "state",
            "removed_from_note",
            "deleted_at",
            "hidden_at",
        ),
        Index("ix_questions_activity", "last_activity_at"),
        # The board's count of visible questions: two short columns, not five.
        Index("ix_questions_visible", "deleted_at", "hidden_at"),
        # A member's recent activity: the newest questions they asked, one index walk.
        Index("ix_questions_asker_created_at", "asker_id", "created_at"),
        # The same, per chapter: the dashboard's open questions by chapter in one index walk.
        Index(
            "ix_questions_open_by_chapter",
            "book_id",
            "chapter_number",
            "state",
            "removed_from_note",
            "deleted_at",
            "hidden_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    chapter_number: Mapped[int | None]
    asker_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id"), index=True)
    # Order of the question inside its note, and the anchor of its place in the note page.
    note_position: Mapped[int | None]
    note_anchor: Mapped[str | None] = mapped_column(String(200))
    removed_from_note: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default=QuestionState.OPEN.value)
    answers_count: Mapped[int] = mapped_column(default=0)
    votes_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]

    book: Mapped[Book] = relationship()
    asker: Mapped[Member] = relationship()
    note: Mapped[Note | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="question", order_by="Answer.created_at"
    )


# Threads anyone may see, and the ones still worth talking about (the "open questions").
QUESTION_VISIBLE = and_(Question.deleted_at.is_(None), Question.hidden_at.is_(None))
QUESTION_OPEN = and_(
    QUESTION_VISIBLE,
    # Every state but resolved, spelled as a list so that an index on (…, state, …) is
    # searched for each state instead of scanned.
    Question.state.in_([s.value for s in QuestionState if s != QuestionState.RESOLVED]),
    Question.removed_from_note.is_(False),
)


class Answer(Model):
    """A reply on a thread, in Markdown; the asker (or an admin) may accept it."""

    __tablename__ = "answers"
    # Recent activity: the newest answers (of everyone, of one member) without sorting.
    __table_args__ = (
        Index("ix_answers_created_at", "created_at"),
        Index("ix_answers_author_created_at", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    accepted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]

    question: Mapped[Question] = relationship(back_populates="answers")
    author: Mapped[Member] = relationship()


class PostRevision(Model):
    """An earlier title/body of a question or answer (edit history)."""

    __tablename__ = "post_revisions"
    __table_args__ = (
        CheckConstraint("(question_id IS NULL) != (answer_id IS NULL)", name="exactly_one_post"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # "note" when the change came from re-importing the question's note.
    source: Mapped[str] = mapped_column(String(10), default="web")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[Member | None] = relationship()


class Vote(Model):
    """ "나도 궁금해요": one per member per thread."""

    __tablename__ = "votes"

    question_id: Mapped[int] = key_of("questions.id")
    member_id: Mapped[int] = key_of("members.id", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Model):
    """A new answer on a thread the member asked or voted on."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_member_unread", "member_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    question: Mapped[Question] = relationship()
    answer: Mapped[Answer] = relationship()


# --- ratings ------------------------------------------------------------------------------

SCORE_CHECK = "score >= 0.5 AND score <= 5 AND (score * 2) = CAST(score * 2 AS INTEGER)"


class Rating(Model):
    """A member's current 0.5–5 comprehension score for one chapter."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("member_id", "chapter_id", name="uq_ratings_member_chapter"),
        CheckConstraint(SCORE_CHECK, name="score_half_steps"),
        CheckConstraint("source IN ('note', 'web')", name="source"),
        # A book's scores for the dashboard grid, read from the index alone.
        Index("ix_ratings_chapter_listing", "chapter_id", "member_id", "score", "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapters.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(10))
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[Member] = relationship()
    chapter: Mapped[Chapter] = relationship()


class RatingEvent(Model):
    """Every score ever given, from a note or the web, in order: the rating history."""

    __tablename__ = "rating_events"
    __table_args__ = (
        CheckConstraint(SCORE_CHECK, name="score_half_steps"),
        Index("ix_rating_events_member_chapter", "member_id", "chapter_id"),
        Index("ix_rating_events_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(10))
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- caching ------------------------------------------------------------------------------


class PageVersion(Model):
    """A number that grows with every committed write to what a scope of pages shows
    (`thread:7`, `book:2`, `site`...): the pages' ETag. A scope never written has no row."""

    __tablename__ = "page_versions"

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


# --- the API's retries ----------------------------------------------------------------------


class IdempotencyKey(Model):
    """The first answer to an API POST sent with an `Idempotency-Key`, replayed on retries."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("token_hash", "key", name="uq_idempotency_keys_token_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(500))
    status: Mapped[int | None]  # None while the first request is still running
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- the reading schedule and e-mail --------------------------------------------------------

MAIL_MODES = "'immediate', 'digest', 'never'"


class Meeting(Model):
    """A meeting of the group on a date, covering some chapters of a book ("5,6")."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("book_id", "date", name="uq_meetings_book_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(index=True)
    chapters: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    book: Mapped[Book] = relationship()

    @property
    def chapter_numbers(self) -> list[int]:
        """The chapters as numbers, in order."""
        return [int(part) for part in self.chapters.split(",") if part]


class MailSettings(Model):
    """A member's e-mail address and, per kind of mail, immediately / digest / never."""

    __tablename__ = "mail_settings"
    __table_args__ = tuple(
        CheckConstraint(f"{column} IN ({MAIL_MODES})", name=column)
        for column in (
            "answers_to_me",
            "answers_on_my_notes",
            "questions_on_my_chapters",
            "meeting_reminders",
        )
    )

    member_id: Mapped[int] = key_of("members.id")
    email: Mapped[str] = mapped_column(String(254))
    answers_to_me: Mapped[str] = mapped_column(String(10), default="immediate")
    answers_on_my_notes: Mapped[str] = mapped_column(String(10), default="immediate")
    questions_on_my_chapters: Mapped[str] = mapped_column(String(10), default="digest")
    meeting_reminders: Mapped[str] = mapped_column(String(10), default="immediate")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BookWebhook(Model):
    """An outgoing chat webhook of a book: Slack-compatible, Discord, or signed JSON."""

    __tablename__ = "book_webhooks"
    __table_args__ = (CheckConstraint("format IN ('slack', 'discord', 'json')", name="format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(1000))
    format: Mapped[str] = mapped_column(String(10))
    # HMAC-SHA256 key of the generic JSON format (X-Studyhall-Signature).
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxMail(Model):
    """A mail (or a webhook post) to send, written in the same transaction as its news."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'digested')", name="status"),
        CheckConstraint("mode IN ('immediate', 'digest')", name="mode"),
        CheckConstraint(
            "(member_id IS NULL) != (webhook_id IS NULL)", name="exactly_one_recipient"
        ),
        Index("ix_outbox_due", "status", "mode", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Makes a mail idempotent: a reminder is queued once per meeting and member.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(10), default="immediate")
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    webhook_id: Mapped[int | None] = mapped_column(
        ForeignKey("book_webhooks.id", ondelete="CASCADE")
    )
    # An e-mail address, or the webhook's URL (whose row body is the JSON to post).
    recipient: Mapped[str] = mapped_column(String(1000))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class FeedToken(Model):
    """A member's private feed secret (its SHA-256); making a new one revokes the old."""

    __tablename__ = "feed_tokens"

    member_id: Mapped[int] = key_of("members.id")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
