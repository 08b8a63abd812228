"""A note's slow, pure work before it is saved: read, parse and render it, in a worker
process beside the importer's writes when there are many. Pure: no Flask, no database."""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import deque
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from pathlib import Path, PurePosixPath

from app.notes.parse import NoteReadError, ParsedNote, parse_note
from app.notes.walk import NoteFile, read_note_file
from app.search.query import bigram_text
from app.search.text import html_to_text, normalize_text
from app.text.files import IMAGE_TYPES
from app.text.markdown import Rendered, body_html, render_markdown

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
    top: Path  # the imported folder: a link out of it is refused


@dataclass(frozen=True)
class Prepared:
    """A file read, parsed and rendered; `rendered` is None when the note links images
    (they are stored while it renders, in the importer), `error` a NoteReadError's reason."""

    text: str = ""
    parsed: ParsedNote | None = None
    rendered: Rendered | None = None
    unchanged: bool = False
    error: str | None = None
    questions: tuple[QuestionBody, ...] | None = None
    body_text: str | None = None  # html_to_text of the rendered body (its search text)
    grams: tuple[tuple[str, str], ...] = ()  # search texts (normalized) and their bigram_text
    mtime: float = 0.0  # the file's modification time, when it was read


@dataclass(frozen=True)
class QuestionBody:
    """A question's body rendered ahead (HTML, as app.board renders it) and its search text."""

    html: str
    text: str


def question_body(body: str) -> QuestionBody:
    """Render a question's Markdown body and its plain text, as a new thread stores them."""
    html = body_html(body)
    return QuestionBody(html, html_to_text(html or body))


def content_hash(text: str) -> str:
    """The SHA-256 of a note's decoded text: how an unchanged note is recognised."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def refusal(note_file: NoteFile, top: Path) -> str | None:
    """Why a file is not even read, if it is not."""
    if note_file.not_markdown:
        return "Markdown 파일이 아닙니다"
    if not note_file.path.resolve().is_relative_to(top):
        return "가져오는 폴더 밖을 가리키는 링크입니다"
    return None


def prepare(task: Task) -> Prepared:
    """Read, parse and render one note file (nothing is written)."""
    if reason := refusal(task.note_file, task.top):
        return Prepared(error=reason)
    try:
        text = read_note_file(task.note_file.path, task.max_bytes)
    except NoteReadError as error:
        return Prepared(error=error.reason)
    if task.known_hash is not None and task.known_hash == content_hash(text):
        return Prepared(unchanged=True)
    mtime = task.note_file.path.stat().st_mtime
    relative = task.note_file.relative
    parsed = parse_note(text, relative, book=task.book, member=task.member)
    if parsed.skip_reason or not parsed.book or not parsed.member:
        return Prepared(text, parsed, mtime=mtime)
    images: list[str] = []

    def image_url(path: str) -> str | None:
        if PurePosixPath(path).suffix.lower() in IMAGE_TYPES:
            images.append(path)
        return None

    rendered = render_markdown(parsed.body, image_url=image_url)
    questions = tuple(question_body(question.body) for question in parsed.questions)
    if images:
        return Prepared(text, parsed, questions=questions, grams=_grams(questions), mtime=mtime)
    body_text = html_to_text(rendered.html)
    grams = _grams(questions, body_text)
    return Prepared(
        text, parsed, rendered, questions=questions, body_text=body_text, grams=grams, mtime=mtime
    )


def _grams(questions: tuple[QuestionBody, ...], *texts: str) -> tuple[tuple[str, str], ...]:
    """The bigram text of each search text, as the SQLite index will want it."""
    normalized = {normalize_text(text) for text in (*texts, *(q.text for q in questions))}
    return tuple((text, bigram_text(text)) for text in normalized)


def prepared(tasks: Iterable[Task], count: int) -> Generator[tuple[NoteFile, Prepared], None, None]:
    """Each task's file and its preparation, in order: by a worker process, AHEAD at most,
    when there are `count` >= PARALLEL_FROM files, else one by one here."""
    if count < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        for task in tasks:
            yield task.note_file, prepare(task)
        return
    with multiprocessing.get_context("fork").Pool(1) as pool:
        waiting: deque[tuple[NoteFile, AsyncResult[Prepared]]] = deque()
        for task in tasks:
            waiting.append((task.note_file, pool.apply_async(prepare, (task,))))
            if len(waiting) > AHEAD:
                yield _next(waiting)
        while waiting:
            yield _next(waiting)


def _next(waiting: deque[tuple[NoteFile, AsyncResult[Prepared]]]) -> tuple[NoteFile, Prepared]:
    note_file, job = waiting.popleft()
    return note_file, job.get()
