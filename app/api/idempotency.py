"""`Idempotency-Key` on the API's POSTs: a retry with the same key gets the first answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from flask import Response, g, request
from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

from app.api.problems import ApiProblem
from app.extensions import db
from app.models import IdempotencyKey, utcnow

HEADER = "Idempotency-Key"
KEY_MAX = 200
# A reservation whose request never answered (the worker crashed) may be taken over after this.
RESERVATION_SECONDS = 60
IN_PROGRESS = "같은 키의 요청을 아직 처리하고 있습니다. 잠시 후 다시 시도해 주세요."


def replay_or_reserve() -> Response | None:
    """Answer a POST whose key was seen with its first response; else reserve the key."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None or getattr(g, "api_token_hash", None) is None:
        return None
    if not key.strip() or len(key) > KEY_MAX or not key.isprintable():
        raise ApiProblem(400, f"{HEADER}는 1~{KEY_MAX}자의 보이는 문자여야 합니다.")
    found = _find(key)
    if found is None:
        _reserve(key)
        return None
    if found.path != request.path:
        raise ApiProblem(422, f"이 {HEADER}는 다른 요청({found.path})에 이미 쓰였습니다.")
    if found.status is None:
        _take_over(found)
        return None
    # The API answers refusals as problem documents, everything else as JSON.
    mimetype = "application/problem+json" if found.status >= 400 else "application/json"
    response = Response(found.body, status=found.status, mimetype=mimetype)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _find(key: str) -> IdempotencyKey | None:
    query = select(IdempotencyKey).where(
        IdempotencyKey.token_hash == g.api_token_hash, IdempotencyKey.key == key
    )
    return db.session.scalars(query).first()


def _reserve(key: str) -> None:
    """Claim the key before the work (two racing requests: the second hears 409)."""
    db.session.add(IdempotencyKey(token_hash=g.api_token_hash, key=key, path=request.path))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ApiProblem(409, IN_PROGRESS) from None
    g.idempotency_key = key


def _take_over(found: IdempotencyKey) -> None:
    """A reservation still running answers 409; one older than RESERVATION_SECONDS was left by
    a request that crashed, and this request takes it (only one of several racing wins)."""
    now = utcnow()
    # An UPDATE gives a CursorResult (which has rowcount); Session.execute is typed as Result.
    taken = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(IdempotencyKey)
            .where(
                IdempotencyKey.id == found.id,
                IdempotencyKey.status.is_(None),
                IdempotencyKey.created_at < now - timedelta(seconds=RESERVATION_SECONDS),
            )
            .values(created_at=now)
        ),
    )
    db.session.commit()
    if taken.rowcount != 1:
        raise ApiProblem(409, IN_PROGRESS)
    g.idempotency_key = found.key


def remember(response: Response) -> Response:
    """Store the first answer under its key; an error of ours (5xx) frees the key to retry."""
    key = getattr(g, "idempotency_key", None)
    if key is None:
        return response
    db.session.rollback()
    found = _find(key)
    if found is not None:
        if response.status_code >= 500:
            db.session.delete(found)
        else:
            found.status, found.body = response.status_code, response.get_data(as_text=True)
        db.session.commit()
    return response
