"""Writes to the reading schedule: add, change and remove meetings (admins only)."""

from datetime import date

from sqlalchemy import select

from app.auth.permissions import ensure_admin
from app.errors import Invalid, get_or_404
from app.extensions import db
from app.models import Book, Chapter, Meeting, Member


def parse_chapters(text: str) -> list[int]:
    """ "5,6" or "5, 6" → [5, 6]; raises Invalid on anything else."""
    try:
        numbers = sorted({int(part) for part in text.replace(" ", "").split(",") if part})
    except ValueError:
        raise Invalid("장 번호는 쉼표로 구분한 숫자로 적어 주세요 (예: 5,6).", "chapters") from None
    if not numbers:
        raise Invalid("모임에서 다룰 장을 하나 이상 적어 주세요.", "chapters")
    return numbers


def parse_date(text: str) -> date:
    """ "2026-12-07" → a date; raises Invalid otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid("날짜는 2026-12-07 형식으로 적어 주세요.", "date") from None


def set_meeting(actor: Member | None, book_id: int, day: date, chapters: list[int]) -> Meeting:
    """Add the book's meeting on `day`, or change its chapters when it exists."""
    ensure_admin(actor)
    get_or_404(Book, book_id, "책을 찾을 수 없습니다.")
    known = set(db.session.scalars(select(Chapter.number).where(Chapter.book_id == book_id)))
    if unknown := [n for n in chapters if n not in known]:
        raise Invalid(f"이 책에는 {', '.join(map(str, unknown))}장이 없습니다.", "chapters")
    meeting = db.session.scalar(
        select(Meeting).where(Meeting.book_id == book_id, Meeting.date == day)
    )
    if meeting is None:
        meeting = Meeting(book_id=book_id, date=day)
        db.session.add(meeting)
    meeting.chapters = ",".join(map(str, chapters))
    db.session.commit()
    return meeting


def remove_meeting(actor: Member | None, meeting_id: int) -> Meeting | None:
    """Remove a meeting; returns it, or None when there was none."""
    ensure_admin(actor)
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is not None:
        db.session.delete(meeting)
        db.session.commit()
    return meeting
