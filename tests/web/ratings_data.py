"""Builders of books, notes, ratings and questions for the ratings tests (no importer)."""

from __future__ import annotations

from app.extensions import db
from app.models import Book, Chapter, Member, Note, NoteChapter, Question, Rating, Vote


def add_book(title: str = "가상면접 사례로 배우는 대규모 설계2", chapters: int = 3) -> Book:
    """A book with chapters 1..n titled '<n>장 제목'."""
    book = Book(title=title)
    db.session.add(book)
    db.session.flush()
    for number in range(1, chapters + 1):
        db.session.add(Chapter(book_id=book.id, number=number, title=f"{number}장 제목"))
    db.session.flush()
    return book


def chapter(book: Book, number: int) -> Chapter:
    """The book's chapter with that number."""
    return db.session.query(Chapter).filter_by(book_id=book.id, number=number).one()


def add_member(name: str) -> Member:
    """A member without a login (as an import creates them)."""
    member = Member(name=name)
    db.session.add(member)
    db.session.flush()
    return member


def _note(book: Book, member: Member, numbers: list[int], total: int | None, difficulties: str):
    label = "-".join(map(str, numbers))
    return Note(
        book_id=book.id,
        member_id=member.id,
        source_key=f"{member.name}/[{label}장].md",
        title=f"[{label}장] {member.name}의 노트",
        source="# 노트",
        content_hash=f"{member.name}-{label}",
        html="<h1>노트</h1>",
        reading_minutes=total,
        parsed={"difficulties": difficulties},
    )


def add_note(
    book: Book,
    member: Member,
    minutes_by_chapter: dict[int, int | None],
    *,
    total: int | None = None,
    difficulties: str = "",
) -> Note:
    """A note covering the given chapters, with per-chapter minutes and a total."""
    note = _note(book, member, list(minutes_by_chapter), total, difficulties)
    db.session.add(note)
    db.session.flush()
    for position, (number, minutes) in enumerate(minutes_by_chapter.items()):
        db.session.add(
            NoteChapter(
                note_id=note.id,
                chapter_id=chapter(book, number).id,
                position=position,
                minutes=minutes,
            )
        )
    db.session.flush()
    return note


def add_rating(member: Member, chapter_row: Chapter, score: float, note: Note | None = None):
    """A current rating (from the note when one is given, else from the web)."""
    db.session.add(
        Rating(
            member_id=member.id,
            chapter_id=chapter_row.id,
            score=score,
            source="note" if note else "web",
            note_id=note.id if note else None,
        )
    )
    db.session.flush()


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
    question = Question(
        book_id=book.id,
        chapter_number=number,
        asker_id=asker.id,
        title=title,
        state=state,
        votes_count=len(voters),
        **flags,
    )
    db.session.add(question)
    db.session.flush()
    for voter in voters:
        db.session.add(Vote(question_id=question.id, member_id=voter.id))
    db.session.flush()
    return question


def add_group(size: int, chapters: int = 4) -> Book:
    """A book where `size` members each wrote and scored every chapter, with questions."""
    book = add_book(f"큰 책 {size}", chapters)
    rows = {c.number: c for c in db.session.query(Chapter).filter_by(book_id=book.id)}
    members = [Member(name=f"{book.title} 회원{index:03d}") for index in range(size)]
    db.session.add_all(members)
    db.session.flush()
    for index, member in enumerate(members):
        for number, row in rows.items():
            note = _note(book, member, [number], 30 + index, "어려웠다")
            note.note_chapters.append(NoteChapter(chapter_id=row.id, minutes=30 + index))
            question = Question(
                book_id=book.id, chapter_number=number, asker_id=member.id, title="질문"
            )
            db.session.add_all([note, question])
            db.session.flush()
            db.session.add_all(
                [
                    Rating(
                        member_id=member.id,
                        chapter_id=row.id,
                        score=0.5 + (index + number) % 10 / 2,
                        source="note",
                        note_id=note.id,
                    ),
                    Vote(question_id=question.id, member_id=member.id),
                ]
            )
    db.session.commit()
    return book
