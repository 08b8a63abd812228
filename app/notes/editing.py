"""Writing notes in the browser: the template, preview, upload, edit, delete and restore.

Who may do what is checked here (app.auth.permissions); the writes go through
app.notes.services so a web note flows into the board and ratings like an imported one."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.permissions import ensure_admin, ensure_can_edit, ensure_signed_in
from app.errors import Invalid, NotFound
from app.extensions import db
from app.models import Book, Chapter, Member, Note
from app.notes import services
from app.notes.parse import NoteReadError, decode_note, parse_chapter_list
from app.notes.parse.template import UNTOUCHED_TEMPLATE, is_template
from app.notes.render import render_markdown
from app.text.files import human_size

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
            raise Invalid(f"올린 파일을 읽을 수 없습니다: {error.reason}", "upload") from error
    text = draft.text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise Invalid("노트 내용이 비어 있습니다.", "text")
    if len(text.encode("utf-8")) > max_bytes:
        raise Invalid(f"노트가 너무 깁니다 (최대 {human_size(max_bytes)}).", "text")
    return text


def _draft_chapters(draft: Draft) -> list[int]:
    try:
        return parse_chapter_list(draft.chapters_text)
    except ValueError as error:
        raise Invalid(str(error), "chapters") from error


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


def _preview(text: str, *, book: Book, member: Member, chapters: list[int], title: str) -> Preview:
    parsed = services.parse_web_note(text, book=book, member=member, chapters=chapters, title=title)
    rendered = render_markdown(parsed.body)
    blocking = UNTOUCHED_TEMPLATE if is_template(text.split("\n")) else parsed.skip_reason
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
    except Invalid as error:
        return Preview(draft.text, draft.title, "", [], [], {}, None, [], errors=[str(error)])
    title = draft.title.strip() or default_title(book, chapters)
    return _preview(text, book=book, member=member, chapters=chapters, title=title)


def preview_edit(note_id: int, editor: Member, draft: Draft) -> Preview:
    """Parse and render an edit of a note without saving it."""
    note = _editable_note(note_id, editor)
    try:
        text = _draft_text(draft)
    except Invalid as error:
        return Preview(draft.text, draft.title, "", [], [], {}, None, [], errors=[str(error)])
    chapters = [link.chapter.number for link in note.note_chapters]
    return _preview(
        text, book=note.book, member=note.member, chapters=chapters, title=draft.title or note.title
    )


# --- writes ---------------------------------------------------------------------------------


def write_note(member: Member, draft: Draft) -> Note:
    """Save a new note by `member` (typed or uploaded) and commit; Invalid says what is wrong."""
    ensure_signed_in(member)
    text = _draft_text(draft)
    chapters = _draft_chapters(draft)
    book = _book(draft.book_id)
    title = draft.title.strip() or default_title(book, chapters)
    preview = _preview(text, book=book, member=member, chapters=chapters, title=title)
    if preview.blocking:
        raise Invalid(preview.blocking)
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
        raise Invalid(preview.blocking)
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
        raise Invalid("책을 골라 주세요.", "book_id")
    return book


def _note(note_id: int) -> Note:
    note = db.session.execute(
        select(Note)
        .options(joinedload(Note.book), joinedload(Note.member))
        .where(Note.id == note_id)
    ).scalar_one_or_none()
    if note is None:
        raise NotFound("노트를 찾을 수 없습니다.")
    return note


def _editable_note(note_id: int, editor: Member) -> Note:
    note = _note(note_id)
    ensure_can_edit(editor, note.member_id)
    if note.deleted_at is not None:
        raise NotFound("노트를 찾을 수 없습니다.")  # an admin restores it first
    return note
