"""CSV exports of a book's ratings and reading times (UTF-8 with BOM, for Excel)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import select

from app.books import book_chapters
from app.extensions import db
from app.models import Book, Chapter, Member
from app.ratings.dashboard import SOURCE_LABELS, book_notes, book_ratings

BOM = "\ufeff"
_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvFile:
    """A finished CSV download: its (Korean) file name, an ASCII stand-in, and its text
    (the view sends the two names with `content_disposition`)."""

    filename: str
    ascii_filename: str
    text: str


def content_disposition(filename: str, fallback: str = "") -> str:
    """`attachment; filename="…"; filename*=UTF-8''…` safe for Korean file names.

    Old clients read `filename` (ASCII: the given fallback, else the ASCII part of the
    name, else "studyhall.csv"); current ones read the percent-encoded UTF-8 `filename*`."""
    cleaned = _UNSAFE_FILENAME.sub("_", filename).strip() or "export.csv"
    if not fallback:
        stem = cleaned.removesuffix(".csv").encode("ascii", "ignore").decode()
        fallback = f"{stem.strip(' ._-') or 'studyhall'}.csv"
    fallback = _UNSAFE_FILENAME.sub("_", fallback.encode("ascii", "ignore").decode())
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(cleaned, safe='')}"


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with a BOM, CRLF line ends and formula-safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return BOM + buffer.getvalue()


def _names(member_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(member_ids))
    if not ids:
        return {}
    return dict(db.session.execute(select(Member.id, Member.name).where(Member.id.in_(ids))).all())


def ratings_csv(book_id: int) -> CsvFile | None:
    """Every current rating of the book: chapter, member, score, source, time (4 queries)."""
    book = db.session.get(Book, book_id)
    if book is None:
        return None
    chapters = {chapter.id: chapter for chapter in book_chapters(book_id)}
    ratings = book_ratings(book_id)
    names = _names(r.member_id for r in ratings)
    rows = sorted(
        (
            chapters[r.chapter_id].number,
            chapters[r.chapter_id].title,
            names.get(r.member_id, ""),
            r.score,
            SOURCE_LABELS.get(r.source, r.source),
            r.updated_at.strftime("%Y-%m-%d %H:%M") if r.updated_at else "",
        )
        for r in ratings
    )
    header = ["장", "장 제목", "회원", "이해도(5점 만점)", "출처", "갱신 시각(UTC)"]
    return CsvFile(
        f"{book.title} 이해도.csv", f"book-{book.id}-ratings.csv", csv_text(header, rows)
    )


def reading_times_csv(book_id: int) -> CsvFile | None:
    """Reading minutes per member and chapter; a note's total that no chapter line splits
    up is one row naming all its chapters (4 queries)."""
    book = db.session.get(Book, book_id)
    if book is None:
        return None
    chapters: dict[int, Chapter] = {chapter.id: chapter for chapter in book_chapters(book_id)}
    notes = book_notes(book_id)
    names = _names(note.member_id for note in notes)
    rows = []
    for note in notes:
        numbers = [chapters[cid].number for cid in note.chapter_minutes if cid in chapters]
        for chapter_id in note.chapter_minutes:
            minutes = note.minutes_for(chapter_id)
            if minutes is not None and chapter_id in chapters:
                rows.append(
                    (
                        names.get(note.member_id, ""),
                        str(chapters[chapter_id].number),
                        minutes,
                        note.title,
                    )
                )
        unsplit = note.unsplit_minutes
        if unsplit is None and not note.chapter_minutes and note.reading_minutes is not None:
            unsplit = note.reading_minutes
        if unsplit is not None:
            rows.append(
                (names.get(note.member_id, ""), ", ".join(map(str, numbers)), unsplit, note.title)
            )
    rows.sort(key=lambda row: (row[0], [int(n) for n in row[1].split(", ") if n], row[3]))
    header = ["회원", "장", "독서 시간(분)", "노트"]
    return CsvFile(
        f"{book.title} 독서 시간.csv", f"book-{book.id}-reading-times.csv", csv_text(header, rows)
    )
