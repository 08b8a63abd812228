"""Import a folder of notes: each note in its own transaction, idempotent, with a report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import select

from app.books import get_or_create_book
from app.extensions import db
from app.faults import storage_fault
from app.models import Book, Note, utcnow
from app.notes.parse import NoteReadError, parse_note
from app.notes.services import (
    MAX_IMAGE_BYTES,
    content_hash,
    get_or_create_member,
    redate_saved_note,
    save_note,
)
from app.notes.walk import NoteFile, read_note_file, walk_notes


@dataclass
class ImportReport:
    """What an import did, file by file."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, list[str]]] = field(default_factory=list)
    # Set when storage refused writes (disk full, read-only): the import stopped there.
    fatal: str | None = None

    @property
    def total(self) -> int:
        """How many files were looked at."""
        return len(self.new) + len(self.updated) + len(self.unchanged) + len(self.skipped)


def import_path(
    root: Path,
    *,
    book: str | None = None,
    member: str | None = None,
    max_bytes: int,
    progress: Callable[[Iterable[NoteFile]], Iterable[NoteFile]] = lambda files: files,
) -> ImportReport:
    """Import every note under `root` (a folder or a single file) and report what happened."""
    root = Path(root)
    files = list(walk_notes(root))
    report = ImportReport()
    known = _known_hashes()
    top = root.resolve() if root.is_dir() else root.parent.resolve()
    for note_file in progress(files):
        name = str(note_file.relative)
        if note_file.not_markdown:
            report.skipped.append((name, "Markdown 파일이 아닙니다"))
            continue
        if not note_file.path.resolve().is_relative_to(top):
            report.skipped.append((name, "가져오는 폴더 밖을 가리키는 링크입니다"))
            continue
        try:
            # save_note flushes when it needs ids; the queries between need no autoflush,
            # and each flush re-indexes the note for search.
            with db.session.no_autoflush:
                _import_one(note_file, book, member, max_bytes, known, report)
        except NoteReadError as error:
            db.session.rollback()
            report.skipped.append((name, error.reason))
        except Exception as error:  # one bad note must not stop the others
            db.session.rollback()
            if fault := storage_fault(error):  # ...but a full disk stops them all
                report.fatal = f"{name}에서 멈췄습니다: {fault}"
                break
            report.skipped.append((name, f"가져오는 중 오류: {error}"))
    return report


def _known_hashes() -> dict[tuple[str, str], str]:
    """(book title, source key) → content hash of every imported note, in one query."""
    rows = db.session.execute(
        select(Book.title, Note.source_key, Note.content_hash).join(Book, Note.book_id == Book.id)
    )
    return {(title, key): digest for title, key, digest in rows}


def book_and_key(relative: PurePosixPath, book: str | None) -> tuple[str | None, str]:
    """The book a path belongs to and the note's key inside that book."""
    if book is not None or len(relative.parts) < 2:
        return book, str(relative)
    return relative.parts[0], str(PurePosixPath(*relative.parts[1:]))


def _import_one(
    note_file: NoteFile,
    book_name: str | None,
    member_name: str | None,
    max_bytes: int,
    known: dict[tuple[str, str], str],
    report: ImportReport,
) -> None:
    name = str(note_file.relative)
    text = read_note_file(note_file.path, max_bytes)
    path_book, key = book_and_key(note_file.relative, book_name)
    if path_book is not None and known.get((path_book, key)) == content_hash(text):
        report.unchanged.append(name)
        return

    parsed = parse_note(text, note_file.relative, book=book_name, member=member_name)
    if parsed.skip_reason:
        report.skipped.append((name, parsed.skip_reason))
        return
    if not parsed.book:
        report.skipped.append((name, "책을 알 수 없습니다 (--book 으로 지정하세요)"))
        return
    if not parsed.member:
        report.skipped.append((name, "작성자를 알 수 없습니다 (--member 로 지정하세요)"))
        return

    folder = note_file.path.parent

    def read_image(path: str) -> bytes | None:
        image = (folder / path).resolve()
        top = note_file.root.resolve()
        if not image.is_relative_to(top) or not image.is_file():
            return None
        if image.stat().st_size > MAX_IMAGE_BYTES:
            return None
        return image.read_bytes()

    started = utcnow()
    # Dated by the file's modification time, not the import.
    written = datetime.fromtimestamp(note_file.path.stat().st_mtime, UTC).replace(tzinfo=None)
    # A new book or member is committed first, on its own: the note's slow work (rendering,
    # matching its questions) then runs before its transaction takes the write lock.
    book, member = get_or_create_book(parsed.book), get_or_create_member(parsed.member)
    db.session.commit()
    result = save_note(
        book=book,
        member=member,
        source_key=key,
        text=text,
        parsed=parsed,
        read_image=read_image,
        written_at=written,
    )
    if result.status != "unchanged":  # the scores it made, too
        redate_saved_note(result.note, written, started, new=result.status == "new")
    db.session.commit()
    getattr(report, result.status).append(name)
    if result.note.warnings and result.status != "unchanged":
        report.warnings.append((name, list(result.note.warnings)))
