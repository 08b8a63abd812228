"""Reads for the feeds: the newest notes, questions and answers of a scope."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, literal, select
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
    owner: InstrumentedAttribute[int],
    scope: tuple[bool, bool],
    newest: InstrumentedAttribute[datetime],
) -> _Select:
    """The query for one book and/or one member (bound parameters), newest first."""
    by_book, by_member = scope
    if book is not None and by_book:
        query = query.where(book == bindparam("book_id"))
    if by_member:
        query = query.where(owner == bindparam("member_id"))
    return query.order_by(newest.desc()).limit(bindparam("limit"))


# Each statement is built once per scope (site, book, member): building and keying it
# cost more than running it.
@cache
def _notes_query(by_book: bool, by_member: bool) -> Select[int, str, datetime, int, str]:
    query = (
        select(Note.id, Note.title, Note.updated_at, Note.version_count, Member.name)
        .join(Member, Member.id == Note.member_id)
        .where(Note.deleted_at.is_(None))
    )
    return _scoped(query, Note.book_id, Note.member_id, (by_book, by_member), Note.updated_at)


@cache
def _questions_query(by_book: bool, by_member: bool) -> Select[int, str, str, datetime, str]:
    query = (
        select(Question.id, Question.title, Question.body, Question.created_at, Member.name)
        .join(Member, Member.id == Question.asker_id)
        .where(QUESTION_VISIBLE)
    )
    return _scoped(
        query, Question.book_id, Question.asker_id, (by_book, by_member), Question.created_at
    )


_ASKED = aliased(Question)  # the question whose visibility (and book) an answer needs


@cache
def _answers_query(
    by_book: bool, by_member: bool
) -> Select[int, int, bool, str, datetime, str, str]:
    """The question's visibility (and book) is an EXISTS, so the walk down
    ix_answers_created_at stops after `limit` rows instead of first filtering every
    question."""
    shown = select(literal(1)).where(_ASKED.id == Answer.question_id)
    shown = shown.where(_ASKED.deleted_at.is_(None), _ASKED.hidden_at.is_(None))
    if by_book:
        shown = shown.where(_ASKED.book_id == bindparam("book_id"))
    query = (
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
        .where(Answer.deleted_at.is_(None), Answer.hidden_at.is_(None), shown.exists())
    )
    return _scoped(query, None, Answer.author_id, (by_book, by_member), Answer.created_at)


@cache
def _ratings_query(by_book: bool, by_member: bool) -> Select[float, datetime, int, int, str]:
    query = (
        select(
            RatingEvent.score, RatingEvent.created_at, Chapter.number, Chapter.book_id, Member.name
        )
        .join(Chapter, Chapter.id == RatingEvent.chapter_id)
        .join(Member, Member.id == RatingEvent.member_id)
    )
    return _scoped(
        query, Chapter.book_id, RatingEvent.member_id, (by_book, by_member), RatingEvent.created_at
    )


def _notes(scope: tuple[bool, bool], params: dict[str, int | None]) -> list[Activity]:
    """The newest notes (by last change) that are not deleted: the columns shown only."""
    return [
        Activity(
            "note",
            f"노트: {title}",
            f"/notes/{id_}",
            name,
            when,
            f"{name}님의 노트" + (" (고침)" if versions > 1 else ""),
        )
        for id_, title, when, versions, name in db.session.execute(_notes_query(*scope), params)
    ]


def _questions(scope: tuple[bool, bool], params: dict[str, int | None]) -> list[Activity]:
    """The newest visible questions."""
    rows = db.session.execute(_questions_query(*scope), params)
    return [
        Activity("question", f"질문: {title}", f"/questions/{id_}", name, when, body or title)
        for id_, title, body, when, name in rows
    ]


def _answers(scope: tuple[bool, bool], params: dict[str, int | None]) -> list[Activity]:
    """The newest visible answers on visible questions."""
    rows = db.session.execute(_answers_query(*scope), params)
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


def _ratings(scope: tuple[bool, bool], params: dict[str, int | None]) -> list[Activity]:
    """The newest scores given."""
    rows = db.session.execute(_ratings_query(*scope), params)
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
    scope = (book_id is not None, member_id is not None)
    params = {"book_id": book_id, "member_id": member_id, "limit": limit}
    items = [
        *_notes(scope, params),
        *_questions(scope, params),
        *_answers(scope, params),
        *_ratings(scope, params),
    ]
    return sorted(items, key=lambda item: item.when, reverse=True)[:limit]
