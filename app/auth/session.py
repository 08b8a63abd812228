"""How Flask-Login finds the signed-in member, and sessions that end on a password change."""

import hashlib

from flask import g, session
from flask_login import login_user

from app.extensions import db, login_manager
from app.models import Member

# The session remembers which password it was signed in with; changing the password
# (elsewhere) ends it. Sessions made without this key (test fixtures) are taken as they are.
PASSWORD_KEY = "_password"
# The member's session generation at sign-in; sign-out and a password change raise the
# member's number, which ends every session signed in before (server-side).
GENERATION_KEY = "_generation"


def password_fingerprint(member: Member) -> str:
    """A short digest of the member's password hash, kept in the (signed) session cookie."""
    return hashlib.sha256((member.password_hash or "").encode()).hexdigest()[:16]


def sign_in(member: Member) -> None:
    """Sign a member in on this browser, with a fresh CSRF token."""
    session.pop("csrf_token", None)  # Flask-WTF makes a new one on the next form
    g.pop("csrf_token", None)
    login_user(member)
    session[PASSWORD_KEY] = password_fingerprint(member)
    session[GENERATION_KEY] = member.session_generation


def load_member(member_id: str) -> Member | None:
    """Return the member behind a session, if they still may sign in with that password."""
    member = db.session.get(Member, int(member_id))
    if member is None or not member.has_login:
        return None
    remembered = session.get(PASSWORD_KEY)
    if remembered is not None and remembered != password_fingerprint(member):
        return None
    if session.get(GENERATION_KEY, 0) != member.session_generation:
        return None
    return member


# Registered by a call, not the decorator: flask_login has no type hints.
login_manager.user_loader(load_member)
login_manager.login_view = "auth.login"
login_manager.login_message = "로그인이 필요합니다."
login_manager.login_message_category = "warning"
