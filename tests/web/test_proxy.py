"""Behind a trusted proxy the per-address sign-in limit counts the real client address."""

import pytest

from tests.web.helpers import limited_app


@pytest.fixture
def behind_proxy(app):
    with limited_app(app, TRUSTED_PROXIES=1) as second:
        yield second


def _fail_sign_in(client, username, forwarded_for):
    return client.post(
        "/login",
        data={"username": username, "password": "wrong"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},  # every request arrives from the proxy
    )


def test_clients_behind_one_proxy_are_limited_separately(behind_proxy):
    client = behind_proxy.test_client()
    for n in range(5):
        assert _fail_sign_in(client, f"user{n}", "203.0.113.7").status_code == 200
    assert _fail_sign_in(client, "another", "203.0.113.7").status_code == 429
    assert _fail_sign_in(client, "another", "198.51.100.2").status_code == 200


def test_forwarded_for_is_ignored_without_trusted_proxies(app):
    with limited_app(app, TRUSTED_PROXIES=0) as second:
        client = second.test_client()
        for n in range(5):
            assert _fail_sign_in(client, f"user{n}", f"203.0.113.{n}").status_code == 200
        # a client cannot dodge the limit by inventing a forwarded address
        assert _fail_sign_in(client, "another", "198.51.100.2").status_code == 429
