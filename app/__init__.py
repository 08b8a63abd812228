"""Studyhall: a site for study groups that read a book together."""

import contextlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Flask, abort, render_template
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import settings_from_environment
from app.extensions import csrf, db, limiter, login_manager, migrate
from app.text.files import human_size

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the Studyhall application."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(settings_from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    _trust_proxies(app)
    _read_only_media(app)
    _init_extensions(app)
    _register_blueprints(app)
    _init_features(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    from app.auth import session  # noqa: F401  (the login user loader)
    from app.web import compression

    compression.init_app(app)  # first: its after_request runs last, on the finished response


def _register_blueprints(app: Flask) -> None:
    """Every blueprint, in this order: hooks and context processors run in the order they
    were registered."""
    from app.api import bp as api_bp
    from app.api.tokens_web import bp as api_tokens_bp
    from app.auth.views import bp as auth_bp
    from app.board.views import bp as board_bp
    from app.feeds.views import bp as feeds_bp
    from app.mail.views import bp as mail_bp
    from app.notes.editor import bp as editor_bp
    from app.notes.views import bp as notes_bp
    from app.ratings.views import bp as ratings_bp
    from app.repos.views import bp as repos_bp
    from app.schedule.views import bp as schedule_bp
    from app.search.views import bp as search_bp

    blueprints = (
        notes_bp,  # home, chapters, notes, members
        auth_bp,  # sign-in, invites, profile, admin; the sign-in gate for every page
        board_bp,  # the question board and notifications
        ratings_bp,  # ratings, book dashboard, meeting prep
        search_bp,
        api_bp,  # the JSON API under /api/v1 (bearer tokens, no CSRF)
        api_tokens_bp,  # the profile's API-token forms (cookies, CSRF on)
        editor_bp,  # writing notes in the browser
        repos_bp,  # Git repositories and their push webhook
        schedule_bp,
        mail_bp,
        feeds_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _init_features(app: Flask) -> None:
    """What spans every page: headers, faults, caching, search listeners, commands, errors."""
    from app import faults, models, search
    from app.cli import register_cli
    from app.errors import ServiceError, handle_service_error
    from app.web import badges, caching, page_versions, security  # noqa: F401  (listeners)

    app.jinja_env.globals.update(
        QuestionState=models.QuestionState, question_state_labels=models.QUESTION_STATE_LABELS
    )
    labels = {state.value: label for state, label in models.QUESTION_STATE_LABELS.items()}
    app.jinja_env.globals.update(badges.template_globals(labels))
    security.init_app(app)
    faults.init_app(app)
    app.url_value_preprocessor(_ids_the_database_can_hold)
    caching.init_app(app)
    search.init_app(app)
    register_cli(app)
    _register_error_pages(app)
    # Every service's refusal, on every page and API endpoint: one handler.
    app.register_error_handler(ServiceError, handle_service_error)


def _trust_proxies(app: Flask) -> None:
    """Behind N trusted proxies, the client's address and scheme come from their headers."""
    if hops := app.config.get("TRUSTED_PROXIES", 0):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def _read_only_media(app: Flask) -> None:
    """Open a SQLite file in a folder that cannot be written (read-only media) read-only and
    immutable: a WAL database there has no -shm file and could not be opened at all."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.query.get("uri"):
        return
    path = Path(url.database)
    if url.database == ":memory:" or not path.is_file() or os.access(path.parent, os.W_OK):
        return
    location = quote(str(path.resolve()))
    app.config["SQLALCHEMY_DATABASE_URI"] = (
        f"sqlite:///file:{location}?mode=ro&immutable=1&uri=true"
    )


def _ids_the_database_can_hold(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """An id in the URL beyond SQLite's largest integer is a 404, not an overflow (a 500)."""
    if any(isinstance(v, int) and abs(v) > 2**63 - 1 for v in (values or {}).values()):
        abort(404)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    """WAL (where the file may be written), a busy timeout and foreign keys on each connection."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    # A read-only database keeps its journal mode: reads are still served.
    with contextlib.suppress(dbapi_connection.OperationalError):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _register_error_pages(app: Flask) -> None:
    messages = {
        400: ("잘못된 요청", "요청을 이해하지 못했습니다. 입력한 내용을 확인해 주세요."),
        403: ("권한이 없습니다", "이 작업을 할 권한이 없습니다."),
        404: ("페이지를 찾을 수 없습니다", "주소가 바뀌었거나 삭제된 항목입니다."),
        405: ("허용되지 않는 요청", "이 주소는 그 방식의 요청을 받지 않습니다."),
        413: (
            "파일이 너무 큽니다",
            "한 번에 보낼 수 있는 크기({limit})를 넘었습니다. 더 작은 파일로 다시 올려 주세요.",
        ),
        429: ("요청이 너무 많습니다", "잠시 후 다시 시도해 주세요."),
        500: ("문제가 생겼습니다", "잠시 후 다시 시도해 주세요. 계속되면 관리자에게 알려 주세요."),
    }

    def handler(error: Exception) -> tuple[str, int]:
        code = getattr(error, "code", 500) or 500
        title, text = messages.get(code, messages[500])
        if code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            text = text.format(limit=human_size(limit) if limit else "제한")
        return render_template("error.html", code=code, title=title, text=text), code

    for code in messages:
        app.register_error_handler(code, handler)
