"""Reads for the feeds: the newest notes, questions and answers of a scope."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from app.extensions import db
from app.models import (
    QUESTION_VISIBLE,
    Answer,
    Chapter,
    Member,
    Note,
    Question,
    RatingEvent,
)

LIMIT = 50

_Select = TypeVar("_Select", bound=Select[*tuple[Any, ...]])


def _scoped(
    query: _Select,
    model: type[Note | Question | Chapter],
    book_id: int | None,
    member_id: int | None,
    owner: InstrumentedAttribute[int],
) -> _Select:
    if book_id is not None:
        query = query.where(model.book_id == book_id)
    if member_id is not None:
        query = query.where(owner == member_id)
    return query


def notes(book_id: int | None = None, member_id: int | None = None) -> list[Note]:
    """The newest notes (by last change) that are not deleted."""
    query = select(Note).options(joinedload(Note.member)).where(Note.deleted_at.is_(None))
    query = _scoped(query, Note, book_id, member_id, Note.member_id)
    return list(db.session.scalars(query.order_by(Note.updated_at.desc()).limit(LIMIT)))


def questions(book_id: int | None = None, member_id: int | None = None) -> list[Question]:
    """The newest visible questions."""
    query = select(Question).options(joinedload(Question.asker)).where(QUESTION_VISIBLE)
    query = _scoped(query, Question, book_id, member_id, Question.asker_id)
    return list(db.session.scalars(query.order_by(Question.created_at.desc()).limit(LIMIT)))


def answers(book_id: int | None = None, member_id: int | None = None) -> list[Answer]:
    """The newest visible answers on visible questions."""
    query = (
        select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .options(joinedload(Answer.author), joinedload(Answer.question))
        .where(QUESTION_VISIBLE, Answer.deleted_at.is_(None), Answer.hidden_at.is_(None))
    )
    query = _scoped(query, Question, book_id, member_id, Answer.author_id)
    return list(db.session.scalars(query.order_by(Answer.created_at.desc()).limit(LIMIT)))


@dataclass(frozen=True)
class Activity:
    """One thing that happened: a note, a question, an answer or a rating."""

    kind: str
    title: str
    path: str
    who: str
    when: datetime
    text: str


def ratings(
    book_id: int | None = None, member_id: int | None = None
) -> list[Row[RatingEvent, int, int, str]]:
    """The newest scores given: (event, chapter number, book id, member name)."""
    query = (
        select(RatingEvent, Chapter.number, Chapter.book_id, Member.name)
        .join(Chapter, Chapter.id == RatingEvent.chapter_id)
        .join(Member, Member.id == RatingEvent.member_id)
    )
    query = _scoped(query, Chapter, book_id, member_id, RatingEvent.member_id)
    return list(db.session.execute(query.order_by(RatingEvent.created_at.desc()).limit(LIMIT)))


def activity(
    book_id: int | None = None, member_id: int | None = None, limit: int = LIMIT
) -> list[Activity]:
    """Recent notes (new or changed), questions, answers (accepted ones marked) and ratings,
    newest first (four queries)."""
    items = [
        Activity(
            "note",
            f"노트: {n.title}",
            f"/notes/{n.id}",
            n.member.name,
            n.updated_at,
            f"{n.member.name}님의 노트" + (" (고침)" if n.version_count > 1 else ""),
        )
        for n in notes(book_id, member_id)
    ]
    items += [
        Activity(
            "question",
            f"질문: {q.title}",
            f"/questions/{q.id}",
            q.asker.name,
            q.created_at,
            q.body or q.title,
        )
        for q in questions(book_id, member_id)
    ]
    items += [
        Activity(
            "answer",
            f"{'채택된 답변' if a.accepted else '답변'}: {a.question.title}",
            f"/questions/{a.question_id}#answer-{a.id}",
            a.author.name,
            a.created_at,
            a.body,
        )
        for a in answers(book_id, member_id)
    ]
    items += [
        Activity(
            "rating",
            f"이해도: {number}장 {event.score:g}점",
            f"/books/{book}/chapters/{number}",
            name,
            event.created_at,
            f"{name}님이 {number}장에 {event.score:g}점을 주었습니다",
        )
        for event, number, book, name in ratings(book_id, member_id)
    ]
    return sorted(items, key=lambda item: item.when, reverse=True)[:limit]
