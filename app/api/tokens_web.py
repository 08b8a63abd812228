"""The API-token section of the profile page: create and revoke personal tokens.

These are cookie-authenticated HTML forms, so they live outside the CSRF-exempt API
blueprint; create_app registers both.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.api import tokens
from app.auth.permissions import require_member
from app.errors import Invalid, NotFound
from app.models import ApiToken

bp = Blueprint("api_tokens", __name__)


@bp.app_template_global()
def api_tokens_of(member_id: int) -> list[ApiToken]:
    """The member's API tokens, for the profile page's token section."""
    return tokens.member_tokens(member_id)


@bp.post("/me/tokens")
@require_member
def create() -> str | Response:
    """Create a token and show it once."""
    try:
        token, plain = tokens.create_token(current_user.id, request.form.get("name", ""))
    except Invalid as error:
        flash(error.message, "error")
        return redirect(url_for("auth.profile", _anchor="api-tokens"))
    return render_template("api/token_created.html", token=token, plain=plain)


@bp.post("/me/tokens/<int:token_id>/revoke")
@require_member
def revoke(token_id: int) -> Response:
    """Revoke one of the signed-in member's tokens."""
    try:
        token = tokens.revoke_token(current_user.id, token_id)
    except NotFound as error:  # a button on the profile: say so there
        flash(error.message, "error")
    else:
        flash(f"'{token.name}' 토큰을 폐기했습니다.", "success")
    return redirect(url_for("auth.profile", _anchor="api-tokens"))
