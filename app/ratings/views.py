"""Chapter ratings, the book dashboard and meeting prep."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from app.auth.permissions import require_member
from app.errors import Invalid
from app.ratings.charts import SERIES_CLASSES, bar_chart_svg, line_chart_svg
from app.ratings.dashboard import BookDashboard, book_dashboard, meeting_prep
from app.ratings.export import CsvFile, content_disposition, ratings_csv, reading_times_csv
from app.ratings.heatmap import row_cells_html
from app.ratings.services import submit_rating
from app.web.page_versions import versioned

bp = Blueprint("ratings", __name__)


def chapter_path(book_id: int, number: int) -> str:
    """The chapter page (served by the notes blueprint)."""
    return url_for("notes.chapter", book_id=book_id, number=number)


@bp.get("/books/<int:book_id>")
@versioned("book:{book_id}")
def book(book_id: int) -> str:
    """The book dashboard: chapters, member × chapter grid, hardest chapters, hours."""
    dashboard = book_dashboard(book_id)
    if dashboard is None:
        abort(404)
    return render_template(
        "ratings/book.html",
        dashboard=dashboard,
        row_cells=[row_cells_html(row.cells) for row in dashboard.members],
        **dashboard_charts(dashboard),
    )


def dashboard_charts(dashboard: BookDashboard) -> dict[str, object]:
    """The dashboard's two SVG charts: scores by chapter (a line per member, or the group's
    mean when there are more members than line colours) and reading hours per member."""
    labels = [f"{chapter.number}장" for chapter in dashboard.chapters]
    scored = dashboard.scored_members
    if len(scored) <= SERIES_CLASSES:
        series = [(row.name, [cell.score for cell in row.cells]) for row in scored]
    else:
        series = [("모임 평균", [chapter.stats.mean for chapter in dashboard.chapters])]
    title = dashboard.book.title
    return {
        "scores_chart_svg": line_chart_svg(labels, series, title=f"{title}: 회원별 장별 이해도"),
        "scores_chart_series": [name for name, _ in series],
        "hours_chart_svg": bar_chart_svg(
            [(row.name, row.hours) for row in dashboard.members],
            title=f"{title}: 회원별 독서 시간",
            unit="시간",
            bar_titles=False,  # the table beside it has the same figures
        ),
    }


@bp.post("/books/<int:book_id>/chapters/<int:number>/rating")
@require_member
def rate(book_id: int, number: int) -> WerkzeugResponse:
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
@versioned("book:{book_id}")
def prep(book_id: int, number: int) -> str:
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
    disposition = content_disposition(export.filename, export.ascii_filename)
    response.headers["Content-Disposition"] = disposition
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/books/<int:book_id>/export/ratings.csv")
def export_ratings(book_id: int) -> Response:
    """Download the book's ratings as CSV."""
    return _download(ratings_csv(book_id))


@bp.get("/books/<int:book_id>/export/reading-times.csv")
def export_reading_times(book_id: int) -> Response:
    """Download the book's reading times as CSV."""
    return _download(reading_times_csv(book_id))
