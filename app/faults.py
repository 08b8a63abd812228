"""Faults answered plainly: NUL in a query, a full disk, a read-only database (503)."""

from __future__ import annotations

import errno
import sqlite3

from flask import Flask, Response, abort, make_response, render_template, request
from sqlalchemy.exc import OperationalError

# What a write hears from SQLite or the OS when it cannot be stored.
STORAGE_FULL = "저장 공간이 부족합니다. 관리자에게 알려 주세요. 읽기는 계속할 수 있습니다."
READ_ONLY = "지금은 읽기 전용입니다. 글쓰기와 수정은 잠시 후 다시 시도해 주세요."


def storage_fault(error: BaseException) -> str | None:
    """STORAGE_FULL or READ_ONLY when an error means the storage refuses writes, else None."""
    cause = getattr(error, "orig", None) or error
    if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
        return STORAGE_FULL
    if isinstance(cause, OSError) and cause.errno == errno.EROFS:
        return READ_ONLY
    if isinstance(cause, sqlite3.OperationalError | sqlite3.DatabaseError):
        text = str(cause).lower()
        if "database or disk is full" in text:
            return STORAGE_FULL
        if "readonly" in text or "read-only" in text:
            return READ_ONLY
    return None


def _reject_nul_in_query() -> None:
    """A NUL in the query string is never meaningful (SQLite stops reading at it): a 400."""
    if any("\x00" in value for value in request.args.values()):
        abort(400)


def init_app(app: Flask) -> None:
    """Refuse NULs in queries; answer storage errors with a 503 and a Korean message."""
    app.before_request(_reject_nul_in_query)

    def handle(error: Exception) -> Response:
        message = storage_fault(error)
        if message is None:
            raise error
        return _unavailable(message)

    app.register_error_handler(OperationalError, handle)
    app.register_error_handler(sqlite3.OperationalError, handle)
    app.register_error_handler(OSError, handle)


def _unavailable(message: str) -> Response:
    """A 503: problem+json under /api/, else the site's error page."""
    from app.api.problems import problem_response
    from app.extensions import db

    db.session.rollback()
    if request.blueprint == "api":
        response = problem_response(503, message)
    else:
        page = render_template("error.html", code=503, title="잠시 쓸 수 없습니다", text=message)
        response = make_response(page, 503)
    response.headers["Retry-After"] = "60"
    return response
