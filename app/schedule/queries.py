"""Reads for the reading schedule: the next meeting and who has written for it."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import (
    QUESTION_OPEN,
    Chapter,
    Meeting,
    Member,
    Note,
    NoteChapter,
    Question,
)


@dataclass
class MeetingStatus:
    """A meeting with who has written a note for its chapters and its open questions."""

    meeting: Meeting
    written: list[str]
    missing: list[str]
    questions: list[Question]


@dataclass
class MeetingPage:
    """One meeting's page: its status and the meetings before and after it in the book."""

    status: MeetingStatus
    upcoming: bool
    previous: Meeting | None
    following: Meeting | None


def book_meetings(book_id: int) -> list[Meeting]:
    """Every meeting of a book, earliest first."""
    query = select(Meeting).where(Meeting.book_id == book_id).order_by(Meeting.date)
    return list(db.session.scalars(query))


def all_meetings() -> list[Meeting]:
    """Every meeting of every book, earliest first."""
    return list(db.session.scalars(select(Meeting).order_by(Meeting.date, Meeting.book_id)))


def next_meeting(today: date, book_id: int | None = None) -> Meeting | None:
    """The first meeting on or after `today` (of one book, or of any)."""
    query = select(Meeting).where(Meeting.date >= today).order_by(Meeting.date).limit(1)
    if book_id is not None:
        query = query.where(Meeting.book_id == book_id)
    return db.session.scalar(query)


def participants(book_id: int) -> list[Member]:
    """The members expected to write: those with a login or with a note in the book."""
    noted = select(Note.member_id).where(Note.book_id == book_id, Note.deleted_at.is_(None))
    query = select(Member).where(Member.password_hash.is_not(None) | Member.id.in_(noted))
    return list(db.session.scalars(query.order_by(Member.name)))


def writers(meeting: Meeting) -> set[int]:
    """Ids of members with a note on any of the meeting's chapters."""
    query = (
        select(Note.member_id)
        .join(NoteChapter, NoteChapter.note_id == Note.id)
        .join(Chapter, Chapter.id == NoteChapter.chapter_id)
        .where(
            Note.book_id == meeting.book_id,
            Note.deleted_at.is_(None),
            Chapter.number.in_(meeting.chapter_numbers),
        )
    )
    return set(db.session.scalars(query))


def meeting_status(meeting: Meeting) -> MeetingStatus:
    """Who has written for a meeting and who has not, and its open questions (3 queries)."""
    people = participants(meeting.book_id)
    wrote = writers(meeting)
    questions = db.session.scalars(
        select(Question)
        .where(
            QUESTION_OPEN,
            Question.book_id == meeting.book_id,
            Question.chapter_number.in_(meeting.chapter_numbers),
        )
        .order_by(Question.created_at.desc())
        .limit(20)
    )
    return MeetingStatus(
        meeting=meeting,
        written=[m.name for m in people if m.id in wrote],
        missing=[m.name for m in people if m.id not in wrote],
        questions=list(questions),
    )


def meeting_page(meeting_id: int, today: date) -> MeetingPage | None:
    """A meeting with its status and its neighbours in the book's schedule; None if absent."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return None
    same_book = select(Meeting).where(Meeting.book_id == meeting.book_id)
    previous = db.session.scalar(
        same_book.where(Meeting.date < meeting.date).order_by(Meeting.date.desc()).limit(1)
    )
    following = db.session.scalar(
        same_book.where(Meeting.date > meeting.date).order_by(Meeting.date).limit(1)
    )
    return MeetingPage(
        status=meeting_status(meeting),
        upcoming=meeting.date >= today,
        previous=previous,
        following=following,
    )
