"""Books and their chapters, shared by every feature: get-or-create and the ordered list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db
from app.models import Book, Chapter

Row = TypeVar("Row")


def get_or_create(model: type[Row], column: InstrumentedAttribute[Any], value: str) -> Row:
    """The row whose unique `column` equals `value`, created (and flushed) when new."""
    row = db.session.execute(select(model).where(column == value)).scalar_one_or_none()
    if row is None:
        row = model(**{column.key: value})
        db.session.add(row)
        db.session.flush()
    return row


def get_or_create_book(title: str) -> Book:
    """The book with this title, created when new."""
    return get_or_create(Book, Book.title, title.strip())


def ensure_chapters(
    book_id: int, numbers: Iterable[int], titles: dict[int, str] | None = None
) -> dict[int, Chapter]:
    """The book's chapters with these numbers, created when missing (flushed, not
    committed); `titles` fill the titles still empty."""
    wanted = sorted(set(numbers))
    titles = titles or {}
    if not wanted:
        return {}
    found = {
        chapter.number: chapter
        for chapter in db.session.scalars(
            select(Chapter).where(Chapter.book_id == book_id, Chapter.number.in_(wanted))
        )
    }
    changed = False
    for number in wanted:
        chapter = found.get(number)
        if chapter is None:
            found[number] = Chapter(book_id=book_id, number=number, title=titles.get(number, ""))
            db.session.add(found[number])
            changed = True
        elif not chapter.title and titles.get(number):
            chapter.title = titles[number]
            changed = True
    if changed:
        db.session.flush()
    return found


def book_chapters(book_id: int) -> list[Chapter]:
    """A book's chapters in order (1 query)."""
    return list(
        db.session.scalars(
            select(Chapter).where(Chapter.book_id == book_id).order_by(Chapter.number)
        )
    )


def find_book(name_or_id: str) -> Book | None:
    """A book by its id or its exact title (for the command line)."""
    if name_or_id.isdigit() and (book := db.session.get(Book, int(name_or_id))):
        return book
    return db.session.scalar(select(Book).where(Book.title == name_or_id))
