"""Reads for the feeds: the newest notes, questions and answers of a scope."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import QUESTION_VISIBLE, Answer, Note, Question

LIMIT = 50


def _scoped(query, model, book_id: int | None, member_id: int | None, owner):
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
