"""The site the browser tests drive: a real Studyhall on a fresh migrated SQLite file,
seeded through the app's own importer, served by werkzeug on 127.0.0.1 in a thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, got_request_exception
from sqlalchemy import select
from werkzeug.routing import RequestRedirect
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

DATA = Path(__file__).resolve().parent / "data"
BOOK = "분산 시스템 스터디"
PASSWORD = "e2e-비밀번호-2024"
# The members of the seeded group: the two note writers, and an admin who wrote nothing.
MEMBERS = {"지민": "jimin", "서준": "seojun", "관리자": "admin"}


@dataclass
class LiveSite:
    """A running Studyhall and what the tests need to know about it."""

    app: Flask
    url: str
    member_ids: dict[str, int] = field(default_factory=dict)
    import_output: str = ""
    server_errors: list[BaseException] = field(default_factory=list)

    def has_page(self, path: str, method: str = "GET") -> bool:
        """True when some view answers `path` (the page has landed on this branch)."""
        adapter = self.app.url_map.bind("127.0.0.1")
        try:
            adapter.match(path.split("?")[0], method=method)
        except RequestRedirect:
            return True
        except Exception:
            return False
        return True

    def username(self, name: str) -> str:
        """The sign-in name of a seeded member."""
        return MEMBERS[name]


def build_app(database: Path) -> Flask:
    """The app as it runs in production, on its own database file (CSRF on)."""
    return create_app(
        {
            "SECRET_KEY": "e2e-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
            "PUBLIC_READ": False,
        }
    )


def migrate_and_seed(app: Flask, notes: Path = DATA) -> tuple[dict[str, int], str]:
    """Migrate the empty file, import the notes (the test notes unless told), give the
    members logins."""
    from flask_migrate import upgrade

    from app.models import Member
    from tests import factories

    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["notes", "import", str(notes)])
        output = result.output + (f"\n{result.exception!r}" if result.exception else "")
        ids = {}
        for name, username in MEMBERS.items():
            member = db.session.execute(select(Member).where(Member.name == name)).scalar()
            if member is None:
                member = factories.member(name, login=False)
            member.username = username
            member.password_hash = generate_password_hash(PASSWORD)
            member.role = "admin" if username == "admin" else "member"
            db.session.flush()
            ids[name] = member.id
        db.session.commit()
        db.session.remove()
    return ids, output


class ServerThread(threading.Thread):
    """werkzeug's threaded server on 127.0.0.1 with a free port."""

    def __init__(self, app: Flask):
        super().__init__(daemon=True)
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def run(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.shutdown()
        self.server.server_close()
        self.join(timeout=10)


def start_site(database: Path, notes: Path = DATA) -> tuple[LiveSite, ServerThread]:
    """Build, seed and serve a site; the caller stops the returned thread."""
    app = build_app(database)
    ids, output = migrate_and_seed(app, notes)
    server = ServerThread(app)
    site = LiveSite(app=app, url=server.url, member_ids=ids, import_output=output)

    def record(_sender, exception, **_extra):
        site.server_errors.append(exception)

    got_request_exception.connect(record, app, weak=False)
    server.start()
    return site, server


def seeded_paths(site: LiveSite) -> dict[str, str | None]:
    """The URLs of the main pages for the seeded data (None where the data is missing)."""
    from app.models import Book, Note, Question

    with site.app.app_context():
        book_id = db.session.execute(select(Book.id).where(Book.title == BOOK)).scalar()
        note_id = db.session.execute(
            select(Note.id)
            .where(Note.member_id == site.member_ids["지민"], Note.source_key.contains("1장"))
            .order_by(Note.id)
        ).scalar()
        question_id = db.session.execute(select(Question.id).order_by(Question.id)).scalar()
        db.session.remove()
    return {
        "home": "/",
        "login": "/login",
        "board": "/board",
        "search": "/search?q=캐시",
        "member": f"/members/{site.member_ids['지민']}",
        "book": f"/books/{book_id}" if book_id else None,
        "chapter": f"/books/{book_id}/chapters/1" if book_id else None,
        "note": f"/notes/{note_id}" if note_id else None,
        "question": f"/questions/{question_id}" if question_id else None,
        "ask": "/questions/new",
        "new-note": "/notes/new",
        "profile": "/me",
    }


@contextmanager
def with_app(site: LiveSite) -> Iterator:
    """An app context on the live site's database, for calling its services from a test."""
    with site.app.app_context():
        try:
            yield db
        finally:
            db.session.remove()
