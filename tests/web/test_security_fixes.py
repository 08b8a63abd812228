"""Issue 13, security: open redirects, deleted versions, invite and login races, names,
sessions that end, symlinked notes and imported ratings."""

import re
import threading
import unicodedata

import pytest
from sqlalchemy import func, select

from app.api.tokens import create_token
from app.auth import services
from app.extensions import db
from app.models import Asset, Book, Chapter, Invite, Member, Rating
from app.notes import editing
from app.notes.importer import import_path
from app.notes.services import get_or_create_member
from app.ratings.services import rate_chapter
from tests import factories
from tests.web.helpers import limited_app, write_note

IMPORT_MAX = 1_000_000
NOTE = """# 📚 스터디 템플릿

## 📝 내용 정리
- 비밀스러운 정리 문장.

## ⏳ 독서 과정 기록
- **총 독서 시간**: 1시간 30분
"""


def sign_in(client, username, password, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password})


# --- 1. open redirect -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/x",
        "/%0A/x",
        "/%0D%0ALocation:%20//evil.example",
        "/\\evil.example",
        "/%5Cevil.example",
        "///evil.example",
        "/%20/evil.example",
    ],
)
def test_next_never_leaves_the_site(client, make_member, login, target):
    make_member("민지", password="correct-horse")
    response = sign_in(client, "민지", "correct-horse", next_url=target)
    assert response.status_code == 302 and response.location == "/"
    # Signed in already: the GET answers a redirect too, never off-site and never a 500.
    response = client.get(f"/login?next={target}")
    assert response.status_code == 302 and response.location == "/"


def test_a_local_next_is_still_followed(client, make_member):
    make_member("민지", password="correct-horse")
    assert sign_in(client, "민지", "correct-horse", next_url="/board?page=2").location == (
        "/board?page=2"
    )


# --- 4. a deleted note's versions -----------------------------------------------------------


@pytest.fixture
def deleted_note(app, make_member):
    book = factories.book("도커", (3,), {3: "설치"})
    db.session.commit()
    writer = make_member("작성자")
    note = editing.write_note(writer, editing.Draft(NOTE, chapters_text="3", book_id=book.id))
    editing.delete_note(note.id, writer)
    return note


def test_deleted_note_versions_are_hidden_from_members_and_the_public(
    client, deleted_note, make_member, login
):
    url = f"/notes/{deleted_note.id}/versions/1"
    assert client.get(url).status_code == 404  # PUBLIC_READ is on in tests
    login(make_member("다른멤버"))
    response = client.get(url)
    assert response.status_code == 404 and "비밀스러운" not in response.get_data(as_text=True)


def test_an_admin_still_reads_a_deleted_notes_versions(client, deleted_note, make_member, login):
    login(make_member("운영자", role="admin"))
    response = client.get(f"/notes/{deleted_note.id}/versions/1")
    assert response.status_code == 200 and "비밀스러운" in response.get_data(as_text=True)


# --- 3. a single-use invite used by six sessions at once ------------------------------------


def run_together(count, work):
    """Run work(n) in `count` real threads started together; return results, raise errors."""
    start = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(n):
        try:
            start.wait()
            results[n] = work(n)
        except BaseException as error:  # a thread's exception is otherwise lost
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_one_invite_used_by_six_sessions_at_once_makes_one_account(app, make_member):
    assert app.config["SQLALCHEMY_DATABASE_URI"] != "sqlite://"  # a real file or server
    admin = make_member("운영자", role="admin")
    _invite, token = services.create_invite(admin)
    clients = [app.test_client() for _ in range(6)]

    def register(n):
        data = {
            "username": f"newbie{n}",
            "name": f"새친구{n}",
            "password": "long-password",
            "confirm": "long-password",
        }
        return clients[n].post(f"/invite/{token}", data=data).status_code

    statuses = run_together(6, register)
    db.session.expire_all()
    accounts = db.session.scalars(select(Member).where(Member.username.like("newbie%"))).all()
    assert len(accounts) == 1, statuses
    assert statuses.count(302) == 1 and 500 not in statuses
    invite = db.session.scalars(select(Invite)).one()
    assert invite.used_by_id == accounts[0].id


# --- 2 and 11. the sign-in limit: reserved first, and the owner's own browser passes --------


@pytest.fixture
def limited(app, make_member):
    """A second app on the same database file with the sign-in limit on."""
    make_member("민지", password="correct-horse")
    with limited_app(app) as second:
        yield second


def attempt(client, password, address):
    data = {"username": "민지", "password": password}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def test_twenty_concurrent_wrong_passwords_check_at_most_five(limited):
    clients = [limited.test_client() for _ in range(20)]
    statuses = run_together(20, lambda n: attempt(clients[n], "wrong", f"10.1.0.{n}").status_code)
    assert sorted(set(statuses)) == [200, 429]
    assert statuses.count(200) == 5  # each 200 is one password checked and refused
    assert attempt(limited.test_client(), "correct-horse", "10.1.9.9").status_code == 429


def test_the_right_password_from_a_known_device_passes_a_limited_account(limited):
    owner = limited.test_client()
    assert attempt(owner, "correct-horse", "10.2.0.1").status_code == 302
    owner.post("/logout")
    attacker = limited.test_client()
    for n in range(5):
        assert attempt(attacker, "wrong", f"10.3.0.{n}").status_code == 200
    assert attempt(attacker, "correct-horse", "10.3.0.9").status_code == 429
    assert attempt(owner, "correct-horse", "10.2.0.1").status_code == 302


def test_a_known_device_is_still_limited_itself(limited):
    owner = limited.test_client()
    assert attempt(owner, "correct-horse", "10.4.0.1").status_code == 302
    owner.post("/logout")
    for n in range(5):
        assert attempt(owner, "wrong", f"10.4.1.{n}").status_code == 200
    assert attempt(owner, "correct-horse", "10.4.2.1").status_code == 429


def test_a_forged_device_cookie_does_not_lift_the_limit(limited):
    client = limited.test_client()
    client.set_cookie("studyhall_device", '{"u": "민지", "n": "x"}')
    for n in range(5):
        assert attempt(client, "wrong", f"10.5.0.{n}").status_code == 200
    assert attempt(client, "correct-horse", "10.5.1.1").status_code == 429


# --- 6. names people cannot confuse ---------------------------------------------------------


def register(client, name, username):
    data = {"name": name, "username": username, "password": "long-password"}
    data["confirm"] = data["password"]
    return client.post("/register", data=data)


@pytest.fixture
def open_site(app, make_member):
    app.config["OPEN_REGISTRATION"] = True
    make_member("admin", role="admin")
    factories.member("김범석", login=False)  # an imported member without a login
    db.session.commit()
    return app


@pytest.mark.parametrize(
    ("name", "username"),
    [
        ("새 사람", "ａｄｍｉｎ"),  # full-width
        ("새 사람", "admin\u200b"),  # zero-width space
        ("새 사람", "аdmin"),  # Cyrillic а
        ("새 사람", "ADMIN"),
        ("ａｄｍｉｎ", "someone"),
        ("admin\u200b", "someone"),
        ("\u1100\u1175\u11b7\u1107\u1165\u11b7\u1109\u1165\u11a8", "someone"),  # NFD 김범석
        ("김범석\u200b", "someone"),
        ("김 범석", "someone"),
        ("\u3164", "someone"),  # a Hangul filler: an invisible name
    ],
)
def test_look_alike_and_invisible_names_are_refused(client, open_site, name, username):
    response = register(client, name, username)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Member)) == 2


def test_names_are_stored_normalized(client, open_site):
    assert register(client, "Ｊｕｎｅ  Kim", "ｊｕｎｅ").status_code == 302
    member = db.session.scalars(select(Member).where(Member.username.is_not(None))).all()[-1]
    assert (member.name, member.username) == ("June Kim", "june")


def test_an_nfd_folder_name_is_the_same_member(app):
    nfd = unicodedata.normalize("NFD", "김범석")
    assert get_or_create_member(nfd).id == get_or_create_member("김범석").id


# --- 5. sign-out and a password change end sessions server-side -----------------------------


@pytest.fixture
def private(app):
    app.config["PUBLIC_READ"] = False
    return app


def saved_session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_cookie_saved_before_sign_out_no_longer_opens_me(private, client, make_member):
    make_member("민지", password="correct-horse")
    assert sign_in(client, "민지", "correct-horse").status_code == 302
    saved = saved_session_cookie(client)
    assert client.get("/me").status_code == 200
    client.post("/logout")
    thief = private.test_client()
    thief.set_cookie("session", saved)
    assert thief.get("/me").status_code == 302  # to the sign-in page


def test_a_password_change_ends_other_sessions_and_api_tokens(private, make_member):
    make_member("민지", password="correct-horse")
    _token, plain = create_token(db.session.scalars(select(Member)).one().id, "스크립트")
    bearer = {"Authorization": f"Bearer {plain}"}
    laptop, phone = private.test_client(), private.test_client()
    for device in (laptop, phone):
        assert sign_in(device, "민지", "correct-horse").status_code == 302
    assert laptop.get("/api/v1/books", headers=bearer).status_code == 200
    data = {
        "current_password": "correct-horse",
        "password": "new-horse-1",
        "confirm": "new-horse-1",
    }
    assert laptop.post("/me/password", data=data).status_code == 302
    assert laptop.get("/me").status_code == 200  # this browser stays signed in
    assert phone.get("/me").status_code == 302
    assert laptop.get("/api/v1/books", headers=bearer).status_code == 401


# --- 9. the invite link is not in the session cookie ----------------------------------------


def test_the_invite_link_never_travels_in_the_session_cookie(app, client, make_member, login):
    login(make_member("운영자", role="admin"))
    response = client.post("/admin/invites", data={"member_id": "0", "role": "admin", "days": "7"})
    token = re.search(r"/invite/([\w-]+)", response.get_data(as_text=True)).group(1)
    cookie = client.get_cookie("session").value
    contents = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert token not in repr(contents) and "new_invite_link" not in contents


# --- 10. HSTS, CSRF rotation, no-store, private assets --------------------------------------


def test_hsts_only_with_secure_cookies(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_csrf_token_is_rotated_at_sign_in(app, client, make_member):
    app.config["WTF_CSRF_ENABLED"] = True
    make_member("민지", password="correct-horse")
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    with client.session_transaction() as session:
        before = session["csrf_token"]
    data = {"username": "민지", "password": "correct-horse", "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    client.get("/me")
    with client.session_transaction() as session:
        assert session.get("csrf_token") != before


@pytest.mark.parametrize("path", ["/me", "/admin", "/notifications"])
def test_personal_pages_are_never_stored(client, make_member, login, path):
    login(make_member("운영자", role="admin"))
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_assets_are_cached_privately(app, client):
    asset = Asset(sha256="a" * 64, mimetype="image/png", data=b"\x89PNG", filename="x.png")
    db.session.add(asset)
    db.session.commit()
    response = client.get(f"/assets/{asset.id}/x.png")
    assert response.status_code == 200
    assert response.cache_control.private and not response.cache_control.public


# --- 7. the importer stays inside the imported folder ---------------------------------------


def test_a_symlinked_note_pointing_outside_is_skipped_with_a_reason(app, tmp_path):
    outside = write_note(tmp_path / "outside", "비밀책", "남", 1)
    root = tmp_path / "notes"
    write_note(root, "도커", "민지", 1)
    (root / "도커" / "민지" / "[2장] 링크.md").symlink_to(outside)
    (root / "도커" / "민지" / "[3장] 안쪽 링크.md").symlink_to(
        root / "도커" / "민지" / "[1장] 제목 1.md"
    )
    report = import_path(root, max_bytes=IMPORT_MAX)
    assert report.skipped == [("도커/민지/[2장] 링크.md", "가져오는 폴더 밖을 가리키는 링크입니다")]
    assert sorted(report.new) == ["도커/민지/[1장] 제목 1.md", "도커/민지/[3장] 안쪽 링크.md"]
    assert db.session.scalar(select(func.count()).select_from(Book)) == 1


# --- 8. an import never overwrites the web rating of a member with a login ------------------


def rating_of(name, chapter_number):
    return db.session.execute(
        select(Rating.score, Rating.source)
        .join(Member, Rating.member_id == Member.id)
        .join(Chapter, Rating.chapter_id == Chapter.id)
        .where(Member.name == name, Chapter.number == chapter_number)
    ).one()


def test_an_import_keeps_the_web_rating_of_a_member_with_a_login(tmp_path, make_member):
    member = make_member("민지")
    root = tmp_path / "notes"
    write_note(root, "도커", "민지", 1, score=3)
    import_path(root, max_bytes=IMPORT_MAX)
    assert rating_of("민지", 1) == (3.0, "note")  # no web rating yet: the note's score counts
    chapter_row = db.session.scalars(select(Chapter).where(Chapter.number == 1)).one()
    rate_chapter(member, chapter_row, 1.5)
    write_note(root, "도커", "민지", 1, score=5)  # the file changed (or was forged)
    report = import_path(root, max_bytes=IMPORT_MAX)
    assert report.updated == ["도커/민지/[1장] 제목 1.md"]
    assert rating_of("민지", 1) == (1.5, "web")


def test_an_import_still_moves_the_rating_of_a_member_without_a_login(tmp_path, make_member):
    root = tmp_path / "notes"
    write_note(root, "도커", "가져온사람", 1, score=3)
    import_path(root, max_bytes=IMPORT_MAX)
    write_note(root, "도커", "가져온사람", 1, score=5)
    import_path(root, max_bytes=IMPORT_MAX)
    assert rating_of("가져온사람", 1) == (5.0, "note")
