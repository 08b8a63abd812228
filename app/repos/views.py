"""The push webhook and the admin page of repositories."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask.globals import app_ctx
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.permissions import ensure_admin
from app.extensions import csrf_exempt
from app.repos import queries
from app.repos.hooks import pushed_branch, signature_ok
from app.repos.services import request_sync

bp = Blueprint("repos", __name__)


def _app() -> Flask:
    """The application itself, not the proxy: the background sync thread outlives the request."""
    return app_ctx.app


@bp.app_context_processor
def _links_back() -> dict[str, Callable[..., object]]:
    return {
        "note_source_link": queries.note_source_link,
        "version_commit_link": queries.version_commit_link,
    }


@bp.post("/hooks/git/<name>")
@csrf_exempt
def hook(name: str) -> ResponseReturnValue:
    """A push event: checked, then a background sync (202); other branches are ignored."""
    repo = queries.repository_named(name) or abort(404)
    body = request.get_data(cache=False)
    if not signature_ok(repo.secret, body, request.headers):
        return {"error": "서명이 올바르지 않습니다."}, 401
    event = request.headers.get("X-GitHub-Event") or request.headers.get("X-Gitea-Event")
    if event == "ping":
        return {"status": "pong"}, 200
    if pushed_branch(body) != repo.branch:
        return {"status": "다른 브랜치의 푸시라 무시했습니다."}, 200
    request_sync(_app(), repo.id)
    return {"status": "동기화를 시작했습니다."}, 202


@bp.get("/admin/repos")
def admin_list() -> str:
    """The repositories with their last sync, last commit and error."""
    ensure_admin(current_user)
    return render_template("repos/admin.html", repos=queries.all_repositories())


@bp.post("/admin/repos/<name>/sync")
def admin_sync(name: str) -> Response:
    """Start a sync now ("지금 동기화")."""
    ensure_admin(current_user)
    repo = queries.repository_named(name) or abort(404)
    request_sync(_app(), repo.id)
    flash(f"'{repo.name}' 동기화를 시작했습니다.", "success")
    return redirect(url_for("repos.admin_list"))
