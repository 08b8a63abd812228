"""Writes for notes: one function saves a note (import or web) with its versions, chapters,
questions and scores, so that every way in behaves the same."""

from __future__ import annotations

import hashlib
import mimetypes
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from sqlalchemy import select, update

from app.auth import names
from app.books import ensure_chapters, get_or_create
from app.errors import Invalid
from app.extensions import db
from app.models import Asset, Book, Chapter, Member, Note, NoteChapter, NoteVersion, utcnow
from app.notes.parse import ParsedNote, note_parsed, parse_note
from app.notes.prepare import QuestionBody
from app.notes.prepare import content_hash as content_hash  # where it is defined
from app.notes.render import Rendered, render_markdown
from app.text.files import IMAGE_TYPES

MAX_IMAGE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class SaveResult:
    """What saving a note did: "new", "updated" or "unchanged"."""

    note: Note
    status: str


def get_or_create_member(name: str) -> Member:
    """The member with this display name (NFKC: an NFD folder name from macOS is the same
    member), created (without a login) when new."""
    return get_or_create(Member, Member.name, names.normalize(name))


def store_image(data: bytes, filename: str) -> Asset:
    """Keep an image once (by content) and return its asset row."""
    digest = hashlib.sha256(data).hexdigest()
    asset = db.session.execute(select(Asset).where(Asset.sha256 == digest)).scalar_one_or_none()
    if asset is None:
        suffix = PurePosixPath(filename).suffix.lower()
        mimetype = IMAGE_TYPES.get(suffix) or mimetypes.guess_type(filename)[0]
        mimetype = mimetype or "application/octet-stream"
        asset = Asset(sha256=digest, filename=filename, mimetype=mimetype, data=data)
        db.session.add(asset)
        db.session.flush()
    return asset


def asset_url(asset: Asset) -> str:
    """Where an imported image is served."""
    return f"/assets/{asset.id}/{asset.filename}"


def save_note(
    *,
    book: Book,
    member: Member,
    source_key: str,
    text: str,
    parsed: ParsedNote,
    origin: str = "import",
    author: Member | None = None,
    read_image: Callable[[str], bytes | None] | None = None,
    written_at: datetime | None = None,
    rendered: Rendered | None = None,
    question_bodies: tuple[QuestionBody, ...] | None = None,
) -> SaveResult:
    """Create or update one note and everything that flows from it, without committing.

    An unchanged text is left alone; a changed one keeps its earlier version. `written_at`
    dates the note, its version, new threads and scores (else now); `rendered` and
    `question_bodies`: its body and its questions' bodies, if rendered already. Slow work
    goes before the first write: the write lock is held briefly."""
    from app.board.services import plan_note_questions, sync_note_questions
    from app.ratings.services import apply_note_scores

    digest = content_hash(text)
    note = db.session.execute(
        select(Note).where(Note.book_id == book.id, Note.source_key == source_key)
    ).scalar_one_or_none()
    if note is not None and note.content_hash == digest and note.member_id == member.id:
        return SaveResult(note, "unchanged")

    warnings = list(parsed.warnings)
    rendered = rendered or render_markdown(parsed.body, image_url=_image_url(read_image, warnings))
    now = written_at or utcnow()
    status = "updated"
    if note is None:
        status = "new"
        note = Note(book_id=book.id, source_key=source_key, origin=origin, version_count=0)
        note.created_at, note.note_chapters = now, []  # no links to read back after the flush
    plan = plan_note_questions(note, parsed.questions, question_bodies)
    _write_note(note, member, source_key, text, digest, parsed, rendered, warnings, now)
    _add_version(note, text, digest, origin, author, now)

    # Scores and times may name chapters the note does not cover (kept with a warning).
    mentioned = sorted({*parsed.chapters, *parsed.scores, *parsed.chapter_minutes})
    chapters = ensure_chapters(book.id, mentioned, parsed.chapter_titles)
    _sync_note_chapters(note, [chapters[n] for n in parsed.chapters], parsed.chapter_minutes)
    sync_note_questions(note, parsed.questions, _questions_anchor(rendered), plan, now)
    apply_note_scores(
        note,
        parsed.scores,
        imported=origin == "import",
        at=written_at,
        chapters=chapters,
        new_note=status == "new",
    )
    db.session.flush()
    return SaveResult(note, status)


def _add_version(
    note: Note, text: str, digest: str, origin: str, author: Member | None, now: datetime
) -> None:
    """Keep the note's new text as its newest version."""
    db.session.add(
        NoteVersion(
            note_id=note.id,
            number=note.version_count,
            source=text,
            content_hash=digest,
            origin=origin,
            author_id=author.id if author else None,
            created_at=now,
        )
    )


def _image_url(
    read_image: Callable[[str], bytes | None] | None, warnings: list[str]
) -> Callable[[str], str | None]:
    """How the renderer serves an image beside the note: stored as an asset, or a warning."""

    def image_url(path: str) -> str | None:
        if read_image is None or PurePosixPath(path).suffix.lower() not in IMAGE_TYPES:
            return None
        data = read_image(path)
        if data is None:
            warnings.append(f"이미지를 찾을 수 없습니다: {path}")
            return None
        return asset_url(store_image(data, PurePosixPath(path).name))

    return image_url


def _write_note(
    note: Note,
    member: Member,
    source_key: str,
    text: str,
    digest: str,
    parsed: ParsedNote,
    rendered: Rendered,
    warnings: list[str],
    now: datetime,
) -> None:
    """Set the note's columns from its new text and flush it (so it has an id)."""
    note.member_id = member.id
    note.title = parsed.title[:300] or source_key
    note.source = text
    note.content_hash = digest
    note.html = rendered.html
    note.toc_html = rendered.toc_html
    note.reading_minutes = parsed.reading_minutes
    note.warnings = warnings
    note.parsed = note_parsed(parsed)
    note.updated_at = now
    note.version_count += 1
    db.session.add(note)
    db.session.flush()


def redate_saved_note(note: Note, when: datetime, since: datetime, *, new: bool) -> None:
    """Date a just-saved note, its newest version and the questions and scores it made after
    `since` by when it was really written (a commit's date, a file's time), without committing."""
    from app.board.services import redate_note_questions
    from app.ratings.services import redate_note_scores

    note.updated_at = when
    if new:
        note.created_at = when
    db.session.execute(
        update(NoteVersion)
        .where(NoteVersion.note_id == note.id, NoteVersion.number == note.version_count)
        .values(created_at=when)
    )
    redate_note_questions(note.id, when, since)
    redate_note_scores(note.id, when, since)
    db.session.flush()


def _sync_note_chapters(note: Note, chapters: list[Chapter], minutes: dict[int, int]) -> None:
    wanted = {chapter.id: (position, chapter) for position, chapter in enumerate(chapters)}
    for link in list(note.note_chapters):
        if link.chapter_id not in wanted:
            note.note_chapters.remove(link)
    current = {link.chapter_id: link for link in note.note_chapters}
    for chapter_id, (position, chapter) in wanted.items():
        kept = current.get(chapter_id)
        if kept is None:
            kept = NoteChapter(chapter_id=chapter_id, chapter=chapter)
            note.note_chapters.append(kept)
        kept.position = position
        kept.minutes = minutes.get(chapter.number)


# --- notes written on the web ---------------------------------------------------------------


def web_note_path(member: Member, chapters: list[int], title: str) -> str:
    """The path a web note is parsed as, so its chapters come from the person's choice."""
    label = ", ".join(str(n) for n in chapters)
    safe_title = title.replace("/", " ").strip() or "노트"
    return f"{member.name}/[Chapter{label}] {safe_title}.md"


def parse_web_note(
    text: str, *, book: Book, member: Member, chapters: list[int], title: str
) -> ParsedNote:
    """Parse a note written in the browser as if it sat in the member's folder."""
    parsed = parse_note(
        text, web_note_path(member, chapters, title), book=book.title, member=member.name
    )
    if title.strip():
        parsed.title = title.strip()
    return parsed


def create_web_note(
    *, book_id: int, member: Member, chapters: list[int], title: str, text: str
) -> Note:
    """Save a new note written (or uploaded) in the browser, and commit."""
    book = db.session.get(Book, book_id)
    if book is None:
        raise Invalid("책을 찾을 수 없습니다.", "book_id")
    if not chapters:
        raise Invalid("장을 하나 이상 골라 주세요.", "chapters")
    if not text.strip():
        raise Invalid("노트 내용이 비어 있습니다.", "text")
    parsed = parse_web_note(text, book=book, member=member, chapters=chapters, title=title)
    result = save_note(
        book=book,
        member=member,
        source_key=f"web:{uuid.uuid4().hex}",
        text=text,
        parsed=parsed,
        origin="web",
        author=member,
    )
    db.session.commit()
    return result.note


def update_web_note(*, note: Note, editor: Member, text: str, title: str | None = None) -> Note:
    """Save an edit of a note as a new version (the note's chapters stay), and commit."""
    if not text.strip():
        raise Invalid("노트 내용이 비어 있습니다.", "text")
    chapters = [link.chapter.number for link in note.note_chapters]
    parsed = parse_web_note(
        text, book=note.book, member=note.member, chapters=chapters, title=title or note.title
    )
    save_note(
        book=note.book,
        member=note.member,
        source_key=note.source_key,
        text=text,
        parsed=parsed,
        origin="web",
        author=editor,
    )
    db.session.commit()
    return note


def soft_delete_note(note: Note) -> None:
    """Hide a note (it stays in the database; an admin can restore it), and commit.

    Its threads stay on the board, marked as gone from their note, with their answers."""
    from app.board.services import sync_note_questions

    note.deleted_at = utcnow()
    sync_note_questions(note, [], None)
    db.session.commit()


def restore_note(note: Note) -> None:
    """Show a hidden note again, with its threads back in it, and commit."""
    from app.board.services import sync_note_questions

    note.deleted_at = None
    chapters = [link.chapter.number for link in note.note_chapters]
    parsed = parse_web_note(
        note.source, book=note.book, member=note.member, chapters=chapters, title=note.title
    )
    rendered = render_markdown(parsed.body)
    sync_note_questions(note, parsed.questions, _questions_anchor(rendered))
    db.session.commit()


def _questions_anchor(rendered: Rendered) -> str | None:
    """The id of the note's 궁금 heading, where its threads link to."""
    return next((h.id for h in rendered.headings if "궁금" in h.text), None)
