"""Pages that show books, chapters, notes and members."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from app.extensions import db
from app.models import Asset
from app.notes import queries, rows
from app.ratings.services import chapter_panel
from app.web.page_versions import versioned
from app.web.query_args import page_number

bp = Blueprint("notes", __name__)


@bp.get("/")
@versioned("home")
def home() -> str:
    """The books, with the group's progress on each."""
    return render_template("notes/home.html", summaries=queries.book_summaries())


@bp.get("/books/<int:book_id>/chapters/<int:number>")
@versioned("chapter:{book_id}:{number}")
def chapter(book_id: int, number: int) -> str:
    """A chapter: every member's note, its questions and its ratings."""
    found = queries.get_chapter(book_id, number) or abort(404)
    member_id = current_user.id if current_user.is_authenticated else None
    return render_template(
        "notes/chapter.html",
        chapter=found,
        book=found.book,
        chapters=queries.book_chapters(book_id),
        notes=queries.chapter_notes(found),
        questions=queries.chapter_questions(found, page_number(request.args.get("page"))),
        panel=chapter_panel(found.id, member_id, found),
    )


@bp.get("/notes/<int:note_id>")
@versioned("note:{note_id}")
def note(note_id: int) -> str:
    """One note, rendered, with its questions, scores, reading time and versions."""
    found = queries.get_note(note_id) or abort(404)
    if found.deleted_at and not (current_user.is_authenticated and current_user.is_admin):
        abort(404)
    return render_template(
        "notes/note.html",
        note=found,
        questions=queries.note_questions(note_id),
        scores=queries.note_ratings(found),
    )


@bp.get("/notes/<int:note_id>/versions/<int:number>")
def version(note_id: int, number: int) -> str:
    """One version of a note, with what changed since the one before."""
    found = queries.get_note(note_id) or abort(404)
    if found.deleted_at and not (current_user.is_authenticated and current_user.is_admin):
        abort(404)  # a deleted note's versions are for admins only, like the note
    pair = queries.get_version(note_id, number) or abort(404)
    current, previous = pair
    diff = queries.version_diff(previous.source if previous else "", current.source)
    return render_template(
        "notes/version.html", note=found, version=current, previous=previous, diff=diff
    )


@bp.get("/members/<int:member_id>")
@versioned("member:{member_id}")
def member(member_id: int) -> str:
    """One member's notes, scores and questions."""
    found = queries.get_member(member_id) or abort(404)
    notes, ratings = queries.member_notes(member_id), queries.member_ratings(member_id)
    return render_template(
        "notes/member.html",
        member=found,
        notes=notes,
        note_rows=rows.member_note_rows(notes),
        ratings=ratings,
        rating_rows=rows.member_rating_rows(ratings),
        questions=queries.member_questions(member_id),
    )


@bp.get("/assets/<int:asset_id>/<path:filename>")
def asset(asset_id: int, filename: str) -> WerkzeugResponse:
    """An image imported next to a note."""
    found = db.session.get(Asset, asset_id) or abort(404)
    response = current_app.response_class(found.data, mimetype=found.mimetype)
    response.set_etag(found.sha256)
    response.cache_control.private = True  # an image may need sign-in to see
    response.cache_control.max_age = 31536000
    response.cache_control.immutable = True
    # An uploaded SVG must never run script in our origin.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response.make_conditional(request)
