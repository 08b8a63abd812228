"""Writing notes in the browser: the template, preview, upload, edit, delete and restore.

Who may do what is checked here (app.auth.permissions); the writes go through
app.notes.services so a web note flows into the board and ratings like an imported one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from app.auth.permissions import ensure_admin, ensure_can_edit, ensure_signed_in
from app.extensions import db
from app.models import Book, Chapter, Member, Note
from app.notes import services
from app.notes.parse import NoteReadError, decode_note
from app.notes.render import render_markdown
from app.notes.services import NoteError

MAX_CHAPTERS_PER_NOTE = 20
CHAPTER_PART = re.compile(r"^\s*(\d{1,4})\s*(?:[-~–]\s*(\d{1,4})\s*)?$")

NOTE_TEMPLATE_HEAD = """# 📚 스터디 템플릿

## 📖 목차를 읽기 전에 든 생각
- 책을 처음 봤을 때 들었던 기대나 궁금증을 적어주세요.
- 이 책에서 배우고 싶은 점을 간단히 작성합니다.

## 📝 내용 정리
- 책의 각 장이나 섹션별로 주요 내용을 정리합니다.
- 이해한 내용을 자신의 언어로 작성하세요.

## 💡 전부 읽고 난 후기
- 책을 다 읽고 난 후 느낀 점, 배우게 된 점, 아쉬운 점을 자유롭게 적어주세요.

## ❓ 특별히 궁금했던 부분
- 읽으면서 생겼던 의문이나 더 탐구하고 싶은 부분을 정리합니다.
- 팀원들과 논의하고 싶은 내용을 포함해도 좋습니다.

## ⏳ 독서 과정 기록
- **총 독서 시간**: (예: 3시간 20분)
- **각 장별 소요 시간**:
{minutes}

## 🤔 이해도 점검 & 난이도 평가
- **어려웠던 부분 & 이유**:
  - 이해가 어려웠던 개념이나 문장이 있다면 적어보세요.
  - 왜 어려웠는지(배경지식 부족, 개념이 생소함 등) 생각해 봅니다.

- **자신의 이해도를 점수로 표현하기 (5점 만점)**
{scores}
"""


def note_template(chapters: list[int]) -> str:
    """The shared template for a new note, with a time and a score line per chapter."""
    numbers = chapters or [1]
    minutes = "\n".join(f"  - Chapter {n}: (예: 40분)" for n in numbers)
    scores = "\n".join(f"  - Chapter {n}: (예: ⭐⭐⭐⭐☆ (4/5))" for n in numbers)
    return NOTE_TEMPLATE_HEAD.format(minutes=minutes, scores=scores)


def is_untouched_template(text: str, chapters: list[int]) -> bool:
    """True when every line of `text` is a line of the editor's template (nothing written)."""
    template_lines = {line.strip() for line in note_template(chapters).splitlines()}
    return all(line.strip() in template_lines for line in text.splitlines())


UNTOUCHED_TEMPLATE = "노트 템플릿 그대로입니다. 안내 문구 대신 내용을 채운 뒤 저장해 주세요."


def parse_chapter_list(text: str) -> list[int]:
    """Chapter numbers from "3", "4, 5" or "5-7" (in order, without repeats); ValueError else."""
    numbers: list[int] = []
    # Space runs become one space first: `\s*([-~–])\s*` retries from every space of a
    # run (20,000 spaces took 3 s); the parts are split on spaces anyway.
    spaced = re.sub(r"\s+", " ", text.replace("장", " "))
    compact = re.sub(r"\s*([-~–])\s*", r"\1", spaced)
    for part in filter(None, re.split(r"[,\s]+", compact)):
        match = CHAPTER_PART.match(part)
        if not match:
            raise ValueError(f"장 번호를 읽을 수 없습니다: '{part.strip()}' (예: 3, 4-5)")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first or last - first >= MAX_CHAPTERS_PER_NOTE:
            raise ValueError(f"장 범위가 올바르지 않습니다: '{part.strip()}'")
        numbers.extend(n for n in range(first, last + 1) if n not in numbers)
    if not numbers:
        raise ValueError("장을 하나 이상 적어 주세요 (예: 3 또는 4-5).")
    if len(numbers) > MAX_CHAPTERS_PER_NOTE:
        raise ValueError(f"한 노트에는 {MAX_CHAPTERS_PER_NOTE}개 장까지 묶을 수 있습니다.")
    return numbers


# --- reading the form -----------------------------------------------------------------------


@dataclass
class Draft:
    """A note as typed or uploaded, before it is saved."""

    text: str
    title: str = ""
    chapters_text: str = ""
    book_id: int | None = None
    upload: bytes | None = None
    upload_name: str = ""


def _draft_text(draft: Draft) -> str:
    """The note's text: an uploaded file wins over the editor's contents."""
    max_bytes = current_app.config["MAX_NOTE_BYTES"]
    if draft.upload is not None:
        try:
            return decode_note(draft.upload, max_bytes)
        except NoteReadError as error:
            raise NoteError(f"올린 파일을 읽을 수 없습니다: {error.reason}") from error
    text = draft.text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise NoteError("노트 내용이 비어 있습니다.")
    if len(text.encode("utf-8")) > max_bytes:
        raise NoteError(f"노트가 너무 깁니다 (최대 {max_bytes // 1024:,} KB).")
    return text


def _draft_chapters(draft: Draft) -> list[int]:
    try:
        return parse_chapter_list(draft.chapters_text)
    except ValueError as error:
        raise NoteError(str(error)) from error


# --- preview --------------------------------------------------------------------------------


@dataclass
class Preview:
    """What a note will look like and yield once saved."""

    text: str
    title: str
    html: str
    chapters: list[int]
    questions: list[str]
    scores: dict[int, float]
    reading_minutes: int | None
    warnings: list[str]
    # Why the note cannot be saved as it is (the untouched template, no template section).
    blocking: str | None = None
    errors: list[str] = field(default_factory=list)


def _preview(text: str, *, book: Book, member: Member, chapters: list[int], title: str):
    parsed = services.parse_web_note(text, book=book, member=member, chapters=chapters, title=title)
    rendered = render_markdown(parsed.body)
    blocking = UNTOUCHED_TEMPLATE if is_untouched_template(text, chapters) else parsed.skip_reason
    return Preview(
        text=text,
        title=parsed.title,
        html=rendered.html,
        chapters=parsed.chapters,
        questions=[question.title for question in parsed.questions],
        scores=parsed.scores,
        reading_minutes=parsed.reading_minutes,
        warnings=list(parsed.warnings),
        blocking=blocking,
    )


def default_title(book: Book, chapters: list[int]) -> str:
    """A title for a note left untitled: "2장 도커 설치", or "4–5장 노트"."""
    if len(chapters) == 1:
        title = db.session.execute(
            select(Chapter.title).where(Chapter.book_id == book.id, Chapter.number == chapters[0])
        ).scalar_one_or_none()
        return f"{chapters[0]}장 {title}" if title else f"{chapters[0]}장 노트"
    if chapters == list(range(chapters[0], chapters[-1] + 1)):
        return f"{chapters[0]}–{chapters[-1]}장 노트"
    return ", ".join(str(n) for n in chapters) + "장 노트"


def preview_new_note(member: Member, draft: Draft) -> Preview:
    """Parse and render a new note without saving it; problems come back in `errors`."""
    ensure_signed_in(member)
    try:
        text = _draft_text(draft)
        chapters = _draft_chapters(draft)
        book = _book(draft.book_id)
    except NoteError as error:
        return Preview(draft.text, draft.title, "", [], [], {}, None, [], errors=[str(error)])
    title = draft.title.strip() or default_title(book, chapters)
    return _preview(text, book=book, member=member, chapters=chapters, title=title)


def preview_edit(note_id: int, editor: Member, draft: Draft) -> Preview:
    """Parse and render an edit of a note without saving it."""
    note = _editable_note(note_id, editor)
    try:
        text = _draft_text(draft)
    except NoteError as error:
        return Preview(draft.text, draft.title, "", [], [], {}, None, [], errors=[str(error)])
    chapters = [link.chapter.number for link in note.note_chapters]
    return _preview(
        text, book=note.book, member=note.member, chapters=chapters, title=draft.title or note.title
    )


# --- writes ---------------------------------------------------------------------------------


def write_note(member: Member, draft: Draft) -> Note:
    """Save a new note by `member` (typed or uploaded) and commit; NoteError says what is wrong."""
    ensure_signed_in(member)
    text = _draft_text(draft)
    chapters = _draft_chapters(draft)
    book = _book(draft.book_id)
    title = draft.title.strip() or default_title(book, chapters)
    preview = _preview(text, book=book, member=member, chapters=chapters, title=title)
    if preview.blocking:
        raise NoteError(preview.blocking)
    return services.create_web_note(
        book_id=book.id, member=member, chapters=chapters, title=title, text=text
    )


@dataclass(frozen=True)
class EditResult:
    """The edited note, and whether the text changed (so a new version was made)."""

    note: Note
    changed: bool


def edit_note(note_id: int, editor: Member, draft: Draft) -> EditResult:
    """Save an edit as a new version (owner or admin only) and commit."""
    note = _editable_note(note_id, editor)
    text = _draft_text(draft)
    chapters = [link.chapter.number for link in note.note_chapters]
    title = draft.title.strip() or note.title
    preview = _preview(text, book=note.book, member=note.member, chapters=chapters, title=title)
    if preview.blocking:
        raise NoteError(preview.blocking)
    versions_before = note.version_count
    services.update_web_note(note=note, editor=editor, text=text, title=title)
    return EditResult(note, note.version_count != versions_before)


def delete_note(note_id: int, member: Member) -> Note:
    """Hide a note (owner or admin); it stays in the database for an admin to restore."""
    note = _note(note_id)
    ensure_can_edit(member, note.member_id)
    if note.deleted_at is None:
        services.soft_delete_note(note)
    return note


def restore_note(note_id: int, admin: Member) -> Note:
    """Show a hidden note again (admins only)."""
    ensure_admin(admin)
    note = _note(note_id)
    if note.deleted_at is not None:
        services.restore_note(note)
    return note


# --- reads for the forms --------------------------------------------------------------------


def books_for_new_note() -> list[Book]:
    """Every book by title, with its known chapters, for the book and chapter pickers."""
    return list(
        db.session.execute(
            select(Book).options(selectinload(Book.chapters)).order_by(Book.title)
        ).scalars()
    )


def note_for_editing(note_id: int, editor: Member) -> Note:
    """A note the editor may change, with its book, member and chapters (403/404 otherwise)."""
    return _editable_note(note_id, editor)


def note_for_deleting(note_id: int, member: Member) -> Note:
    """A visible note the member may delete (403/404 otherwise)."""
    return _editable_note(note_id, member)


def _book(book_id: int | None) -> Book:
    book = db.session.get(Book, book_id) if book_id else None
    if book is None:
        raise NoteError("책을 골라 주세요.")
    return book


def _note(note_id: int) -> Note:
    note = db.session.execute(
        select(Note)
        .options(joinedload(Note.book), joinedload(Note.member))
        .where(Note.id == note_id)
    ).scalar_one_or_none()
    if note is None:
        raise NotFound()
    return note


def _editable_note(note_id: int, editor: Member) -> Note:
    note = _note(note_id)
    ensure_can_edit(editor, note.member_id)
    if note.deleted_at is not None:
        raise NotFound()  # restore it first
    return note
