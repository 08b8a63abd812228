"""Sign-in, sign-out, invites, registration, the profile and the admin page."""

import secrets
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from app.auth import attempts, services
from app.auth.forms import (
    AcceptInviteForm,
    InviteForm,
    LoginForm,
    PasswordChangeForm,
    RegisterForm,
)
from app.auth.permissions import (
    admin_required,
    can_edit,
    can_moderate,
    login_redirect,
    reading_is_public,
    require_member,
)
from app.auth.session import sign_in
from app.errors import Invalid, NotFound, attach_to_form
from app.models import Member
from app.web.forms import EmptyForm
from app.web.query_args import page_number

bp = Blueprint("auth", __name__)

# Endpoints an anonymous visitor may reach even when reading is not public.
OPEN_ENDPOINTS = frozenset(
    {"auth.login", "auth.accept_invite", "auth.register", "static"}
    | {"repos.hook"}  # a Git host's push webhook, checked by its signature
    | {"mail.unsubscribe_page", "mail.unsubscribe"}  # signed links in mail
    | {"feeds.private_all", "feeds.private_book", "feeds.private_member"}  # secret URLs
)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@bp.app_context_processor
def permission_helpers() -> dict[str, Any]:
    """`can_edit(member, owner_id)` and `can_moderate(member)` in every template."""
    return {"can_edit": can_edit, "can_moderate": can_moderate}


@bp.before_app_request
def require_sign_in() -> Response | None:
    """Only signed-in members see pages, unless PUBLIC_READ opens reading to everyone."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in OPEN_ENDPOINTS or endpoint.startswith("api."):
        return None  # unknown URLs 404; the API checks its bearer tokens itself
    if current_user.is_authenticated:
        return None
    if request.method in READ_METHODS and reading_is_public():
        return None
    return login_redirect()


@bp.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> ResponseReturnValue:
    """A missing, forged or expired CSRF token: say so clearly; nothing was saved."""
    text = (
        "보안 확인 토큰이 없거나 만료되었습니다. 아무것도 저장되지 않았습니다. "
        "이전 페이지를 새로 고친 뒤 다시 시도해 주세요."
    )
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(error="csrf", message=text), 400
    title = "보안 확인에 실패했습니다"
    return render_template("error.html", code=400, title=title, text=text), 400


@bp.errorhandler(429)
def too_many_sign_ins(error: Exception) -> tuple[str, int]:
    """Too many failed sign-ins: the same message whether or not the account exists."""
    title = "로그인 시도가 너무 많습니다"
    text = "잠시(1분쯤) 기다린 뒤 다시 로그인해 주세요."
    return render_template("error.html", code=429, title=title, text=text), 429


# --- signing in and out ---------------------------------------------------------------------


def _login_limit() -> str:
    return str(current_app.config.get("LOGIN_RATE_LIMIT", "5 per minute"))


DEVICE_COOKIE = "studyhall_device"
DEVICE_SALT = "studyhall.known-device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def _known_device(username: str) -> str | None:
    """The nonce of this browser's signed known-device cookie, when it was set by a
    successful sign-in to this account."""
    try:
        value = _device_serializer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return None
    if isinstance(value, dict) and value.get("u") == username:
        return str(value.get("n"))
    return None


def _remember_device(response: Response, username: str) -> None:
    """Mark this browser as one the account's owner signs in from."""
    value = _device_serializer().dumps({"u": username, "n": secrets.token_urlsafe(12)})
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        samesite="Lax",
    )


def _reserve_attempt(username: str) -> list[int]:
    """Reserve this attempt under its address and its account (or, from a known device of
    the account, under that device), or answer 429: guessers elsewhere cannot lock the
    owner's own browser out."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return []
    username = services.normalize_username(username)
    device = _known_device(username)
    account_key = f"device:{username}:{device}" if device else f"account:{username}"
    keys = [f"address:{request.remote_addr or 'unknown'}", account_key]
    reserved = attempts.reserve(keys, _login_limit())
    if reserved is None:
        abort(429)
    return reserved


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after signing in (no control characters, spaces
    or backslashes, which browsers drop or read as a slash)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not any(ch.isspace() or ch == "\\" or ord(ch) < 32 or ord(ch) == 127 for ch in target)
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("notes.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """The sign-in form."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        username = form.username.data or ""  # DataRequired: never empty here
        reserved = _reserve_attempt(username)
        member = services.authenticate(username, form.password.data or "")
        if member is not None:
            attempts.give_back(reserved)
            sign_in(member)
            flash(f"{member.name} 님, 어서 오세요.", "success")
            response = redirect(_safe_next(request.args.get("next")))
            _remember_device(response, services.normalize_username(member.username or ""))
            return response
        error = "아이디 또는 비밀번호가 맞지 않습니다."
    return render_template("auth/login.html", form=form, error=error)


@bp.post("/logout")
def logout() -> Response:
    """Sign out (a POST with a CSRF token, so no other site can sign a member out); the
    member's saved session cookies stop working too, on every device."""
    if current_user.is_authenticated:
        services.end_sessions(current_user.id)
    logout_user()
    flash("로그아웃했습니다.", "success")
    return redirect(url_for("auth.login"))


def _sign_in_after(
    form: Any, call: Callable[[], Member], message: str, to: str = "notes.home"
) -> Response | None:
    """Run an account change; when it is refused, show why on the form (None), else sign the
    member in (again) and go on to `to` with `message` ({name}: the member's name)."""
    try:
        member = call()
    except Invalid as error:
        attach_to_form(form, error)
        return None
    sign_in(member)
    flash(message.format(name=member.name), "success")
    return redirect(url_for(to))


# --- the profile ----------------------------------------------------------------------------


@bp.get("/me")
@require_member
def profile() -> str:
    """The signed-in member's own page: account details and password change."""
    return render_template("auth/profile.html", password_form=PasswordChangeForm())


@bp.post("/me/password")
@require_member
def change_password() -> Response | tuple[str, int]:
    """Change one's own password."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        change = partial(
            services.change_password,
            current_user.id,
            form.current_password.data or "",  # DataRequired: never empty here
            form.password.data or "",
            form.confirm.data or "",
        )
        # This browser stays signed in; other sessions end.
        done = "비밀번호를 바꿨습니다. 다른 기기에서는 다시 로그인해야 합니다."
        if signed_in := _sign_in_after(form, change, done, "auth.profile"):
            return signed_in
    return render_template("auth/profile.html", password_form=form), 400


# --- invites and registration ---------------------------------------------------------------


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str) -> ResponseReturnValue:
    """The invited person picks a username and password."""
    if current_user.is_authenticated:
        flash("이미 로그인되어 있습니다. 초대 링크는 로그아웃한 뒤 열어 주세요.", "warning")
        return redirect(url_for("notes.home"))
    try:
        invite = services.open_invite(token)
    except NotFound as error:
        return render_template("auth/invite_invalid.html", message=error.message), 404
    form = AcceptInviteForm()
    if form.validate_on_submit():
        accept = partial(
            services.accept_invite,
            token,
            username=form.username.data or "",  # DataRequired: never empty here
            password=form.password.data or "",
            confirm=form.confirm.data or "",
            name=form.name.data,
        )
        welcome = "{name} 님, 환영합니다! 계정이 만들어졌습니다."
        if signed_in := _sign_in_after(form, accept, welcome):
            return signed_in
    return render_template("auth/invite.html", form=form, invite=invite)


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    """Open registration, only when OPEN_REGISTRATION is on."""
    if not current_app.config.get("OPEN_REGISTRATION"):
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("notes.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        create = partial(
            services.register,
            name=form.name.data or "",  # DataRequired: never empty here
            username=form.username.data or "",
            password=form.password.data or "",
            confirm=form.confirm.data or "",
        )
        if signed_in := _sign_in_after(form, create, "{name} 님, 환영합니다!"):
            return signed_in
    return render_template("auth/register.html", form=form)


# --- administration -------------------------------------------------------------------------


def _render_admin(
    invite_form: InviteForm, status: int = 200, new_link: str | None = None
) -> tuple[str, int]:
    overview = services.admin_overview(page_number(request.args.get("page")))
    invite_form.set_member_choices(overview.unclaimed)
    return render_template(
        "auth/admin.html",
        overview=overview,
        invite_form=invite_form,
        new_link=new_link,
        invite_state=services.invite_state,
    ), status


@bp.get("/admin")
@admin_required
def admin() -> tuple[str, int]:
    """Members (with and without a login) and invites."""
    return _render_admin(InviteForm())


@bp.post("/admin/invites")
@admin_required
def create_invite() -> tuple[str, int]:
    """Create an invite link; it is shown once, on the page this returns."""
    form = InviteForm()
    if form.validate_on_submit():
        try:
            _invite, token = services.create_invite(
                current_user,
                member_id=form.member_id.data or None,
                role=form.role.data,
                days=form.days.data or services.INVITE_DAYS_DEFAULT,  # InputRequired: always set
            )
        except Invalid as error:
            attach_to_form(form, error)
        else:
            # Shown once, on this answer (never in the readable session cookie); only the
            # token's hash is kept.
            link = url_for("auth.accept_invite", token=token, _external=True)
            flash("초대 링크를 만들었습니다. 이 링크는 지금 한 번만 보입니다.", "success")
            return _render_admin(InviteForm(formdata=None), new_link=link)
    return _render_admin(form, 400)


@bp.post("/admin/invites/<int:invite_id>/revoke")
@admin_required
def revoke_invite(invite_id: int) -> Response:
    """End a pending invite so its link stops working."""
    if EmptyForm().validate_on_submit():
        try:
            services.revoke_invite(current_user, invite_id)
        except NotFound as error:  # a button on the admin page: say so there
            flash(error.message, "error")
        else:
            flash("초대를 취소했습니다.", "success")
    return redirect(url_for("auth.admin"))
