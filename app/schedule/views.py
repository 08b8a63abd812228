"""The schedule admin page, and the next meeting shown on the home and book pages."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.permissions import ensure_admin
from app.errors import Invalid
from app.extensions import db
from app.models import Book, utcnow
from app.ratings.dashboard import meeting_prep
from app.schedule import queries, services

bp = Blueprint("schedule", __name__)


@bp.app_template_global()
def next_meeting_status(book_id: int | None = None) -> queries.MeetingStatus | None:
    """The next meeting (of a book, or of any) with who has written: for templates."""
    meeting = queries.next_meeting(utcnow().date(), book_id)
    return queries.meeting_status(meeting) if meeting else None


@bp.get("/meetings/<int:meeting_id>")
def meeting(meeting_id: int) -> str:
    """One meeting: who has written, what to talk about for each of its chapters."""
    page = queries.meeting_page(meeting_id, utcnow().date()) or abort(404)
    mt = page.status.meeting
    preps = [p for p in (meeting_prep(mt.book_id, n) for n in mt.chapter_numbers) if p]
    return render_template("schedule/meeting.html", page=page, preps=preps)


@bp.get("/books/<int:book_id>/schedule")
def page(book_id: int) -> str:
    """The book's meetings, with a form to add one (admins)."""
    ensure_admin(current_user)
    book = db.session.get(Book, book_id) or abort(404)
    meetings = queries.book_meetings(book_id)
    return render_template("schedule/page.html", book=book, meetings=meetings)


@bp.post("/books/<int:book_id>/schedule")
def add(book_id: int) -> Response:
    """Add a meeting (or change the chapters of the one on that date)."""
    ensure_admin(current_user)
    try:
        day = services.parse_date(request.form.get("date", ""))
        chapters = services.parse_chapters(request.form.get("chapters", ""))
        services.set_meeting(current_user, book_id, day, chapters)
    except Invalid as error:
        flash(error.message, "error")
    else:
        flash(f"{day.isoformat()} 모임을 저장했습니다.", "success")
    return redirect(url_for("schedule.page", book_id=book_id))


@bp.post("/schedule/<int:meeting_id>/remove")
def remove(meeting_id: int) -> Response:
    """Remove a meeting."""
    meeting = services.remove_meeting(current_user, meeting_id) or abort(404)
    flash(f"{meeting.date.isoformat()} 모임을 지웠습니다.", "success")
    return redirect(url_for("schedule.page", book_id=meeting.book_id))
