"""Import a folder of notes: batches of notes per transaction, each note in a savepoint of its
own, idempotent, with a report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TypeVar

from sqlalchemy import inspect, select

from app import search
from app.books import get_or_create_book
from app.extensions import db
from app.faults import storage_fault
from app.mail import outbox
from app.models import Book, Member, Note
from app.notes.parse import NoteReadError
from app.notes.prepare import Prepared, Task, prepared
from app.notes.services import (
    MAX_IMAGE_BYTES,
    get_or_create_member,
    save_note,
)
from app.notes.walk import NoteFile, walk_notes
from app.search.query import know_grams
from app.search.text import know_text


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


# Notes per transaction: each in a savepoint of its own (one bad note loses only itself), the
# search index brought in line once per batch. A batch also ends after BATCH_SECONDS, so
# that the write lock (SQLite) is never held long while others write.
BATCH_NOTES = 200
BATCH_SECONDS = 1.0


@dataclass
class _Job:
    """What every note of one import shares: options, the hashes already imported, and the
    books and members of the current batch (by name)."""

    book: str | None
    member: str | None
    max_bytes: int
    top: Path
    known: dict[tuple[str, str], str]
    books: dict[str, Book] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)


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
    top = root.resolve() if root.is_dir() else root.parent.resolve()
    job = _Job(book, member, max_bytes, top, _known_hashes())
    stream = prepared(_tasks(progress(files), job), len(files))
    try:
        while report.fatal is None:
            taken, failed = _import_batch(stream, job, report, BATCH_NOTES)
            if failed:  # again one note per transaction: what can be saved is, as it was
                for item in taken:
                    _import_batch(iter([item]), job, report, 1)
                    if report.fatal is not None:
                        break
            if not taken:
                break
    finally:
        stream.close()  # stops the worker process, if any
    return report


def _tasks(files: Iterable[NoteFile], job: _Job) -> Iterator[Task]:
    """What to prepare of each file (the worker refuses some unread: see prepare)."""
    for note_file in files:
        path_book, key = book_and_key(note_file.relative, job.book)
        known = job.known.get((path_book, key)) if path_book is not None else None
        yield Task(note_file, job.max_bytes, job.book, job.member, known, job.top)


_Item = tuple[NoteFile, Prepared]


def _import_batch(
    files: Iterator[_Item], job: _Job, report: ImportReport, limit: int
) -> tuple[list[_Item], bool]:
    """Import up to `limit` notes from `files` in one transaction and commit; add what it did
    to `report`. Returns the files taken and whether the batch failed (nothing of it saved;
    a batch of one then reports its error itself)."""
    done, taken = ImportReport(), list[_Item]()
    deadline = time.monotonic() + BATCH_SECONDS
    job.books.clear()
    job.members.clear()
    try:
        _begin()
        with search.deferred(db.session()), outbox.cached_lookups():
            for item in files:
                taken.append(item)
                _import_in_savepoint(*item, job, done)
                if done.fatal or len(taken) >= limit or time.monotonic() > deadline:
                    break
            if done.fatal:
                raise _Stopped
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        if limit > 1:
            return taken, True
        if not isinstance(error, _Stopped):
            done = _failed_alone(taken, error)
    _merge(report, done)
    return taken, False


class _Stopped(Exception):
    """A note met a storage error: its batch is rolled back (and done again note by note)."""


def _failed_alone(taken: list[_Item], error: Exception) -> ImportReport:
    """What a batch of one note that failed at its commit reports."""
    name = str(taken[0][0].relative) if taken else "?"
    done = ImportReport()
    if fault := storage_fault(error):
        done.fatal = f"{name}에서 멈췄습니다: {fault}"
    else:
        done.skipped.append((name, f"가져오는 중 오류: {error}"))
    return done


def _merge(report: ImportReport, done: ImportReport) -> None:
    for name in ("new", "updated", "unchanged", "skipped", "warnings"):
        getattr(report, name).extend(getattr(done, name))
    report.fatal = report.fatal or done.fatal


def _begin() -> None:
    """Open the batch's transaction now: pysqlite begins one only before a write, so a first
    SAVEPOINT would open one of its own, and its release commit it. IMMEDIATE: the batch
    writes, and a read snapshot could not become a write one if another writer went first."""
    conn = db.session.connection()
    dbapi_connection = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite" and not getattr(dbapi_connection, "in_transaction", True):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _import_in_savepoint(
    note_file: NoteFile, ready: Prepared, job: _Job, done: ImportReport
) -> None:
    """Import one file in a savepoint; a failure undoes this note only (a storage error
    sets `done.fatal`: the import stops)."""
    name = str(note_file.relative)
    try:
        # save_note flushes when it needs ids; the queries between need no autoflush.
        with db.session.begin_nested(), db.session.no_autoflush:
            _import_one(note_file, ready, job, done)
    except NoteReadError as error:
        done.skipped.append((name, error.reason))
    except Exception as error:  # one bad note must not stop the others
        if fault := _storage_fault(error):  # ...but a full disk stops them all
            done.fatal = f"{name}에서 멈췄습니다: {fault}"
            return
        if not _in_transaction():  # the database undid the whole batch: do it again
            raise
        done.skipped.append((name, f"가져오는 중 오류: {error}"))


def _storage_fault(error: BaseException) -> str | None:
    """A storage error, also when it surfaced as the failure to roll back its savepoint
    (SQLite rolls the whole transaction back when the disk is full)."""
    seen: BaseException | None = error
    while seen is not None:
        if fault := storage_fault(seen):
            return fault
        seen = seen.__cause__ or seen.__context__
    return None


def _in_transaction() -> bool:
    """False when the session cannot go on, or SQLite rolled the transaction back itself."""
    try:
        conn = db.session.connection()
    except Exception:
        return False
    return conn.dialect.name != "sqlite" or bool(
        getattr(conn.connection.dbapi_connection, "in_transaction", True)
    )


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


def _import_one(note_file: NoteFile, ready: Prepared, job: _Job, report: ImportReport) -> None:
    name = str(note_file.relative)
    if ready.error is not None:
        raise NoteReadError(ready.error)
    if ready.unchanged:
        report.unchanged.append(name)
        return
    parsed, key = ready.parsed, book_and_key(note_file.relative, job.book)[1]
    if parsed is None:
        raise RuntimeError("not prepared")
    if parsed.skip_reason:
        report.skipped.append((name, parsed.skip_reason))
        return
    if not parsed.book:
        report.skipped.append((name, "책을 알 수 없습니다 (--book 으로 지정하세요)"))
        return
    if not parsed.member:
        report.skipped.append((name, "작성자를 알 수 없습니다 (--member 로 지정하세요)"))
        return

    if ready.rendered is not None and ready.body_text is not None:  # for the search index
        know_text(ready.rendered.html, ready.body_text)
    for searched, grams in ready.grams:
        know_grams(searched, grams)
    # Dated by the file's modification time, not the import: the note, its version, its
    # new threads and its scores (save_note dates them all).
    written = datetime.fromtimestamp(ready.mtime, UTC).replace(tzinfo=None)
    result = save_note(
        book=_cached(job.books, parsed.book, get_or_create_book),
        member=_cached(job.members, parsed.member, get_or_create_member),
        source_key=key,
        text=ready.text,
        parsed=parsed,
        read_image=_image_reader(note_file),
        written_at=written,
        rendered=ready.rendered,
        question_bodies=ready.questions,
    )
    getattr(report, result.status).append(name)
    if result.note.warnings and result.status != "unchanged":
        report.warnings.append((name, list(result.note.warnings)))


Row = TypeVar("Row", Book, Member)


def _cached(rows: dict[str, Row], name: str, get_or_create: Callable[[str], Row]) -> Row:
    """The book or member of this name, looked up once per batch (again when the savepoint
    that created it was rolled back)."""
    row = rows.get(name)
    if row is None or not inspect(row).persistent:
        row = rows[name] = get_or_create(name)
    return row


def _image_reader(note_file: NoteFile) -> Callable[[str], bytes | None]:
    """Read an image beside the note (never outside the imported folder)."""
    folder = note_file.path.parent

    def read_image(path: str) -> bytes | None:
        image = (folder / path).resolve()
        top = note_file.root.resolve()
        if not image.is_relative_to(top) or not image.is_file():
            return None
        if image.stat().st_size > MAX_IMAGE_BYTES:
            return None
        return image.read_bytes()

    return read_image
