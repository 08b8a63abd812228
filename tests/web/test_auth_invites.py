"""Invites, open registration and the admin page."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth import services
from app.errors import Invalid
from app.extensions import db
from app.models import Invite, Member, Note, utcnow
from tests import factories
from tests.web.helpers import count_queries


def page(response) -> str:
    return response.get_data(as_text=True)


def accept(client, token, **fields):
    data = {"username": "newbie", "password": "long-password", "confirm": "long-password"}
    data.update(fields)
    return client.post(f"/invite/{token}", data=data)


@pytest.fixture
def admin(make_member):
    return make_member("운영자", role="admin")


def test_admin_creates_an_invite_and_sees_the_link_once(client, admin, login):
    login(admin)
    response = client.post("/admin/invites", data={"member_id": "0", "role": "member", "days": "7"})
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    html = page(response)
    link = re.search(r'value="(http://localhost/invite/[^"]+)"', html).group(1)
    token = link.rsplit("/", 1)[1]
    invite = db.session.execute(select(Invite)).scalar_one()
    assert invite.token_hash == services.hash_token(token) and token not in invite.token_hash
    assert invite.created_by_id == admin.id
    assert "대기 중" in html
    # Shown once only.
    assert link not in page(client.get("/admin"))


def test_invite_creates_a_member_who_can_sign_in(client, admin):
    _invite, token = services.create_invite(admin)
    form = client.get(f"/invite/{token}")
    assert form.status_code == 200 and "운영자 님이 초대했습니다" in page(form)
    response = accept(client, token, name="새 친구")
    assert response.status_code == 302
    member = db.session.execute(select(Member).where(Member.name == "새 친구")).scalar_one()
    assert member.username == "newbie" and member.role == "member" and member.has_login
    with client.session_transaction() as session:
        assert session["_user_id"] == str(member.id)
    invite = db.session.execute(select(Invite)).scalar_one()
    assert invite.used_at is not None and invite.used_by_id == member.id


def test_invite_is_single_use(client, admin):
    _invite, token = services.create_invite(admin)
    assert accept(client, token, name="첫째").status_code == 302
    client.post("/logout")
    again = accept(client, token, name="둘째", username="second")
    assert again.status_code == 404
    assert "이미 사용된 초대 링크입니다" in page(again)
    assert db.session.execute(select(Member).where(Member.name == "둘째")).first() is None


def test_expired_invite_is_refused(client, admin):
    invite, token = services.create_invite(admin, days=1)
    invite.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = accept(client, token, name="늦은 사람")
    assert response.status_code == 404
    assert "기간이 지난 초대 링크입니다" in page(response)
    assert db.session.execute(select(Member).where(Member.name == "늦은 사람")).first() is None


def test_unknown_invite_token(client):
    response = client.get("/invite/not-a-token")
    assert response.status_code == 404
    assert "초대 링크가 올바르지 않습니다" in page(response)


def test_invite_bound_to_an_imported_member_keeps_their_notes(client, admin, make_member):
    imported = make_member("김범석", password=None)
    book = factories.book("가상 면접 사례로 배우는 대규모 시스템 설계 기초 2", chapters=[5])
    note = factories.note(book, imported, [5])
    db.session.commit()
    _invite, token = services.create_invite(admin, member_id=imported.id)

    html = page(client.get(f"/invite/{token}"))
    assert "김범석" in html and 'name="name"' not in html
    assert accept(client, token, username="beomseok").status_code == 302

    members = db.session.execute(select(Member).where(Member.name == "김범석")).scalars().all()
    assert [m.id for m in members] == [imported.id]
    db.session.refresh(imported)
    assert imported.username == "beomseok" and imported.has_login
    assert db.session.get(Note, note.id).member_id == imported.id


def test_admin_invite_makes_an_admin(client, admin):
    _invite, token = services.create_invite(admin, role="admin")
    accept(client, token, name="부운영자")
    member = db.session.execute(select(Member).where(Member.name == "부운영자")).scalar_one()
    assert member.is_admin


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "이름은 1~100자로 적어 주세요."),
        ({"name": "운영자"}, "같은 이름의 멤버가 이미 있습니다"),
        ({"name": "새 친구", "username": "운영자"}, "이미 쓰이고 있는 아이디입니다."),
        ({"name": "새 친구", "username": "a b"}, "아이디는 2~50자"),
        ({"name": "새 친구", "password": "short", "confirm": "short"}, "8자 이상"),
        (
            {"name": "새 친구", "confirm": "different-password"},
            "비밀번호 확인이 일치하지 않습니다.",
        ),
    ],
)
def test_invite_form_refusals_keep_the_invite(client, admin, fields, message):
    _invite, token = services.create_invite(admin)
    response = accept(client, token, **fields)
    assert response.status_code == 200
    assert message in page(response)
    assert db.session.execute(select(Invite)).scalar_one().used_at is None


def test_invite_for_a_member_who_already_has_a_login_is_refused(admin, make_member):
    member = make_member("민지")
    with pytest.raises(Invalid, match="이미 로그인할 수 있습니다"):
        services.create_invite(admin, member_id=member.id)


def test_invite_form_errors_are_shown(client, admin, login):
    login(admin)
    response = client.post("/admin/invites", data={"member_id": "0", "role": "member", "days": "0"})
    assert response.status_code == 400
    assert "1~90일로 정해 주세요." in page(response)
    assert db.session.execute(select(Invite)).first() is None


def test_revoked_invite_stops_working(client, admin, login):
    invite, token = services.create_invite(admin)
    login(admin)
    assert client.post(f"/admin/invites/{invite.id}/revoke").status_code == 302
    client.post("/logout")
    assert client.get(f"/invite/{token}").status_code == 404


def test_admin_page_lists_members_with_and_without_login(client, admin, login, make_member):
    make_member("김범석", password=None)
    make_member("민지")
    login(admin)
    html = page(client.get("/admin"))
    assert "김범석" in html and "로그인 없음" in html and "민지" in html
    # The login-less member is offered in the invite form.
    assert re.search(r'<option value="\d+">김범석</option>', html)
    assert not re.search(r'<option value="\d+">민지</option>', html)


def test_admin_page_runs_a_fixed_number_of_queries(client, admin, login, make_member):
    def queries_for(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter[0]

    login(admin)
    services.create_invite(admin)
    services.create_invite(admin, member_id=make_member("첫 멤버", password=None).id)
    few = queries_for("/admin")
    for n in range(5):
        member = make_member(f"멤버{n}", password=None)
        services.create_invite(admin, member_id=member.id)
    assert queries_for("/admin") == few


# --- open registration ----------------------------------------------------------------------


def register(client, name, username, password="long-password"):
    """Post the open registration form."""
    data = {"name": name, "username": username, "password": password, "confirm": password}
    return client.post("/register", data=data)


def test_registration_is_closed_by_default(client):
    assert client.get("/register").status_code == 404
    response = register(client, "x", "xx")
    assert response.status_code == 404
    assert db.session.execute(select(Member)).first() is None


def test_open_registration(app, client):
    app.config["OPEN_REGISTRATION"] = True
    assert "가입하기" in page(client.get("/login"))
    response = register(client, "지나가던 사람", "passer")
    assert response.status_code == 302
    member = db.session.execute(select(Member)).scalar_one()
    assert member.name == "지나가던 사람" and member.role == "member" and member.has_login


def test_open_registration_works_on_a_private_site(app, client):
    app.config.update(OPEN_REGISTRATION=True, PUBLIC_READ=False)
    assert client.get("/register").status_code == 200
