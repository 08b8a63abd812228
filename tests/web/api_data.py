"""Data the API tests read: two members, a book with two chapters and one note."""

from __future__ import annotations

from dataclasses import dataclass

from app.extensions import db
from app.models import Book, Member, Note
from tests import factories


@dataclass
class ApiData:
    """The ids of what `seed_api_data` made."""

    asker: Member
    answerer: Member
    book: Book
    note: Note


def member(name: str) -> Member:
    """A member with a login (password "pw"), or the one already there."""
    found = db.session.query(Member).filter_by(name=name).one_or_none()
    return found or factories.member(name, password="pw")


def seed_api_data() -> ApiData:
    """Members 지민 and 서준, the book 분산 시스템 (chapters 1–2) and 지민's chapter-1 note."""
    asker, answerer = member("지민"), member("서준")
    book = factories.book("분산 시스템", (1, 2), {1: "규모 확장", 2: "개략적 규모 추정"})
    note = factories.note(
        book,
        asker,
        {1: 90},
        source_key="지민/1장.md",
        title="1장 노트",
        source="## 캐시\n내용",
        content_hash="0" * 64,
        html="<h2 id='캐시'>캐시</h2><p>내용</p>",
        toc_html="<ul><li><a href='#캐시'>캐시</a></li></ul>",
        reading_minutes=90,
        warnings=["경고 하나"],
        parsed={"chapter_minutes": {"1": 90}, "scores": {"1": 3.0}, "difficulties": "캐시"},
    )
    db.session.commit()
    return ApiData(asker=asker, answerer=answerer, book=book, note=note)
