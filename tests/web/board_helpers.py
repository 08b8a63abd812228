"""Rows the board's web tests build on (committed): a book with chapters, a note, a thread."""

from app.board import services
from app.extensions import db
from app.models import Book, Member, Note, Question
from tests import factories


def make_book(
    title: str = "가상 면접 사례로 배우는 대규모 시스템 설계", chapters=(1, 2, 3)
) -> Book:
    """A book with numbered chapters."""
    book = factories.book(title, chapters)
    db.session.commit()
    return book


def quick_member(name: str, role: str = "member") -> Member:
    """A member who may sign in (through the `login` fixture), without the slow password hash."""
    member = factories.member(name, role=role)
    db.session.commit()
    return member


def make_note(book: Book, member: Member, chapter: int = 1, key: str = "note.md") -> Note:
    """A bare note of `member` on `chapter` of `book` (no questions yet)."""
    return factories.note(
        book, member, (chapter,), source_key=key, title=f"{chapter}장 노트", content_hash="x"
    )


def ask(
    member: Member,
    book: Book,
    title: str = "CAP 정리가 뭔가요?",
    chapter: int | None = 1,
    body: str = "**일관성**과 가용성",
) -> Question:
    """A thread asked on the web by `member`."""
    return services.ask_question(
        member, book_id=book.id, chapter_number=chapter, title=title, body=body
    )
