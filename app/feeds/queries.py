"""Reads for the feeds: the newest notes, questions and answers of a scope."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Row, Select, bindparam, literal, select
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
        select(Note.id, Note.title, Note.updated_at.label("when"), Note.version_count, Member.name)
        .join(Member, Member.id == Note.member_id)
        .where(Note.deleted_at.is_(None))
    )
    return _scoped(query, Note.book_id, Note.member_id, (by_book, by_member), Note.updated_at)


@cache
def _questions_query(by_book: bool, by_member: bool) -> Select[int, str, str, datetime, str]:
    query = (
        select(
            Question.id,
            Question.title,
            Question.body,
            Question.created_at.label("when"),
            Member.name,
        )
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
            Answer.created_at.label("when"),
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
            RatingEvent.score,
            RatingEvent.created_at.label("when"),
            Chapter.number,
            Chapter.book_id,
            Member.name,
        )
        .join(Chapter, Chapter.id == RatingEvent.chapter_id)
        .join(Member, Member.id == RatingEvent.member_id)
    )
    return _scoped(
        query, Chapter.book_id, RatingEvent.member_id, (by_book, by_member), RatingEvent.created_at
    )


def _note_words(row: Row[Any]) -> tuple[str, str, str]:
    edited = " (고침)" if row.version_count > 1 else ""
    return f"노트: {row.title}", f"/notes/{row.id}", f"{row.name}님의 노트{edited}"


def _question_words(row: Row[Any]) -> tuple[str, str, str]:
    return f"질문: {row.title}", f"/questions/{row.id}", row.body or row.title


def _answer_words(row: Row[Any]) -> tuple[str, str, str]:
    label = "채택된 답변" if row.accepted else "답변"
    path = f"/questions/{row.question_id}#answer-{row.id}"
    return f"{label}: {row.title}", path, row.body


def _rating_words(row: Row[Any]) -> tuple[str, str, str]:
    given = f"{row.number}장 {row.score:g}점"
    path = f"/books/{row.book_id}/chapters/{row.number}"
    return f"이해도: {given}", path, f"{row.name}님이 {row.number}장에 {row.score:g}점을 주었습니다"


# Each kind: its statement (per scope) and what a row of it says (title, path, text).
_Words = Callable[[Row[Any]], tuple[str, str, str]]
_KINDS: dict[str, tuple[Callable[..., Select[*tuple[Any, ...]]], _Words]] = {
    "note": (_notes_query, _note_words),
    "question": (_questions_query, _question_words),
    "answer": (_answers_query, _answer_words),
    "rating": (_ratings_query, _rating_words),
}


def activity(
    book_id: int | None = None, member_id: int | None = None, limit: int = LIMIT
) -> list[Activity]:
    """Recent notes (new or changed), questions, answers (accepted ones marked) and ratings,
    newest first (four queries of at most `limit` rows, each an index walk); only the rows
    shown become activities."""
    scope = (book_id is not None, member_id is not None)
    params = {"book_id": book_id, "member_id": member_id, "limit": limit}
    rows = [
        (kind, words, row)
        for kind, (query, words) in _KINDS.items()
        for row in db.session.execute(query(*scope), params)
    ]
    rows.sort(key=lambda found: found[2].when, reverse=True)  # stable: kinds in order on ties
    activities = []
    for kind, words, row in rows[:limit]:
        title, path, text = words(row)
        activities.append(Activity(kind, title, path, row.name, row.when, text))
    return activities
