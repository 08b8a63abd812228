"""Reads for the feeds: the newest notes, questions and answers of a scope."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Exists, Select, literal, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

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


@dataclass(frozen=True)
class Activity:
    """One thing that happened: a note, a question, an answer or a rating."""

    kind: str
    title: str
    path: str
    who: str
    when: datetime
    text: str


def _scoped(
    query: _Select,
    book: InstrumentedAttribute[int] | None,
    owner: InstrumentedAttribute[int] | None,
    book_id: int | None,
    member_id: int | None,
) -> _Select:
    if book is not None and book_id is not None:
        query = query.where(book == book_id)
    if owner is not None and member_id is not None:
        query = query.where(owner == member_id)
    return query


def _notes(book_id: int | None, member_id: int | None, limit: int) -> list[Activity]:
    """The newest notes (by last change) that are not deleted: the columns shown only."""
    query = (
        select(Note.id, Note.title, Note.updated_at, Note.version_count, Member.name)
        .join(Member, Member.id == Note.member_id)
        .where(Note.deleted_at.is_(None))
    )
    query = _scoped(query, Note.book_id, Note.member_id, book_id, member_id)
    rows = db.session.execute(query.order_by(Note.updated_at.desc()).limit(limit))
    return [
        Activity(
            "note",
            f"노트: {title}",
            f"/notes/{id_}",
            name,
            when,
            f"{name}님의 노트" + (" (고침)" if versions > 1 else ""),
        )
        for id_, title, when, versions, name in rows
    ]


def _questions(book_id: int | None, member_id: int | None, limit: int) -> list[Activity]:
    """The newest visible questions."""
    query = (
        select(Question.id, Question.title, Question.body, Question.created_at, Member.name)
        .join(Member, Member.id == Question.asker_id)
        .where(QUESTION_VISIBLE)
    )
    query = _scoped(query, Question.book_id, Question.asker_id, book_id, member_id)
    rows = db.session.execute(query.order_by(Question.created_at.desc()).limit(limit))
    return [
        Activity("question", f"질문: {title}", f"/questions/{id_}", name, when, body or title)
        for id_, title, body, when, name in rows
    ]


_ASKED = aliased(Question)  # the question an answer is on, for its title


def _answer_shown(book_id: int | None) -> Exists:
    shown = select(literal(1)).where(_ASKED.id == Answer.question_id)
    shown = shown.where(_ASKED.deleted_at.is_(None), _ASKED.hidden_at.is_(None))
    return (shown if book_id is None else shown.where(_ASKED.book_id == book_id)).exists()


# Built once: the statement is the same for every request but its LIMIT and scope.
_ANSWERS_SHOWN = _answer_shown(None)
_ANSWERS = (
    select(
        Answer.id,
        Answer.question_id,
        Answer.accepted,
        Answer.body,
        Answer.created_at,
        Question.title,
        Member.name,
    )
    .join(Question, Question.id == Answer.question_id)
    .join(Member, Member.id == Answer.author_id)
    .where(Answer.deleted_at.is_(None), Answer.hidden_at.is_(None))
)


def _answers(book_id: int | None, member_id: int | None, limit: int) -> list[Activity]:
    """The newest visible answers on visible questions. The question's visibility (and
    book) is an EXISTS, so the walk down ix_answers_created_at stops after `limit` rows
    instead of first filtering every question."""
    shown = _ANSWERS_SHOWN if book_id is None else _answer_shown(book_id)
    query = _scoped(_ANSWERS.where(shown), None, Answer.author_id, book_id, member_id)
    rows = db.session.execute(query.order_by(Answer.created_at.desc()).limit(limit))
    return [
        Activity(
            "answer",
            f"{'채택된 답변' if accepted else '답변'}: {question}",
            f"/questions/{question_id}#answer-{id_}",
            name,
            when,
            body,
        )
        for id_, question_id, accepted, body, when, question, name in rows
    ]


def _ratings(book_id: int | None, member_id: int | None, limit: int) -> list[Activity]:
    """The newest scores given."""
    query = (
        select(
            RatingEvent.score, RatingEvent.created_at, Chapter.number, Chapter.book_id, Member.name
        )
        .join(Chapter, Chapter.id == RatingEvent.chapter_id)
        .join(Member, Member.id == RatingEvent.member_id)
    )
    query = _scoped(query, Chapter.book_id, RatingEvent.member_id, book_id, member_id)
    rows = db.session.execute(query.order_by(RatingEvent.created_at.desc()).limit(limit))
    return [
        Activity(
            "rating",
            f"이해도: {number}장 {score:g}점",
            f"/books/{book}/chapters/{number}",
            name,
            when,
            f"{name}님이 {number}장에 {score:g}점을 주었습니다",
        )
        for score, when, number, book, name in rows
    ]


def activity(
    book_id: int | None = None, member_id: int | None = None, limit: int = LIMIT
) -> list[Activity]:
    """Recent notes (new or changed), questions, answers (accepted ones marked) and ratings,
    newest first (four queries of at most `limit` rows, each an index walk)."""
    items = [
        *_notes(book_id, member_id, limit),
        *_questions(book_id, member_id, limit),
        *_answers(book_id, member_id, limit),
        *_ratings(book_id, member_id, limit),
    ]
    return sorted(items, key=lambda item: item.when, reverse=True)[:limit]
