"""Every route × (anonymous, the author, another member, admin) → the status code it gets.

The site runs private (PUBLIC_READ off, the default). To cover a new route, add a `Route` to
ROUTES; if it needs something to exist (a note by the author...), create it in `build_world`
and use its id through a `{placeholder}` in the URL. The world is built once, and each case
gets a fresh copy of its database, so a case may change anything.
"""

import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from app.auth import services
from app.board import services as board
from app.extensions import db
from app.feeds.services import new_secret
from app.mail.tokens import unsubscribe_token
from app.models import Asset, BookWebhook, Meeting, NoteVersion, Notification
from tests import factories

ROLES = ("anonymous", "author", "other", "admin")
# Expected "status": a code, or SIGN_IN for a redirect to the sign-in page.
SIGN_IN = "sign-in"


def everyone(code: int, signed_in: int | None = None) -> dict[str, int | str]:
    """Anonymous visitors get `code`; members and admins `signed_in` (default: the same)."""
    member_code = code if signed_in is None else signed_in
    return {"anonymous": code, "author": member_code, "other": member_code, "admin": member_code}


def members(code: int) -> dict[str, int | str]:
    """Any signed-in member gets `code`."""
    return {"anonymous": SIGN_IN, "author": code, "other": code, "admin": code}


def owner_or_admin(code: int) -> dict[str, int | str]:
    """The author and admins get `code`; other members 403."""
    return {"anonymous": SIGN_IN, "author": code, "other": 403, "admin": code}


def owner_only(code: int) -> dict[str, int | str]:
    """Only the owner gets `code`; to anyone else, admins included, it does not exist (404)."""
    return {"anonymous": SIGN_IN, "author": code, "other": 404, "admin": 404}


def admins(code: int) -> dict[str, int | str]:
    """Admins get `code`; members 403."""
    return {"anonymous": SIGN_IN, "author": 403, "other": 403, "admin": code}


@dataclass(frozen=True)
class Route:
    method: str
    url: str
    expected: dict[str, int | str]
    data: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


ROUTES = [
    Route("GET", "/", members(200)),
    Route("GET", "/login", everyone(200, signed_in=302)),
    Route(
        "POST",
        "/login",
        everyone(200, signed_in=302),
        {"username": "nobody", "password": "wrong-one"},
    ),
    Route("POST", "/logout", members(302)),
    Route("GET", "/me", members(200)),
    Route(
        "POST",
        "/me/password",
        members(302),
        {"current_password": "password", "password": "new-password", "confirm": "new-password"},
    ),
    Route("POST", "/me/tokens", members(200), {"name": "봇"}),
    Route("GET", "/me/mail", members(200)),
    Route(
        "POST",
        "/me/mail",
        members(302),
        {
            "email": "a@example.org",
            "answers_to_me": "immediate",
            "answers_on_my_notes": "digest",
            "questions_on_my_chapters": "never",
            "meeting_reminders": "immediate",
        },
    ),
    # Signed unsubscribe links work without signing in (a mail client POSTs them).
    Route("GET", "/mail/unsubscribe/{unsubscribe_token}", everyone(200)),
    Route("POST", "/mail/unsubscribe/{unsubscribe_token}", everyone(200)),
    Route("POST", "/mail/unsubscribe/forged", everyone(404)),
    Route("GET", "/feeds/all.atom", members(200)),
    Route("GET", "/feeds/books/{book_id}.atom", members(200)),
    Route("GET", "/feeds/members/{author_id}.atom", members(200)),
    # A private feed URL works for anyone holding its secret, signed in or not.
    Route("GET", "/feeds/private/{feed_secret}/all.atom", everyone(200)),
    Route("GET", "/feeds/private/{feed_secret}/books/{book_id}.atom", everyone(200)),
    Route("GET", "/feeds/private/{feed_secret}/members/{author_id}.atom", everyone(200)),
    Route("GET", "/feeds/private/wrong/all.atom", everyone(404)),
    Route("GET", "/me/feeds", members(200)),
    Route("POST", "/me/feeds", members(302)),
    Route("POST", "/me/feeds/revoke", members(302)),
    Route("GET", "/books/{book_id}/schedule", admins(200)),
    Route(
        "POST", "/books/{book_id}/schedule", admins(302), {"date": "2027-01-04", "chapters": "1"}
    ),
    Route("POST", "/schedule/{meeting_id}/remove", admins(302)),
    Route("GET", "/meetings/{meeting_id}", members(200)),
    Route("GET", "/books/{book_id}/webhooks", admins(200)),
    Route(
        "POST",
        "/books/{book_id}/webhooks",
        admins(302),
        {"url": "https://x.example", "format": "slack"},
    ),
    Route("POST", "/webhooks/{webhook_id}/remove", admins(302)),
    # Revoking someone else's (or no) token only says it was not found.
    Route("POST", "/me/tokens/999999/revoke", members(302)),
    Route("GET", "/invite/{invite_token}", everyone(200, signed_in=302)),
    Route(
        "POST",
        "/invite/{invite_token}",
        everyone(302),
        {
            "name": "새 멤버",
            "username": "newbie",
            "password": "long-password",
            "confirm": "long-password",
        },
    ),
    Route("GET", "/invite/not-a-token", everyone(404, signed_in=302)),
    Route("GET", "/register", everyone(404)),  # closed unless OPEN_REGISTRATION
    Route("GET", "/admin", admins(200)),
    Route("POST", "/admin/invites", admins(200), {"member_id": "0", "role": "member", "days": "7"}),
    Route("POST", "/admin/invites/{invite_id}/revoke", admins(302)),
    Route("GET", "/admin/repos", admins(200)),
    Route("POST", "/admin/repos/nope/sync", admins(404)),  # ensure_admin comes first
    Route("POST", "/hooks/git/nope", everyone(404)),  # signature-checked, no session
    Route("GET", "/static/css/app.css", everyone(200)),
    # Reading pages (notes, ratings).
    Route("GET", "/books/{book_id}", members(200)),
    Route("GET", "/books/{book_id}/chapters/{chapter_number}", members(200)),
    Route("GET", "/notes/{note_id}", members(200)),
    Route("GET", "/notes/{note_id}/versions/1", members(200)),
    Route("GET", "/members/{author_id}", members(200)),
    Route("GET", "/assets/{asset_id}/a.png", members(200)),
    Route("GET", "/search?q=1장", members(200)),
    # Ratings: meeting prep, CSV exports, a member's own score.
    Route("GET", "/books/{book_id}/chapters/{chapter_number}/prep", members(200)),
    Route("GET", "/books/{book_id}/export/ratings.csv", members(200)),
    Route("GET", "/books/{book_id}/export/reading-times.csv", members(200)),
    Route(
        "POST", "/books/{book_id}/chapters/{chapter_number}/rating", members(302), {"score": "4"}
    ),
    # Writing notes (an empty form is refused before anything is parsed: 400).
    Route("GET", "/notes/new", members(200)),
    Route("POST", "/notes/new", members(400)),
    Route("POST", "/notes/preview", members(200)),
    Route("GET", "/notes/{note_id}/edit", owner_or_admin(200)),
    Route("POST", "/notes/{note_id}/edit", owner_or_admin(400)),
    Route("POST", "/notes/{note_id}/preview", owner_or_admin(200)),
    Route("GET", "/notes/{note_id}/delete", owner_or_admin(200)),
    Route("POST", "/notes/{note_id}/delete", owner_or_admin(302)),
    Route("POST", "/notes/{note_id}/restore", admins(302)),
    # The question board (the world's question and answer are the author's; the notification
    # is the author's, for another member's answer).
    Route("GET", "/board", members(200)),
    Route("GET", "/questions/{question_id}", members(200)),
    Route("GET", "/questions/new", members(200)),
    Route("POST", "/questions/new", members(200), {"title": "", "submit": "1"}),
    Route("POST", "/questions/{question_id}/answers", members(302), {"body": "답", "submit": "1"}),
    Route("GET", "/questions/{question_id}/edit", owner_or_admin(200)),
    Route(
        "POST",
        "/questions/{question_id}/edit",
        owner_or_admin(302),
        {"title": "고친 제목", "body": "고친 본문", "submit": "1"},
    ),
    Route("POST", "/questions/{question_id}/vote", members(302)),
    Route("POST", "/questions/{question_id}/reopen", owner_or_admin(302)),
    Route("POST", "/questions/{question_id}/delete", owner_or_admin(302)),
    Route("POST", "/questions/{question_id}/hide", admins(302)),
    Route("POST", "/questions/{question_id}/restore", admins(302)),
    Route("GET", "/answers/{answer_id}/edit", owner_or_admin(200)),
    Route(
        "POST", "/answers/{answer_id}/edit", owner_or_admin(302), {"body": "고친 답", "submit": "1"}
    ),
    Route("POST", "/answers/{answer_id}/accept", owner_or_admin(302)),
    Route("POST", "/answers/{answer_id}/unaccept", owner_or_admin(302)),
    Route("POST", "/answers/{answer_id}/delete", owner_or_admin(302)),
    Route("POST", "/answers/{answer_id}/hide", admins(302)),
    Route("POST", "/answers/{answer_id}/restore", admins(302)),
    Route("POST", "/board/preview", members(200), {"body": "**굵게**"}),
    Route("GET", "/notifications", members(200)),
    Route("POST", "/notifications/read", members(302)),
    Route("POST", "/notifications/{notification_id}/read", owner_only(302)),
    Route("POST", "/notifications/{notification_id}/open", owner_only(302)),
]


@dataclass
class World:
    """The ids of the matrix's people and of what its URLs refer to."""

    people: dict[str, int]
    ids: dict[str, object]


def build_world() -> World:
    """Create the author, another member, an admin, and what the routes point at."""
    people = {
        role: factories.member(role, role=member_role, password="password")
        for role, member_role in (("author", "member"), ("other", "member"), ("admin", "admin"))
    }
    db.session.commit()
    invite, token = services.create_invite(people["admin"])
    book = factories.book("책", (1,), {1: "1장"})
    chapter = factories.chapter(book, 1)
    note = factories.note(
        book,
        people["author"],
        (1,),
        source_key="author/[1장].md",
        title="1장 노트",
        source="# 1장",
        content_hash="0" * 64,
        html="<h1>1장</h1>",
    )
    note.versions.append(
        NoteVersion(number=1, source="# 1장", content_hash="0" * 64, author=people["author"])
    )
    asset = Asset(sha256="0" * 64, filename="a.png", mimetype="image/png", data=b"png")
    db.session.add(asset)
    db.session.commit()
    question = board.ask_question(
        people["author"], book_id=book.id, chapter_number=1, title="질문", body="본문"
    )
    answer = board.post_answer(people["author"], question.id, "내 답")
    board.post_answer(people["other"], question.id, "다른 사람의 답")  # notifies the author
    notification_id = db.session.scalar(select(Notification.id))
    meeting = Meeting(book_id=book.id, date=date(2027, 1, 4), chapters="1")
    webhook = BookWebhook(book_id=book.id, url="https://chat.example", format="slack", secret="s")
    db.session.add_all([meeting, webhook])
    db.session.commit()
    ids = {
        "invite_id": invite.id,
        "invite_token": token,
        "author_id": people["author"].id,
        "book_id": book.id,
        "chapter_number": chapter.number,
        "note_id": note.id,
        "asset_id": asset.id,
        "question_id": question.id,
        "answer_id": answer.id,
        "notification_id": notification_id,
        "meeting_id": meeting.id,
        "webhook_id": webhook.id,
        "feed_secret": new_secret(people["author"]),
        "unsubscribe_token": unsubscribe_token(people["author"].id, "meeting_reminders"),
    }
    return World({role: member.id for role, member in people.items()}, ids)


@pytest.fixture(scope="module")
def world_template(request, tmp_path_factory, database_engine, migrated_database):
    """The world, built once into a database each case gets a copy of: (file or name, World)."""
    if database_engine == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        template = request.getfixturevalue("postgres_template")
        cluster.sql(f"CREATE DATABASE matrix_world TEMPLATE {template}")
        url, where = cluster.url("matrix_world"), "matrix_world"
    else:
        path = tmp_path_factory.mktemp("matrix") / "world.sqlite3"
        shutil.copy(migrated_database, path)
        url, where = f"sqlite:///{path}", path
    builder = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url})
    with builder.app_context():
        world = build_world()
        db.session.remove()
        db.engine.dispose()  # the last connection folds the WAL into the file
    yield where, world
    if database_engine == "postgresql":
        cluster.sql("DROP DATABASE IF EXISTS matrix_world WITH (FORCE)")


@pytest.fixture
def world(request, app, world_template, database_engine) -> World:
    """The test app's database replaced by a copy of the world (before it is first opened)."""
    template, world = world_template
    db.session.remove()
    db.engine.dispose()
    if database_engine == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        name = db.engine.url.database
        cluster.sql(f"DROP DATABASE {name} WITH (FORCE)")
        cluster.sql(f"CREATE DATABASE {name} TEMPLATE {template}")
    else:
        database = Path(db.engine.url.database)
        for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copy(template, database)
    app.config["PUBLIC_READ"] = False
    return world


CASES = [pytest.param(route, role, id=f"{route}-{role}") for route in ROUTES for role in ROLES]


@pytest.mark.parametrize(("route", "role"), CASES)
def test_authorization_matrix(world, client, route, role):
    if role != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = str(world.people[role])
    url = route.url.format(**world.ids)
    response = client.open(url, method=route.method, data=route.data)
    expected = route.expected[role]
    if expected == SIGN_IN:
        assert response.status_code == 302, f"{route} as {role}"
        assert response.location.startswith("/login"), f"{route} as {role}"
    else:
        assert response.status_code == expected, f"{route} as {role}"


def test_every_route_is_in_the_matrix(app):
    """A new route must be added to ROUTES (or to UNLISTED with the reason)."""
    listed = {(route.method, route.url.split("{")[0].split("?")[0]) for route in ROUTES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") or rule.endpoint in UNLISTED:
            continue
        prefix = rule.rule.split("<")[0]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if not any(m == method and url.startswith(prefix) for m, url in listed):
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert missing == []


# Endpoints the matrix does not walk, with the reason.
UNLISTED = {
    "auth.register": "covered above at /register; its POST only exists with OPEN_REGISTRATION",
}
