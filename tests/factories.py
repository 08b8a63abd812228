"""The one set of test factories: members, books, notes and threads written straight to the
database (flushed, not committed), so a test states only what it is about."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from app.extensions import db
from app.models import Answer, Book, Chapter, Member, Note, NoteChapter, Question, Rating, Vote

QUICK_HASH = "not-a-real-hash"  # a login the `login` fixture signs in; no password matches it


@functools.cache
def password_hash(password: str) -> str:
    """One cheap scrypt hash per password for the whole run (hashing is slow on purpose)."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method="scrypt:1024:8:1")


def member(
    name: str,
    *,
    role: str = "member",
    login: bool = True,
    password: str | None = None,
    username: str | None = None,
) -> Member:
    """A member; with a login (username = name unless told) unless `login=False`, as an
    import makes."""
    found = Member(name=name, role=role)
    if login:
        found.username = username or name
        found.password_hash = password_hash(password) if password else QUICK_HASH
    db.session.add(found)
    db.session.flush()
    return found


def book(
    title: str = "가상 면접 사례로 배우는 대규모 시스템 설계",
    chapters: Iterable[int] = (1, 2, 3),
    chapter_titles: Mapping[int, str] | None = None,
) -> Book:
    """A book with numbered chapters titled '<n>장 제목' unless told."""
    titles = chapter_titles or {}
    found = Book(title=title)
    found.chapters = [Chapter(number=n, title=titles.get(n, f"{n}장 제목")) for n in chapters]
    db.session.add(found)
    db.session.flush()
    return found


def chapter(of: Book, number: int) -> Chapter:
    """The book's chapter with that number."""
    return next(row for row in of.chapters if row.number == number)


def note(
    of: Book,
    by: Member,
    chapters: Iterable[int] | Mapping[int, int | None] = (1,),
    *,
    flush: bool = True,
    **fields: object,
) -> Note:
    """A note of `by` on chapters of `of`; a mapping gives each chapter its minutes. Other
    columns (title, source, html, parsed, …) come from `fields`; `flush=False` leaves it
    pending in the session, as a service sees a note it is still building."""
    minutes = dict(chapters) if isinstance(chapters, Mapping) else dict.fromkeys(chapters)
    label = "-".join(map(str, minutes))
    values: dict[str, object] = {
        "source_key": f"{by.name}/[{label}장].md",
        "title": f"[{label}장] {by.name}의 노트",
        "source": "",
        "content_hash": f"{by.name}-{label}",
        "html": "",
    }
    values.update(fields)
    found = Note(book_id=of.id, member_id=by.id, **values)
    found.note_chapters = [
        NoteChapter(chapter=chapter(of, number), position=position, minutes=spent)
        for position, (number, spent) in enumerate(minutes.items())
    ]
    db.session.add(found)
    if flush:
        db.session.flush()
    return found


def thread(
    of: Book,
    asker: Member,
    title: str = "CAP 정리가 뭔가요?",
    chapter_number: int | None = 1,
    *,
    voters: Iterable[Member] = (),
    **fields: object,
) -> Question:
    """A question row (no service, no notifications) with "나도 궁금해요" votes from voters."""
    voting = list(voters)
    found = Question(
        book_id=of.id,
        chapter_number=chapter_number,
        asker_id=asker.id,
        title=title,
        votes_count=len(voting),
        **fields,
    )
    db.session.add(found)
    db.session.flush()
    db.session.add_all(Vote(question_id=found.id, member_id=voter.id) for voter in voting)
    db.session.flush()
    return found


def answer(
    to: Question,
    author: Member,
    body: str = "일관성과 가용성 중 하나를 고릅니다.",
    **fields: object,
) -> Answer:
    """An answer row on `to` (no service, no notifications); its HTML is the body unless told."""
    values: dict[str, object] = {"body_html": body}
    values.update(fields)
    found = Answer(question_id=to.id, author_id=author.id, body=body, **values)
    db.session.add(found)
    db.session.flush()
    return found


def rating(
    by: Member, of: Chapter, score: float, *, note: Note | None = None, source: str | None = None
) -> Rating:
    """A member's current score of a chapter: from `note` when one is given, else from the
    web (unless `source` says otherwise)."""
    found = Rating(
        member_id=by.id,
        chapter_id=of.id,
        score=score,
        source=source or ("note" if note is not None else "web"),
        note_id=note.id if note is not None else None,
    )
    db.session.add(found)
    db.session.flush()
    return found
