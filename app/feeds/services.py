"""Private feed secrets: create (revoking the old one), revoke, look up."""

import hashlib
import secrets

from app.extensions import db
from app.models import FeedToken, Member


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(actor: Member) -> str:
    """A new private feed secret for the actor; the old one stops working. Shown once."""
    secret = secrets.token_urlsafe(24)
    token = db.session.get(FeedToken, actor.id) or FeedToken(member_id=actor.id)
    token.token_hash = _hash(secret)
    db.session.add(token)
    db.session.commit()
    return secret


def revoke(actor: Member) -> bool:
    """Revoke the actor's private feed secret; True when there was one."""
    token = db.session.get(FeedToken, actor.id)
    if token is not None:
        db.session.delete(token)
        db.session.commit()
    return token is not None


def has_secret(member_id: int) -> bool:
    """True when the member has a private feed secret."""
    return db.session.get(FeedToken, member_id) is not None


def member_for(secret: str) -> Member | None:
    """The member whose private feed secret this is, or None."""
    token = db.session.query(FeedToken).filter_by(token_hash=_hash(secret)).one_or_none()
    return db.session.get(Member, token.member_id) if token else None
