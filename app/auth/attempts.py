"""The sign-in limit: each attempt is reserved in the database before its password is
checked, so concurrent guesses cannot all pass; a successful attempt is given back."""

from __future__ import annotations

from datetime import timedelta

from limits import parse
from sqlalchemy import delete, func, select, text

from app.extensions import db
from app.models import LoginAttempt, utcnow


def reserve(keys: list[str], limit: str) -> list[int] | None:
    """Record one attempt under each key, or None (recording nothing) when any key is
    already at `limit` (e.g. "5 per minute") inside its window."""
    item = parse(limit)
    now = utcnow()
    since = now - timedelta(seconds=item.get_expiry())
    _lock_keys(keys)
    rows = [LoginAttempt(key=key, created_at=now) for key in keys]
    db.session.add_all(rows)
    db.session.flush()  # the INSERT takes SQLite's write lock before the counts are read
    for key in keys:
        count = db.session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.key == key, LoginAttempt.created_at > since)
        )
        if (count or 0) > item.amount:
            db.session.rollback()
            return None
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at <= since))
    db.session.commit()
    return [row.id for row in rows]


def _lock_keys(keys: list[str]) -> None:
    """On PostgreSQL, hold each key's lock until commit: under READ COMMITTED a concurrent
    guess would not see this one's uncommitted row, and both would pass. (SQLite's single
    writer already serializes them.) Sorted, so two reservations never wait on each other."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def give_back(attempt_ids: list[int]) -> None:
    """Forget attempts that turned out to be successful sign-ins."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(attempt_ids)))
    db.session.commit()
