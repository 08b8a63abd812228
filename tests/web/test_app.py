"""The application factory, settings and database connection."""

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db


def test_config_from_test_config(app):
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith(("sqlite:///", "postgresql"))


def test_secret_key_generated_into_instance_once(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr("flask.Flask.instance_path", str(tmp_path), raising=False)
    from app.config import load_secret_key

    first = load_secret_key(str(tmp_path))
    second = load_secret_key(str(tmp_path))
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").read_text() == first


def test_secret_key_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    from app.config import load_secret_key

    assert load_secret_key(str(tmp_path)) == "from-env"


@pytest.mark.sqlite_only(reason="SQLite PRAGMAs (WAL, busy timeout)")
def test_sqlite_pragmas(app):
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/x.sqlite3"


def test_migrations_match_models(app):
    """Every model change has a migration: autogenerate finds nothing left to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.search import is_index_table

    def include(thing, name, kind, _reflected, _compare_to):
        # The search index's tables are the search engine's (PostgreSQL's come from 0007).
        table = thing.table.name if kind == "index" else name
        return not is_index_table(table)

    with db.engine.connect() as connection:
        options = {"render_as_batch": True, "include_object": include}
        context = MigrationContext.configure(connection, opts=options)
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.get_data(as_text=True)
