"""Reads for the note pages: each function runs a fixed number of queries."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, bindparam, distinct, func, select
from sqlalchemy.orm import aliased, joinedload, load_only, selectinload

from app.books import book_chapters as book_chapters  # the chapter list, for the views
from app.extensions import db
from app.models import (
    QUESTION_OPEN,
    QUESTION_VISIBLE,
    Book,
    Chapter,
    Member,
    Note,
    NoteChapter,
    NoteVersion,
    Question,
    Rating,
)
from app.web.paging import Page, clamp_page, offset_of


@dataclass(frozen=True)
class BookSummary:
    """A book on the home page with the group's progress on it."""

    book: Book
    chapters: int
    chapters_with_notes: int
    notes: int
    members: int
    open_questions: int
    reading_minutes: int

    @property
    def progress_percent(self) -> int:
        """Share of chapters that have at least one note."""
        return round(100 * self.chapters_with_notes / self.chapters) if self.chapters else 0


def _has_visible_note() -> ColumnElement[bool]:
    """The chapter has a note that is not deleted (an EXISTS that stops at the first one:
    cheaper than counting the distinct chapters of every note of the book)."""
    return (
        select(NoteChapter.note_id)
        .join(Note, Note.id == NoteChapter.note_id)
        .where(NoteChapter.chapter_id == Chapter.id, Note.deleted_at.is_(None))
        .exists()
    )


def _book_summaries_statement() -> Select[Any]:
    visible_notes = and_(Note.book_id == Book.id, Note.deleted_at.is_(None))

    # count(*), not count(id): SQLite counts index entries without reading each id.
    def count(expression: ColumnElement[Any], *where: ColumnElement[bool]) -> ScalarSelect[Any]:
        return select(expression).where(*where).scalar_subquery()

    return select(
        Book,
        count(func.count(), Chapter.book_id == Book.id).label("chapters"),
        count(func.count(), Chapter.book_id == Book.id, _has_visible_note()).label(
            "chapters_with_notes"
        ),
        count(func.count(), visible_notes).label("notes"),
        count(func.count(distinct(Note.member_id)), visible_notes).label("members"),
        count(func.count(), Question.book_id == Book.id, QUESTION_OPEN).label("open_questions"),
        count(func.coalesce(func.sum(Note.reading_minutes), 0), visible_notes).label(
            "reading_minutes"
        ),
    ).order_by(Book.title)


# Built once: building and keying its seven subqueries took a third of the home page.
_BOOK_SUMMARIES = _book_summaries_statement()


def book_summaries() -> list[BookSummary]:
    """Every book with counts of chapters, notes, members and open questions (1 query)."""
    rows = db.session.execute(_BOOK_SUMMARIES)
    return [
        BookSummary(
            book=row.Book,
            chapters=row.chapters,
            chapters_with_notes=row.chapters_with_notes,
            notes=row.notes,
            members=row.members,
            open_questions=row.open_questions,
            reading_minutes=row.reading_minutes,
        )
        for row in rows
    ]


def get_chapter(book_id: int, number: int) -> Chapter | None:
    """The chapter with its book, or None."""
    return db.session.execute(
        select(Chapter)
        .options(joinedload(Chapter.book))
        .where(Chapter.book_id == book_id, Chapter.number == number)
    ).scalar_one_or_none()


# The columns the note lists show: not the Markdown or HTML, which are most of a note row.
LISTED_NOTE_COLUMNS = (
    Note.id,
    Note.book_id,
    Note.member_id,
    Note.title,
    Note.reading_minutes,
    Note.warnings,
)
CHAPTER_QUESTIONS_PER_PAGE = 20


@dataclass(frozen=True)
class ChapterNote:
    """A note in a chapter's list: what the list shows, no Markdown or HTML."""

    id: int
    title: str
    member_id: int
    member_name: str
    reading_minutes: int | None
    warnings: int
    chapter_numbers: list[int]


_HERE, _LISTED = aliased(NoteChapter), aliased(NoteChapter)
# Built once (with the chapter as a parameter): building and keying it cost more than running it.
_CHAPTER_NOTES = (
    select(
        Note.id,
        Note.title,
        Note.member_id,
        Member.name,
        Note.reading_minutes,
        Note.warnings,
        Chapter.number,
    )
    .join(_HERE, _HERE.note_id == Note.id)
    .join(Member, Member.id == Note.member_id)
    .outerjoin(_LISTED, _LISTED.note_id == Note.id)
    .outerjoin(Chapter, Chapter.id == _LISTED.chapter_id)
    .where(_HERE.chapter_id == bindparam("chapter_id"), Note.deleted_at.is_(None))
    .order_by(Note.member_id, Note.id, _LISTED.position)
)


def chapter_notes(chapter: Chapter) -> list[ChapterNote]:
    """Every visible note on a chapter with its member and all its chapters, by member
    (1 query: one row per note and chapter it covers)."""
    rows = db.session.execute(_CHAPTER_NOTES, {"chapter_id": chapter.id})
    notes: dict[int, ChapterNote] = {}
    for note_id, title, member_id, name, minutes, warnings, number in rows:
        found = notes.get(note_id)
        if found is None:
            found = notes[note_id] = ChapterNote(
                note_id, title, member_id, name, minutes, len(warnings or ()), []
            )
        if number is not None:
            found.chapter_numbers.append(number)
    return list(notes.values())


_IN_CHAPTER = (
    Question.book_id == bindparam("book_id"),
    Question.chapter_number == bindparam("number"),
    QUESTION_VISIBLE,
)
_CHAPTER_QUESTION_COUNT = select(func.count()).select_from(Question).where(*_IN_CHAPTER)
_CHAPTER_QUESTIONS = (
    select(Question)
    .options(
        load_only(
            Question.id,
            Question.title,
            Question.state,
            Question.removed_from_note,
            Question.answers_count,
            Question.votes_count,
            Question.asker_id,
        ),
        joinedload(Question.asker).load_only(Member.id, Member.name),
    )
    .where(*_IN_CHAPTER)
    .order_by(Question.removed_from_note, Question.votes_count.desc(), Question.id)
    .limit(CHAPTER_QUESTIONS_PER_PAGE)
    .offset(bindparam("offset"))
)


def chapter_questions(chapter: Chapter, page: int = 1) -> Page[Question]:
    """A page of the chapter's visible questions with their askers, most wanted first
    (2 queries: the count and the page; both statements built once)."""
    where = {"book_id": chapter.book_id, "number": chapter.number}
    total = db.session.scalar(_CHAPTER_QUESTION_COUNT, where) or 0
    page = clamp_page(page, total, CHAPTER_QUESTIONS_PER_PAGE)
    offset = offset_of(page, CHAPTER_QUESTIONS_PER_PAGE)
    items = db.session.scalars(_CHAPTER_QUESTIONS, {**where, "offset": offset})
    return Page(list(items), total, page, CHAPTER_QUESTIONS_PER_PAGE)


_NOTE = (
    select(Note)
    .options(
        joinedload(Note.book),
        joinedload(Note.member),
        selectinload(Note.note_chapters).joinedload(NoteChapter.chapter),
        selectinload(Note.versions).load_only(
            NoteVersion.number,
            NoteVersion.created_at,
            NoteVersion.origin,
            NoteVersion.author_id,
            # Shown in the version list: left out, each version read them in a query of its own.
            NoteVersion.author_name,
            NoteVersion.commit_id,
        ),
        selectinload(Note.versions).joinedload(NoteVersion.author),
    )
    .where(Note.id == bindparam("note_id"))
)


def get_note(note_id: int) -> Note | None:
    """A note with its book, member, chapters and version list (3 queries; the statement
    built once)."""
    return db.session.execute(_NOTE, {"note_id": note_id}).scalar_one_or_none()


# The note page's other statements, built once with the note as bound parameters.
_NOTE_QUESTIONS = (
    select(Question)
    .where(Question.note_id == bindparam("note_id"), QUESTION_VISIBLE)
    .order_by(Question.removed_from_note, Question.note_position, Question.id)
)
_NOTE_RATINGS = (
    select(Chapter.number, Rating.score)
    .join(Chapter, Chapter.id == Rating.chapter_id)
    .where(
        Rating.member_id == bindparam("member_id"),
        Rating.chapter_id.in_(bindparam("chapter_ids", expanding=True)),
    )
)


def note_questions(note_id: int) -> list[Question]:
    """The questions that came from a note, in their order in the note (1 query)."""
    return list(db.session.scalars(_NOTE_QUESTIONS, {"note_id": note_id}))


def note_ratings(note: Note) -> dict[int, float]:
    """The member's current score for each chapter of the note (1 query)."""
    chapter_ids = [link.chapter_id for link in note.note_chapters]
    rows = db.session.execute(
        _NOTE_RATINGS, {"member_id": note.member_id, "chapter_ids": chapter_ids}
    )
    return {number: score for number, score in rows}


def get_member(member_id: int) -> Member | None:
    """A member, or None."""
    return db.session.get(Member, member_id)


@dataclass(frozen=True)
class MemberNote:
    """A note in a member's list: what the list shows, no Markdown or HTML."""

    id: int
    title: str
    book_title: str
    reading_minutes: int | None
    chapter_numbers: list[int]


_MEMBER_NOTES = (
    select(Note.id, Note.title, Book.title, Note.reading_minutes, Chapter.number)
    .join(Book, Book.id == Note.book_id)
    .outerjoin(NoteChapter, NoteChapter.note_id == Note.id)
    .outerjoin(Chapter, Chapter.id == NoteChapter.chapter_id)
    .where(Note.member_id == bindparam("member_id"), Note.deleted_at.is_(None))
    .order_by(Note.book_id, Note.title, Note.id, NoteChapter.position)
)


def member_notes(member_id: int) -> list[MemberNote]:
    """A member's visible notes with their books and chapters, by book and title (1 query:
    one row per note and chapter)."""
    notes: dict[int, MemberNote] = {}
    rows = db.session.execute(_MEMBER_NOTES, {"member_id": member_id})
    for note_id, title, book_title, minutes, number in rows:
        found = notes.get(note_id)
        if found is None:
            found = notes[note_id] = MemberNote(note_id, title, book_title, minutes, [])
        if number is not None:
            found.chapter_numbers.append(number)
    return list(notes.values())


@dataclass(frozen=True)
class MemberRating:
    """A member's current score for one chapter."""

    book_id: int
    book_title: str
    chapter_number: int
    score: float
    source: str


_MEMBER_RATINGS = (
    select(Book.id, Book.title, Chapter.number, Rating.score, Rating.source)
    .join(Chapter, Chapter.id == Rating.chapter_id)
    .join(Book, Book.id == Chapter.book_id)
    .where(Rating.member_id == bindparam("member_id"))
    .order_by(Book.title, Chapter.number)
)


def member_ratings(member_id: int) -> list[MemberRating]:
    """A member's current chapter scores with their books (1 query)."""
    rows = db.session.execute(_MEMBER_RATINGS, {"member_id": member_id})
    return [MemberRating(*row) for row in rows]


_MEMBER_QUESTIONS = (
    select(Question)
    .options(
        load_only(
            Question.id,
            Question.book_id,
            Question.chapter_number,
            Question.title,
            Question.state,
            Question.answers_count,
        ),
        joinedload(Question.book).load_only(Book.title),
    )
    .where(Question.asker_id == bindparam("member_id"), QUESTION_VISIBLE)
    .order_by(Question.created_at.desc())
    .limit(bindparam("limit"))
)


def member_questions(member_id: int, limit: int = 50) -> list[Question]:
    """The newest questions a member asked, the listed columns only (1 query)."""
    params = {"member_id": member_id, "limit": limit}
    return list(db.session.scalars(_MEMBER_QUESTIONS, params))


def get_version(note_id: int, number: int) -> tuple[NoteVersion, NoteVersion | None] | None:
    """A version of a note and the one before it (1 query)."""
    versions = (
        db.session.execute(
            select(NoteVersion)
            .options(joinedload(NoteVersion.author))
            .where(NoteVersion.note_id == note_id, NoteVersion.number.in_([number - 1, number]))
            .order_by(NoteVersion.number)
        )
        .scalars()
        .all()
    )
    by_number = {version.number: version for version in versions}
    if number not in by_number:
        return None
    return by_number[number], by_number.get(number - 1)


def version_diff(before: str, after: str) -> list[tuple[str, str]]:
    """A line diff as (kind, line) pairs, kind one of "add", "del", "same", "gap"."""
    lines: list[tuple[str, str]] = []
    before_lines, after_lines = before.splitlines(), after.splitlines()
    for group in difflib.SequenceMatcher(None, before_lines, after_lines).get_grouped_opcodes(3):
        if lines:
            lines.append(("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(("same", line) for line in before_lines[i1:i2])
                continue
            lines.extend(("del", line) for line in before_lines[i1:i2])
            lines.extend(("add", line) for line in after_lines[j1:j2])
    return lines
