"""The mail settings page under /me and the signed one-click unsubscribe route."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.permissions import require_member
from app.errors import Invalid
from app.extensions import csrf
from app.mail import services
from app.mail.outbox import KINDS
from app.mail.tokens import read_token

bp = Blueprint("mail", __name__)


@bp.get("/me/mail")
@require_member
def settings():
    """The signed-in member's address and, per kind, immediately / digest / never."""
    return render_template(
        "mail/settings.html",
        settings=services.get_settings(current_user.id),
        kinds=KINDS,
        modes=services.MODES,
    )


@bp.post("/me/mail")
@require_member
def save():
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
def unsubscribe_page(token: str):
    """Confirm before unsubscribing (a link preview must not unsubscribe anyone)."""
    found = read_token(token) or abort(404)
    label = KINDS.get(found[1], "하루 모아 보기")
    return render_template("mail/unsubscribe.html", token=token, label=label, done=False)


@bp.post("/mail/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str):
    """One-click unsubscribe (RFC 8058): the mail client POSTs List-Unsubscribe=One-Click."""
    member_id, kind = read_token(token) or abort(404)
    services.unsubscribe(member_id, kind)
    label = KINDS.get(kind, "하루 모아 보기")
    return render_template("mail/unsubscribe.html", token=token, label=label, done=True)
