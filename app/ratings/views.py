"""Chapter ratings, the book dashboard and meeting prep."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from app.auth.permissions import require_member
from app.errors import Invalid
from app.ratings.dashboard import book_dashboard, meeting_prep
from app.ratings.export import CsvFile, ratings_csv, reading_times_csv
from app.ratings.services import submit_rating
from app.site_version import versioned

bp = Blueprint("ratings", __name__)


def chapter_path(book_id: int, number: int) -> str:
    """The chapter page (served by the notes blueprint)."""
    return url_for("notes.chapter", book_id=book_id, number=number)


@bp.get("/books/<int:book_id>")
@versioned
def book(book_id: int):
    """The book dashboard: chapters, member × chapter grid, hardest chapters, hours."""
    dashboard = book_dashboard(book_id)
    if dashboard is None:
        abort(404)
    return render_template("ratings/book.html", dashboard=dashboard)


@bp.post("/books/<int:book_id>/chapters/<int:number>/rating")
@require_member
def rate(book_id: int, number: int):
    """Save the signed-in member's comprehension score for a chapter."""
    back = chapter_path(book_id, number) + "#ratings"
    try:
        rating = submit_rating(book_id, number, current_user, request.form.get("score"))
    except Invalid as error:
        flash(error.message, "error")
        return redirect(back)
    flash(f"{number}장 이해도를 {rating.score:g}점으로 저장했습니다.", "success")
    return redirect(back)


@bp.get("/books/<int:book_id>/chapters/<int:number>/prep")
@versioned
def prep(book_id: int, number: int):
    """Meeting prep for a chapter: open questions, missing notes, lowest scores."""
    context = meeting_prep(book_id, number)
    if context is None:
        abort(404)
    return render_template("ratings/prep.html", prep=context)


def _download(export: CsvFile | None) -> Response:
    if export is None:
        abort(404)
    response = Response(export.text.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = export.content_disposition
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/books/<int:book_id>/export/ratings.csv")
def export_ratings(book_id: int):
    """Download the book's ratings as CSV."""
    return _download(ratings_csv(book_id))


@bp.get("/books/<int:book_id>/export/reading-times.csv")
def export_reading_times(book_id: int):
    """Download the book's reading times as CSV."""
    return _download(reading_times_csv(book_id))
