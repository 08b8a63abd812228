"""Signing in and out, passwords, the gate, CSRF, cookies and upload limits."""

import re

import pytest
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models import Member

WRONG = "아이디 또는 비밀번호가 맞지 않습니다."


@pytest.fixture
def private(app):
    """The default site: only signed-in members see pages."""
    app.config["PUBLIC_READ"] = False
    return app


def sign_in(client, username, password, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password})


def change_password(client, current, new, confirm=None):
    """Post the password form (confirming `new` unless told otherwise)."""
    data = {"current_password": current, "password": new, "confirm": confirm or new}
    return client.post("/me/password", data=data)


def page(response) -> str:
    return response.get_data(as_text=True)


# --- signing in and out ---------------------------------------------------------------------


def test_login_page_has_labelled_fields(client):
    html = page(client.get("/login"))
    assert '<label for="username">아이디</label>' in html
    assert '<label for="password">비밀번호</label>' in html


def test_sign_in_then_out(client, make_member):
    member = make_member("민지", password="correct-horse")
    response = sign_in(client, "민지", "correct-horse")
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert session["_user_id"] == str(member.id)
    home = page(client.get("/"))
    assert "민지" in home and "로그아웃" in home

    response = client.post("/logout")
    assert response.status_code == 302 and response.location.endswith("/login")
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_username_is_case_insensitive(client, make_member):
    make_member("Alice", password="correct-horse")
    assert sign_in(client, "alice", "correct-horse").status_code == 302


def test_sign_in_follows_only_local_next(client, make_member):
    make_member("민지", password="correct-horse")
    response = sign_in(client, "민지", "correct-horse", next_url="/board")
    assert response.location == "/board"
    client.post("/logout")
    response = sign_in(client, "민지", "correct-horse", next_url="//evil.example/x")
    assert response.location == "/"


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_member):
    make_member("민지", password="correct-horse")
    wrong_password = sign_in(client, "민지", "nope-nope")
    unknown_user = sign_in(client, "nobody", "nope-nope")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert WRONG in page(wrong_password) and WRONG in page(unknown_user)

    def without_token(html):
        return re.sub(r'value="[^"]*"', "", html)

    assert without_token(page(wrong_password)).replace("민지", "") == without_token(
        page(unknown_user)
    ).replace("nobody", "")
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_member_without_login_cannot_sign_in(client, make_member):
    make_member("김범석", password=None)
    assert WRONG in page(sign_in(client, "김범석", "anything"))


def test_empty_form_says_what_is_missing(client):
    response = client.post("/login", data={})
    assert response.status_code == 200
    assert "이 칸을 채워 주세요." in page(response)


def test_password_is_stored_as_scrypt(runner, app):
    result = runner.invoke(
        args=["users", "create-admin", "root", "--password-stdin"], input="pw-123456\n"
    )
    assert result.exit_code == 0, result.output
    member = db.session.query(Member).filter_by(username="root").one()
    assert member.password_hash.startswith("scrypt:")


# --- password change ------------------------------------------------------------------------


def test_password_change(client, make_member, login):
    member = make_member("민지", password="old-password")
    login(member)
    response = change_password(client, "old-password", "new-password")
    assert response.status_code == 302
    db.session.refresh(member)
    assert check_password_hash(member.password_hash, "new-password")
    client.post("/logout")
    assert WRONG in page(sign_in(client, "민지", "old-password"))
    assert sign_in(client, "민지", "new-password").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong-password", "new-password", "new-password", "현재 비밀번호가 맞지 않습니다."),
        ("old-password", "short", "short", "비밀번호는 8자 이상이어야 합니다."),
        ("old-password", "new-password", "other-password", "비밀번호 확인이 일치하지 않습니다."),
    ],
)
def test_password_change_refused(client, make_member, login, current, new, confirm, message):
    member = make_member("민지", password="old-password")
    login(member)
    response = change_password(client, current, new, confirm)
    assert response.status_code == 400
    assert message in page(response)
    db.session.refresh(member)
    assert check_password_hash(member.password_hash, "old-password")


def test_profile_shows_the_member(client, make_member, login):
    login(make_member("민지"))
    html = page(client.get("/me"))
    assert "내 정보" in html and "민지" in html and "비밀번호 바꾸기" in html


# --- the header -----------------------------------------------------------------------------


def test_nav_for_anonymous_member_and_admin(client, make_member, login):
    assert "로그인" in page(client.get("/")) and "로그아웃" not in page(client.get("/"))
    login(make_member("민지"))
    html = page(client.get("/"))
    assert "내 정보" in html and "로그아웃" in html and 'href="/admin"' not in html
    login(make_member("관리", role="admin"))
    assert 'href="/admin"' in page(client.get("/"))


# --- the gate -------------------------------------------------------------------------------


def test_private_site_sends_anonymous_visitors_to_sign_in(private, client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")
    assert client.get("/login").status_code == 200
    assert client.get("/static/css/app.css").status_code == 200


def test_private_site_keeps_next_page(private, client, make_member):
    make_member("민지", password="correct-horse")
    assert client.get("/me?tab=1").location == "/login?next=/me?tab%3D1"
    response = sign_in(client, "민지", "correct-horse", next_url="/me?tab%3D1")
    assert response.location == "/me?tab=1"


def test_private_site_lets_the_api_check_its_own_tokens(private, client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404  # not a redirect to the sign-in page


def test_private_site_serves_signed_in_members(private, client, make_member, login):
    login(make_member("민지"))
    assert client.get("/").status_code == 200


def test_public_read_opens_pages_but_not_writing(app, client):
    app.config["PUBLIC_READ"] = True
    assert client.get("/").status_code == 200
    response = client.post("/me/password", data={})
    assert response.status_code == 302 and response.location == "/login"  # no POST-only next
    assert client.get("/me").status_code == 302
    assert client.get("/admin").status_code == 302


# --- CSRF -----------------------------------------------------------------------------------


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_post_without_valid_csrf_changes_nothing(csrf_on, client, make_member, login, token):
    member = make_member("민지", password="old-password")
    login(member)
    data = {
        "current_password": "old-password",
        "password": "new-password",
        "confirm": "new-password",
    }
    if token:
        data["csrf_token"] = token
    response = client.post("/me/password", data=data)
    assert response.status_code == 400
    assert "보안 확인 토큰이 없거나 만료되었습니다" in page(response)
    db.session.refresh(member)
    assert check_password_hash(member.password_hash, "old-password")


def test_logout_without_csrf_keeps_the_member_signed_in(csrf_on, client, make_member, login):
    member = make_member("민지")
    login(member)
    assert client.post("/logout").status_code == 400
    with client.session_transaction() as session:
        assert session["_user_id"] == str(member.id)


def test_csrf_failure_on_fetch_is_json(csrf_on, client, make_member, login):
    login(make_member("민지"))
    response = client.post("/me/password", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf"


def test_forms_carry_a_token_that_works(csrf_on, client, make_member):
    make_member("민지", password="correct-horse")
    html = page(client.get("/login"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(
        "/login", data={"username": "민지", "password": "correct-horse", "csrf_token": token}
    )
    assert response.status_code == 302


# --- cookies, headers, sizes ----------------------------------------------------------------


def test_session_cookie_flags(client, make_member):
    make_member("민지", password="correct-horse")
    response = sign_in(client, "민지", "correct-horse")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_secure_when_configured(app, client, make_member):
    app.config["SESSION_COOKIE_SECURE"] = True
    make_member("민지", password="correct-horse")
    response = sign_in(client, "민지", "correct-horse")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie


@pytest.mark.parametrize("url", ["/login", "/me", "/admin"])
def test_account_pages_need_no_inline_script_or_style(client, make_member, login, url):
    login(make_member("관리", role="admin"))
    response = client.get(url)
    html = page(response)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and "<style" not in html
    assert " onclick=" not in html


def test_too_large_request_gets_a_clear_message(app, client, make_member, login):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    login(make_member("민지"))
    response = client.post("/me/password", data={"current_password": "x" * 5000})
    assert response.status_code == 413
    html = page(response)
    assert "파일이 너무 큽니다" in html and "1 KB" in html


def test_a_site_hashes_with_werkzeugs_full_scrypt(app):
    from app.auth.services import hash_password

    app.config.pop("PASSWORD_HASH_METHOD")
    assert hash_password("pw-123456").startswith("scrypt:32768:8:1$")


def test_password_change_ends_other_sessions(app, make_member):
    make_member("민지", password="old-password")
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        assert sign_in(browser, "민지", "old-password").status_code == 302
    response = change_password(laptop, "old-password", "new-password")
    assert response.status_code == 302
    assert laptop.get("/me").status_code == 200  # the browser that changed it stays in
    assert phone.get("/me").status_code == 302  # the other one must sign in again
