"""Atom feeds under /feeds/..., and the private feed address page under /me."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from app.auth.permissions import require_member
from app.extensions import db
from app.feeds import queries, services
from app.feeds.atom import Entry, build_feed
from app.feeds.queries import Activity
from app.models import Book, Member

bp = Blueprint("feeds", __name__)


def _site() -> str:
    return str(current_app.config.get("SITE_URL", request.host_url)).rstrip("/")


def _entries(book_id: int | None, member_id: int | None) -> list[Entry]:
    site = _site()
    return [
        Entry(
            f"{site}{item.path}", item.title, f"{site}{item.path}", item.who, item.when, item.text
        )
        for item in queries.activity(book_id, member_id)
        if item.kind != "rating"
    ]


@bp.app_template_global()
def recent_activity(member_id: int | None = None, limit: int = 15) -> list[Activity]:
    """Recent activity (of one member, or of everyone): for the home and member pages."""
    return queries.activity(member_id=member_id, limit=limit)


def _feed(title: str, book_id: int | None = None, member_id: int | None = None) -> Response:
    site = _site()
    body = build_feed(
        title=f"Studyhall: {title}",
        feed_id=f"{site}{request.path}",
        self_url=f"{site}{request.path}",
        site_url=f"{site}/",
        entries=_entries(book_id, member_id),
    )
    return Response(body, mimetype="application/atom+xml")


def _book_title(book_id: int) -> str:
    return (db.session.get(Book, book_id) or abort(404)).title


def _member_name(member_id: int) -> str:
    return (db.session.get(Member, member_id) or abort(404)).name


@bp.get("/feeds/all.atom")
def all_feed() -> Response:
    """Everything new on the site."""
    return _feed("새 소식")


@bp.get("/feeds/books/<int:book_id>.atom")
def book_feed(book_id: int) -> Response:
    """What is new in one book."""
    return _feed(_book_title(book_id), book_id=book_id)


@bp.get("/feeds/members/<int:member_id>.atom")
def member_feed(member_id: int) -> Response:
    """What one member wrote."""
    return _feed(_member_name(member_id), member_id=member_id)


def _check_secret(secret: str) -> None:
    if services.member_for(secret) is None:
        abort(404)


@bp.get("/feeds/private/<secret>/all.atom")
def private_all(secret: str) -> Response:
    """The site feed for a feed reader that cannot sign in."""
    _check_secret(secret)
    return _feed("새 소식")


@bp.get("/feeds/private/<secret>/books/<int:book_id>.atom")
def private_book(secret: str, book_id: int) -> Response:
    """A book's feed, for a feed reader that cannot sign in."""
    _check_secret(secret)
    return _feed(_book_title(book_id), book_id=book_id)


@bp.get("/feeds/private/<secret>/members/<int:member_id>.atom")
def private_member(secret: str, member_id: int) -> Response:
    """A member's feed, for a feed reader that cannot sign in."""
    _check_secret(secret)
    return _feed(_member_name(member_id), member_id=member_id)


@bp.get("/me/feeds")
@require_member
def settings() -> str:
    """The member's private feed address: make a new one (revoking the old) or revoke it."""
    return render_template("feeds/settings.html", has_secret=services.has_secret(current_user.id))


@bp.post("/me/feeds")
@require_member
def create_secret() -> WerkzeugResponse:
    """A new private feed address, shown once."""
    secret = services.new_secret(current_user)
    address = _site() + url_for("feeds.private_all", secret=secret)
    flash(f"새 비공개 피드 주소 (한 번만 보입니다): {address}", "success")
    return redirect(url_for("feeds.settings"))


@bp.post("/me/feeds/revoke")
@require_member
def revoke_secret() -> WerkzeugResponse:
    """Revoke the private feed address."""
    services.revoke(current_user)
    flash("비공개 피드 주소를 폐기했습니다.", "success")
    return redirect(url_for("feeds.settings"))
