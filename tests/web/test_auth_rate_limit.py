"""Repeated failed sign-ins are slowed down (Flask-Limiter, enabled here)."""

import pytest

from tests.web.helpers import limited_app

TOO_MANY = "로그인 시도가 너무 많습니다"


@pytest.fixture
def limited(app, make_member):
    """A second app on the same database with the rate limiter on."""
    make_member("민지", password="correct-horse")
    with limited_app(app) as second:
        yield second


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_five_failures_for_one_account_then_429(limited):
    client = limited.test_client()
    for n in range(5):
        assert attempt(client, "민지", "wrong", address=f"10.0.0.{n}").status_code == 200
    response = attempt(client, "민지", "correct-horse", address="10.0.0.99")
    assert response.status_code == 429
    assert TOO_MANY in response.get_data(as_text=True)


def test_five_failures_from_one_address_then_429(limited):
    client = limited.test_client()
    for n in range(5):
        assert attempt(client, f"user{n}", "wrong").status_code == 200
    assert attempt(client, "someone-else", "wrong").status_code == 429


def test_unknown_account_gets_the_same_429(limited):
    client = limited.test_client()
    known = [attempt(client, "민지", "wrong", address=f"10.0.1.{n}") for n in range(6)]
    unknown = [attempt(client, "nobody", "wrong", address=f"10.0.2.{n}") for n in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert known[-1].get_data() == unknown[-1].get_data()


def test_successful_sign_ins_are_not_counted(limited):
    client = limited.test_client()
    for _ in range(7):
        assert attempt(client, "민지", "correct-horse").status_code == 302
        client.post("/logout")


def test_viewing_the_form_is_not_counted(limited):
    client = limited.test_client()
    for _ in range(10):
        assert client.get("/login").status_code == 200
