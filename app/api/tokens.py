"""Personal API tokens: created and revoked by their member, stored only as SHA-256."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.auth.services import hash_token
from app.errors import Invalid, get_or_404
from app.extensions import db
from app.models import ApiToken, Member, utcnow

PREFIX = "sh_"
NAME_MAX = 100
# last_used_at is written at most this often per token, not on every request.
USE_RECORD_INTERVAL = timedelta(minutes=1)


def create_token(member_id: int, name: str) -> tuple[ApiToken, str]:
    """Create a token for a member; the plain token is returned once and never stored."""
    name = " ".join(name.split())
    if not name:
        raise Invalid("토큰 이름을 입력해 주세요.", "name")
    if len(name) > NAME_MAX:
        raise Invalid(f"토큰 이름은 {NAME_MAX}자까지입니다.", "name")
    get_or_404(Member, member_id, "멤버를 찾을 수 없습니다.")
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(member_id=member_id, name=name, token_hash=hash_token(plain))
    db.session.add(token)
    db.session.commit()
    return token, plain


def revoke_token(member_id: int, token_id: int) -> ApiToken:
    """Revoke one of the member's tokens (revoking twice changes nothing)."""
    token = get_or_404(ApiToken, token_id, "토큰을 찾을 수 없습니다.", member_id=member_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def member_tokens(member_id: int) -> list[ApiToken]:
    """The member's tokens, newest first, revoked ones included."""
    query = (
        select(ApiToken)
        .where(ApiToken.member_id == member_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.scalars(query))


def member_for_token(plain: str) -> Member | None:
    """The active member a live token belongs to, or None; records when it was used."""
    if not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    row = db.session.execute(
        select(ApiToken, Member)
        .join(Member, Member.id == ApiToken.member_id)
        .where(ApiToken.token_hash == hash_token(plain), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    token, member = row
    if not member.is_active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > USE_RECORD_INTERVAL:
        record_use(token, now)
    return member


def record_use(token: ApiToken, now: datetime) -> None:
    """Note when a token was used; a database that refuses writes (full, read-only) skips it."""
    token.last_used_at = now
    try:
        db.session.commit()
    except OperationalError:
        db.session.rollback()
