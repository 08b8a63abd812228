"""`flask users create-admin` and the demo admin."""

from sqlalchemy import select
from werkzeug.security import check_password_hash

from app.auth.services import ensure_demo_admin
from app.extensions import db
from app.models import Member


def admin_named(name):
    return db.session.execute(select(Member).where(Member.name == name)).scalar_one_or_none()


def test_create_admin_prompts_twice(runner):
    result = runner.invoke(args=["users", "create-admin", "root"], input="pw-123456\npw-123456\n")
    assert result.exit_code == 0, result.output
    assert "비밀번호 확인" in result.output
    member = admin_named("root")
    assert member.is_admin and member.username == "root"
    assert check_password_hash(member.password_hash, "pw-123456")


def test_create_admin_asks_again_when_the_two_differ(runner):
    result = runner.invoke(
        args=["users", "create-admin", "root"], input="pw-123456\nother-pw\npw-123456\npw-123456\n"
    )
    assert result.exit_code == 0, result.output
    assert check_password_hash(admin_named("root").password_hash, "pw-123456")


def test_create_admin_password_stdin(runner):
    result = runner.invoke(
        args=["users", "create-admin", "root", "--password-stdin"], input="from-a-script\n"
    )
    assert result.exit_code == 0, result.output
    assert check_password_hash(admin_named("root").password_hash, "from-a-script")


def test_create_admin_refuses_a_short_password(runner):
    result = runner.invoke(
        args=["users", "create-admin", "root", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0
    assert "8자 이상" in result.output
    assert admin_named("root") is None


def test_create_admin_refuses_an_existing_login(runner, make_member):
    make_member("root")
    result = runner.invoke(
        args=["users", "create-admin", "root", "--password-stdin"], input="pw-123456\n"
    )
    assert result.exit_code != 0
    assert "이미 로그인할 수 있습니다" in result.output


def test_create_admin_gives_a_login_to_an_imported_member(runner, make_member):
    imported = make_member("kim", password=None)
    result = runner.invoke(
        args=["users", "create-admin", "kim", "--password-stdin"], input="pw-123456\n"
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(imported)
    assert imported.is_admin and imported.has_login and imported.username == "kim"


def test_demo_admin_on_an_empty_site(app):
    member, password = ensure_demo_admin()
    assert member.username == "admin" and member.is_admin
    assert len(password) >= 12 and check_password_hash(member.password_hash, password)


def test_demo_admin_only_once(app):
    assert ensure_demo_admin() is not None
    assert ensure_demo_admin() is None


def test_no_demo_admin_when_someone_can_sign_in(app, make_member):
    make_member("민지")
    make_member("김범석", password=None)
    assert ensure_demo_admin() is None
    assert db.session.execute(select(Member).where(Member.username == "admin")).first() is None


def test_demo_admin_can_sign_in(client):
    _member, password = ensure_demo_admin()
    response = client.post("/login", data={"username": "admin", "password": password})
    assert response.status_code == 302


def test_create_admin_with_a_separate_username(runner, make_member):
    imported = make_member("김범석", password=None)
    result = runner.invoke(
        args=["users", "create-admin", "김범석", "--username", "beomseok", "--password-stdin"],
        input="pw-123456\n",
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(imported)
    assert imported.username == "beomseok" and imported.is_admin
