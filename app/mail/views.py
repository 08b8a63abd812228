"""The mail settings page under /me, the signed one-click unsubscribe route, and the book's
chat webhooks page (admins)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.permissions import ensure_admin, require_member
from app.errors import Invalid
from app.extensions import csrf_exempt, db
from app.mail import services, webhooks
from app.mail.outbox import KINDS
from app.mail.tokens import read_token
from app.models import Book, BookWebhook

bp = Blueprint("mail", __name__)


@bp.get("/me/mail")
@require_member
def settings() -> str:
    """The signed-in member's address and, per kind, immediately / digest / never."""
    return render_template(
        "mail/settings.html",
        settings=services.get_settings(current_user.id),
        kinds=KINDS,
        modes=services.MODES,
    )


@bp.post("/me/mail")
@require_member
def save() -> Response:
    """Save the mail settings."""
    modes = {kind: request.form.get(kind, "") for kind in KINDS}
    try:
        services.save_settings(current_user, request.form.get("email", ""), modes)
    except Invalid as error:
        flash(error.message, "error")
    else:
        flash("알림 설정을 저장했습니다.", "success")
    return redirect(url_for("mail.settings"))


@bp.get("/mail/unsubscribe/<token>")
def unsubscribe_page(token: str) -> str:
    """Confirm before unsubscribing (a link preview must not unsubscribe anyone)."""
    found = read_token(token) or abort(404)
    label = KINDS.get(found[1], "하루 모아 보기")
    return render_template("mail/unsubscribe.html", token=token, label=label, done=False)


@bp.post("/mail/unsubscribe/<token>")
@csrf_exempt
def unsubscribe(token: str) -> str:
    """One-click unsubscribe (RFC 8058): the mail client POSTs List-Unsubscribe=One-Click."""
    member_id, kind = read_token(token) or abort(404)
    services.unsubscribe(member_id, kind)
    label = KINDS.get(kind, "하루 모아 보기")
    return render_template("mail/unsubscribe.html", token=token, label=label, done=True)


@bp.get("/books/<int:book_id>/webhooks")
def webhooks_page(book_id: int) -> str:
    """The book's chat webhooks with their last delivery, and a form to add one (admins)."""
    ensure_admin(current_user)
    book = db.session.get(Book, book_id) or abort(404)
    return render_template(
        "mail/webhooks.html",
        book=book,
        hooks=webhooks.book_webhooks(book_id),
        formats=webhooks.FORMATS,
        secret_header=webhooks.SIGNATURE_HEADER,
    )


@bp.post("/books/<int:book_id>/webhooks")
def add_webhook(book_id: int) -> Response:
    """Add a webhook; the signed JSON format's secret is shown once, in the flash message."""
    ensure_admin(current_user)
    db.session.get(Book, book_id) or abort(404)
    url, fmt = request.form.get("url", "").strip(), request.form.get("format", "")
    try:
        hook = webhooks.add_webhook(current_user, book_id, url, fmt)
    except Invalid as error:
        flash(str(error), "error")
    else:
        message = f"웹훅을 추가했습니다: {hook.url}"
        if hook.format == "json":
            message += f" · 서명 비밀값({webhooks.SIGNATURE_HEADER}): {hook.secret}"
        flash(message, "success")
    return redirect(url_for("mail.webhooks_page", book_id=book_id))


@bp.post("/webhooks/<int:webhook_id>/remove")
def remove_webhook(webhook_id: int) -> Response:
    """Remove a webhook and its unsent posts."""
    ensure_admin(current_user)
    hook = db.session.get(BookWebhook, webhook_id) or abort(404)
    book_id = hook.book_id
    webhooks.remove_webhook(current_user, webhook_id)
    flash("웹훅을 지웠습니다.", "success")
    return redirect(url_for("mail.webhooks_page", book_id=book_id))
