"""Fixtures: an app on a fresh SQLite file per test, built by the real migrations."""

import shutil
from pathlib import Path

import pytest
from flask import g

from app import create_app
from app.extensions import db

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """One SQLite file upgraded by the Alembic migrations; each test gets a copy."""
    from flask_migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture
def app(tmp_path, migrated_database):
    """A Studyhall app on its own database file, readable without signing in."""
    path = tmp_path / "studyhall.sqlite3"
    shutil.copy(migrated_database, path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PUBLIC_READ": True,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # scrypt, cheaper than a site's
        }
    )
    # Flask reuses this open app context for every test request, so `g` would outlive a
    # request (Flask-Login's cached user, Flask-WTF's token): start and end each one afresh.
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_globals)
    app.teardown_request(lambda _error: _fresh_request_globals())
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _fresh_request_globals() -> None:
    g.__dict__.clear()


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared real corpus; tests that need it skip when it is absent."""
    if not (CORPUS / "real" / "Tech-Books").is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (it lives beside the project)")
    return CORPUS


@pytest.fixture
def make_member(app):
    """Create a member (with a login when `password` is given) and return it, committed."""
    from tests import factories

    def make(name: str, *, role: str = "member", password: str | None = "password"):
        member = factories.member(name, role=role, login=password is not None, password=password)
        db.session.commit()
        return member

    return make


@pytest.fixture
def login(client):
    """Sign a member in on the test client (without going through the form)."""

    def sign_in(member, on=None):
        target = on or client
        with target.session_transaction() as session:
            session["_user_id"] = str(member.id)
            session["_fresh"] = True
        return target

    return sign_in


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL cluster for the run; skips when PostgreSQL is not installed."""
    from tests.postgres import postgres_bin_dir, start_cluster

    if postgres_bin_dir() is None:
        pytest.skip(
            "PostgreSQL's initdb/pg_ctl are not installed (make test installs them as root)"
        )
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster) -> str:
    """A SQLAlchemy URL of the cluster's `postgres` database."""
    return postgres_cluster.url()
