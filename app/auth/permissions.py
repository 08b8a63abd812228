"""Who may do what, in one place: small checks for services and decorators for views.

The `ensure_*` checks raise app.errors.Forbidden, which the site shows as its 403 page and
the API as a 403 problem.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeGuard, TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.errors import Forbidden
from app.models import Member

View = TypeVar("View", bound=Callable[..., Any])

NOT_ALLOWED = "이 작업을 할 권한이 없습니다."
ADMINS_ONLY = "관리자만 할 수 있습니다."


def is_signed_in(member: Member | None) -> TypeGuard[Member]:
    """True for a member who can sign in (not an anonymous visitor, not a login-less member)."""
    return (
        member is not None and bool(getattr(member, "is_authenticated", False)) and member.has_login
    )


def is_admin(member: Member | None) -> bool:
    """True for a signed-in administrator."""
    return is_signed_in(member) and member.is_admin


def can_edit(member: Member | None, owner_id: int | None) -> bool:
    """True when `member` may edit or delete something owned by `owner_id` (owner or admin)."""
    if not is_signed_in(member):
        return False
    return member.is_admin or (owner_id is not None and member.id == owner_id)


def can_moderate(member: Member | None) -> bool:
    """True when `member` may hide, restore or change anything (an admin)."""
    return is_admin(member)


def ensure_signed_in(member: Member | None) -> Member:
    """Return `member`, or raise Forbidden when nobody is signed in (for services)."""
    if not is_signed_in(member):
        raise Forbidden(NOT_ALLOWED)
    return member


def ensure_can_edit(
    member: Member | None, owner_id: int | None, message: str = NOT_ALLOWED
) -> None:
    """Raise Forbidden(`message`) unless `member` owns `owner_id`'s thing or is an admin."""
    if not can_edit(member, owner_id):
        raise Forbidden(message)


def ensure_admin(member: Member | None, message: str = NOT_ALLOWED) -> None:
    """Raise Forbidden(`message`) unless `member` is an administrator."""
    if not is_admin(member):
        raise Forbidden(message)


def login_redirect() -> Response:
    """A redirect to the sign-in page that comes back to the current page afterwards
    (only for pages: a form's POST address cannot be opened again)."""
    if request.method in ("GET", "HEAD"):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return redirect(url_for("auth.login"))


def require_member(view: View) -> View:
    """View decorator: anonymous visitors are sent to the sign-in page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_redirect()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def admin_required(view: View) -> View:
    """View decorator: anonymous visitors sign in first; members who are not admins get 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_redirect()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def reading_is_public() -> bool:
    """True when PUBLIC_READ lets anonymous visitors read pages."""
    return bool(current_app.config.get("PUBLIC_READ"))
