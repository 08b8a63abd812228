"""A note's slow, pure work before it is saved: read, parse and render it, in a worker
process beside the importer's writes when there are many. Pure: no Flask, no database."""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import deque
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from pathlib import PurePosixPath

from app.notes.parse import NoteReadError, ParsedNote, parse_note
from app.notes.walk import NoteFile, read_note_file
from app.text.files import IMAGE_TYPES
from app.text.markdown import Rendered, render_markdown

# From this many files on, a worker process prepares notes while the importer writes.
PARALLEL_FROM = 200
# Notes prepared ahead of the one being saved (bounded: the rendered HTML waits in memory).
AHEAD = 64


@dataclass(frozen=True)
class Task:
    """What preparing one file needs: the file, the import's options, and the content hash
    already imported under its key (None when new)."""

    note_file: NoteFile
    max_bytes: int
    book: str | None
    member: str | None
    known_hash: str | None


@dataclass(frozen=True)
class Prepared:
    """A file read, parsed and rendered; `rendered` is None when the note links images
    (they are stored while it renders, in the importer), `error` a NoteReadError's reason."""

    text: str = ""
    parsed: ParsedNote | None = None
    rendered: Rendered | None = None
    unchanged: bool = False
    error: str | None = None


def content_hash(text: str) -> str:
    """The SHA-256 of a note's decoded text: how an unchanged note is recognised."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare(task: Task) -> Prepared:
    """Read, parse and render one note file (nothing is written)."""
    try:
        text = read_note_file(task.note_file.path, task.max_bytes)
    except NoteReadError as error:
        return Prepared(error=error.reason)
    if task.known_hash is not None and task.known_hash == content_hash(text):
        return Prepared(unchanged=True)
    relative = task.note_file.relative
    parsed = parse_note(text, relative, book=task.book, member=task.member)
    if parsed.skip_reason or not parsed.book or not parsed.member:
        return Prepared(text, parsed)
    images: list[str] = []

    def image_url(path: str) -> str | None:
        if PurePosixPath(path).suffix.lower() in IMAGE_TYPES:
            images.append(path)
        return None

    rendered = render_markdown(parsed.body, image_url=image_url)
    return Prepared(text, parsed, None if images else rendered)


def prepared(
    tasks: Iterable[Task | NoteFile], count: int
) -> Generator[tuple[NoteFile, Prepared], None, None]:
    """Each task's file and its preparation, in order: by a worker process, AHEAD at most,
    when there are `count` >= PARALLEL_FROM files, else one by one here. A NoteFile
    (refused before it is read) passes through with an empty Prepared."""
    if count < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        for task in tasks:
            yield _file(task), prepare(task) if isinstance(task, Task) else Prepared()
        return
    with multiprocessing.get_context("fork").Pool(1) as pool:
        waiting: deque[tuple[NoteFile, AsyncResult[Prepared] | None]] = deque()
        for task in tasks:
            job = pool.apply_async(prepare, (task,)) if isinstance(task, Task) else None
            waiting.append((_file(task), job))
            if len(waiting) > AHEAD:
                yield _next(waiting)
        while waiting:
            yield _next(waiting)


def _file(task: Task | NoteFile) -> NoteFile:
    return task.note_file if isinstance(task, Task) else task


def _next(
    waiting: deque[tuple[NoteFile, AsyncResult[Prepared] | None]],
) -> tuple[NoteFile, Prepared]:
    note_file, job = waiting.popleft()
    return note_file, job.get() if job is not None else Prepared()
