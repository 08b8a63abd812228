"""Builders of books, notes, ratings and questions for the ratings tests (no importer)."""

from __future__ import annotations

from app.extensions import db
from app.models import Book, Chapter, Member, Note, Question
from tests import factories


def add_book(title: str = "가상면접 사례로 배우는 대규모 설계2", chapters: int = 3) -> Book:
    """A book with chapters 1..n titled '<n>장 제목'."""
    return factories.book(title, range(1, chapters + 1))


def chapter(book: Book, number: int) -> Chapter:
    """The book's chapter with that number."""
    return factories.chapter(book, number)


def add_member(name: str) -> Member:
    """A member without a login (as an import creates them)."""
    return factories.member(name, login=False)


def add_note(
    book: Book,
    member: Member,
    minutes_by_chapter: dict[int, int | None],
    *,
    total: int | None = None,
    difficulties: str = "",
) -> Note:
    """A note covering the given chapters, with per-chapter minutes and a total."""
    return factories.note(
        book,
        member,
        minutes_by_chapter,
        source="# 노트",
        html="<h1>노트</h1>",
        reading_minutes=total,
        parsed={"difficulties": difficulties},
    )


def add_rating(member: Member, chapter_row: Chapter, score: float, note: Note | None = None):
    """A current rating (from the note when one is given, else from the web)."""
    factories.rating(member, chapter_row, score, note=note)


def add_question(
    book: Book,
    number: int,
    asker: Member,
    title: str,
    *,
    state: str = "open",
    voters: tuple[Member, ...] = (),
    **flags,
) -> Question:
    """A question on a chapter with "나도 궁금해요" votes from the voters."""
    return factories.thread(book, asker, title, number, voters=voters, state=state, **flags)


def add_group(size: int, chapters: int = 4) -> Book:
    """A book where `size` members each wrote and scored every chapter, with questions."""
    book = add_book(f"큰 책 {size}", chapters)
    for index in range(size):
        member = add_member(f"{book.title} 회원{index:03d}")
        for row in book.chapters:
            note = add_note(
                book, member, {row.number: 30 + index}, total=30 + index, difficulties="어려웠다"
            )
            add_rating(member, row, 0.5 + (index + row.number) % 10 / 2, note)
            add_question(book, row.number, member, "질문", voters=(member,))
    db.session.commit()
    return book
