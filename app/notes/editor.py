"""Writing notes in the browser: new note, preview, upload, edit, delete, restore."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.auth.permissions import admin_required, require_member
from app.errors import Invalid
from app.models import Note
from app.notes import editing
from app.notes.parse.template import note_template
from app.web.forms import EmptyForm
from app.web.query_args import sqlite_int

bp = Blueprint("editor", __name__)

UPLOAD_TYPES = FileAllowed(["md", "markdown", "txt"], "Markdown 파일(.md)만 올릴 수 있습니다.")


class EditNoteForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type hints
    """An edit of a note: its title and text, typed or uploaded."""

    title = StringField("제목", validators=[Optional(), Length(max=300)])
    text = TextAreaField("노트 (Markdown)")
    upload = FileField(".md 파일 올리기", validators=[UPLOAD_TYPES])


class NewNoteForm(EditNoteForm):
    """A new note: also its book and chapters."""

    book_id = SelectField("책", coerce=int, validate_choice=False)
    chapters = StringField("장", validators=[Length(max=100)], render_kw={"inputmode": "numeric"})


def _draft(form: EditNoteForm) -> editing.Draft:
    upload = form.upload.data
    has_file = upload is not None and bool(getattr(upload, "filename", ""))
    is_new = isinstance(form, NewNoteForm)
    return editing.Draft(
        text=form.text.data or "",
        title=form.title.data or "",
        chapters_text=(form.chapters.data or "") if is_new else "",
        book_id=(form.book_id.data or None) if is_new else None,
        upload=upload.read() if has_file else None,
        upload_name=upload.filename if has_file else "",
    )


def _wants_preview() -> bool:
    return request.form.get("action") == "preview"


def _render_new(
    form: NewNoteForm, preview: editing.Preview | None = None, status: int = 200
) -> tuple[str, int]:
    books = editing.books_for_new_note()
    form.book_id.choices = [(0, "책을 고르세요")] + [(book.id, book.title) for book in books]
    return render_template(
        "notes/editor/form.html", form=form, books=books, note=None, preview=preview
    ), status


def _render_edit(
    form: EditNoteForm, note: Note, preview: editing.Preview | None = None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "notes/editor/form.html", form=form, books=[], note=note, preview=preview
    ), status


def _refused(form: EditNoteForm, error: Invalid) -> None:
    form.form_errors.append(error.message)


@bp.route("/notes/new", methods=["GET", "POST"])
@require_member
def new_note() -> ResponseReturnValue:
    """Write a new note: book, chapters, the template in an editor, preview, save."""
    form = NewNoteForm()
    if request.method == "GET":
        chapter = request.args.get("chapter", "")
        form.book_id.data = request.args.get("book", 0, type=sqlite_int)
        form.chapters.data = chapter
        form.text.data = note_template(
            [int(chapter)] if chapter.isdigit() and len(chapter) < 5 else []
        )
        return _render_new(form)
    if not form.validate_on_submit():
        return _render_new(form, status=400)
    draft = _draft(form)
    if _wants_preview():
        preview = editing.preview_new_note(current_user, draft)
        form.text.data = preview.text
        return _render_new(form, preview)
    try:
        note = editing.write_note(current_user, draft)
    except Invalid as error:
        _refused(form, error)
        return _render_new(form, status=400)
    flash(_saved_message(note), "success")
    return redirect(url_for("notes.note", note_id=note.id))


@bp.post("/notes/preview", endpoint="preview_new")
@bp.post("/notes/<int:note_id>/preview", endpoint="preview_edit")
@require_member
def preview(note_id: int | None = None) -> str:
    """The preview of a new note or of an edit, as an HTML fragment (for the editor's script)."""
    if note_id is None:
        shown = editing.preview_new_note(current_user, _draft(NewNoteForm()))
    else:
        shown = editing.preview_edit(note_id, current_user, _draft(EditNoteForm()))
    return render_template("notes/editor/_preview.html", preview=shown)


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
@require_member
def edit_note(note_id: int) -> ResponseReturnValue:
    """Edit a note: saving makes a new version."""
    if request.method == "GET":
        note = editing.note_for_editing(note_id, current_user)
        form = EditNoteForm(data={"title": note.title, "text": note.source})
        return _render_edit(form, note)
    form = EditNoteForm()
    if not form.validate_on_submit():
        return _render_edit(form, editing.note_for_editing(note_id, current_user), status=400)
    draft = _draft(form)
    if _wants_preview():
        preview = editing.preview_edit(note_id, current_user, draft)
        form.text.data = preview.text
        return _render_edit(form, editing.note_for_editing(note_id, current_user), preview)
    try:
        result = editing.edit_note(note_id, current_user, draft)
    except Invalid as error:
        _refused(form, error)
        return _render_edit(form, editing.note_for_editing(note_id, current_user), status=400)
    if result.changed:
        flash(_saved_message(result.note, edited=True), "success")
    else:
        flash("바뀐 내용이 없어 새 버전을 만들지 않았습니다.", "info")
    return redirect(url_for("notes.note", note_id=note_id))


@bp.route("/notes/<int:note_id>/delete", methods=["GET", "POST"])
@require_member
def delete_note(note_id: int) -> ResponseReturnValue:
    """Ask, then hide a note (an admin can restore it)."""
    if request.method == "GET":
        note = editing.note_for_deleting(note_id, current_user)
        return render_template("notes/editor/delete.html", note=note, form=EmptyForm())
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("editor.delete_note", note_id=note_id))
    note = editing.delete_note(note_id, current_user)
    flash(f"'{note.title}' 노트를 삭제했습니다. 관리자가 되살릴 수 있습니다.", "success")
    return redirect(url_for("notes.member", member_id=note.member_id))


@bp.post("/notes/<int:note_id>/restore")
@admin_required
def restore_note(note_id: int) -> WerkzeugResponse:
    """Show a deleted note again."""
    if EmptyForm().validate_on_submit():
        note = editing.restore_note(note_id, current_user)
        flash(f"'{note.title}' 노트를 되살렸습니다.", "success")
    return redirect(url_for("notes.note", note_id=note_id))


def _saved_message(note: Note, edited: bool = False) -> str:
    verb = "고쳤습니다 (새 버전)" if edited else "저장했습니다"
    message = f"노트를 {verb}."
    if note.warnings:
        message += f" 확인할 경고가 {len(note.warnings)}건 있습니다."
    return message
