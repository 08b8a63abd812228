"""Signed one-click unsubscribe links (no sign-in needed, nothing guessable)."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "mail-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(member_id: int, kind: str) -> str:
    """The signed token for one member and one kind of mail ("digest": every digest kind)."""
    return _serializer().dumps([member_id, kind])


def read_token(token: str) -> tuple[int, str] | None:
    """(member_id, kind) from a token, or None when it is forged or malformed."""
    try:
        member_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return int(member_id), str(kind)


def unsubscribe_url(member_id: int, kind: str) -> str:
    """The absolute unsubscribe URL for a mail."""
    base = current_app.config.get("SITE_URL", "http://localhost:5000").rstrip("/")
    return f"{base}/mail/unsubscribe/{unsubscribe_token(member_id, kind)}"
