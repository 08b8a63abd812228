"""Fixtures: an app on a fresh database per test, built by the real migrations.

The database is a SQLite file, or with `--database=postgresql` (or the environment's
STUDYHALL_TEST_DATABASE=postgresql) a database on a throwaway PostgreSQL cluster."""

import itertools
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import g

from app import create_app
from app.extensions import db

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


DATABASES = ("sqlite", "postgresql")
PG_TEMPLATE = "studyhall_template"


def pytest_addoption(parser) -> None:
    """`--database=sqlite|postgresql`: the engine under the `app` fixture."""
    parser.addoption(
        "--database",
        choices=DATABASES,
        default=os.environ.get("STUDYHALL_TEST_DATABASE", "sqlite"),
        help="the database engine the app fixture runs on (default: sqlite)",
    )


def pytest_configure(config) -> None:
    """Register the sqlite_only marker."""
    config.addinivalue_line(
        "markers", "sqlite_only(reason): the test is about SQLite; skipped on PostgreSQL"
    )


def pytest_collection_modifyitems(config, items) -> None:
    """On PostgreSQL, skip the tests marked sqlite_only, with their reason."""
    if config.getoption("--database") != "postgresql":
        return
    for item in items:
        if marker := item.get_closest_marker("sqlite_only"):
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture(scope="session")
def database_engine(request) -> str:
    """The engine tests run on: "sqlite" or "postgresql"."""
    return request.config.getoption("--database")


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


@pytest.fixture(scope="session")
def postgres_template(postgres_cluster) -> str:
    """One database upgraded by the migrations, the template each test's database copies."""
    from flask_migrate import upgrade

    postgres_cluster.sql(f"CREATE DATABASE {PG_TEMPLATE}")
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": postgres_cluster.url(PG_TEMPLATE)}
    )
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return PG_TEMPLATE


@pytest.fixture(scope="session")
def fresh_database(request, database_engine, tmp_path_factory) -> Callable[..., str]:
    """A factory of new migrated databases on the run's engine: each call gives a URL.

    A SQLite database is a copy of one migrated file (in `folder` when given); a PostgreSQL
    one is `CREATE DATABASE … TEMPLATE` of one migrated database (`drop_database` frees it)."""
    numbers = itertools.count(1)
    if database_engine == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        template = request.getfixturevalue("postgres_template")

        def make_postgresql(folder: Path | None = None) -> str:
            name = f"t{next(numbers)}"
            cluster.sql(f"CREATE DATABASE {name} TEMPLATE {template}")
            return cluster.url(name)

        return make_postgresql
    template_file = request.getfixturevalue("migrated_database")
    default_folder = tmp_path_factory.mktemp("databases")

    def make_sqlite(folder: Path | None = None) -> str:
        path = (folder or default_folder) / f"studyhall-{next(numbers)}.sqlite3"
        shutil.copy(template_file, path)
        return f"sqlite:///{path}"

    return make_sqlite


@pytest.fixture(scope="session")
def drop_database(request, database_engine) -> Callable[[str], None]:
    """Drop a PostgreSQL database made by fresh_database (its files are freed at once)."""
    if database_engine != "postgresql":
        return lambda _url: None
    cluster = request.getfixturevalue("postgres_cluster")

    def drop(url: str) -> None:
        name = url.rsplit("/", 1)[1].split("?", 1)[0]
        cluster.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return drop


@pytest.fixture
def app(tmp_path, fresh_database, drop_database):
    """A Studyhall app on its own fresh database, readable without signing in."""
    url = fresh_database(tmp_path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": url,
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
    drop_database(url)


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
