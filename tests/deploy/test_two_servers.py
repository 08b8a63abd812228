"""Two gunicorn servers on one PostgreSQL database (and one Redis) serve one site."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from app import create_app
from app.extensions import db

ROOT = Path(__file__).resolve().parents[2]
PORTS = (5700, 5701)
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _prepare(url: str) -> None:
    """One member who can sign in, and one book."""
    from tests import factories
    from tests.web.board_helpers import make_book

    site = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with site.app_context():
        factories.member("민수", username="minsu", password="password")
        make_book("도커 책")
        db.session.commit()
        db.engine.dispose()


def _start(port: int, env: dict, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--workers", "1", "--bind", f"127.0.0.1:{port}", "app:create_app()"]
    with log.open("w") as errors:
        return subprocess.Popen(command, cwd=ROOT, env=env, stderr=errors)


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(base + "/login", timeout=30)
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _csrf(session: requests.Session, url: str) -> str:
    match = CSRF.search(session.get(url, timeout=30).text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture
def two_servers(postgres_cluster, postgres_template, redis_url, tmp_path):
    """Two gunicorn servers, same SECRET_KEY, one database and one Redis: their base URLs."""
    postgres_cluster.sql(f"CREATE DATABASE twoservers TEMPLATE {postgres_template}")
    url = postgres_cluster.url("twoservers")
    _prepare(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "one-site",
        "PUBLIC_READ": "1",
        "RATELIMIT_STORAGE_URI": redis_url,
    }
    servers = [_start(port, env, tmp_path / f"gunicorn-{port}.log") for port in PORTS]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in PORTS]
        for base in bases:
            _wait(base)
        yield bases
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        postgres_cluster.sql("DROP DATABASE twoservers WITH (FORCE)")


@pytest.mark.slow
def test_two_servers_share_sessions_pages_and_limits(two_servers):
    a, b = two_servers
    browser = requests.Session()
    signed_in = browser.post(
        a + "/login",
        data={"username": "minsu", "password": "password",
              "csrf_token": _csrf(browser, a + "/login")},
        timeout=30,
    )  # fmt: skip
    assert signed_in.status_code == 200

    # The session cookie server A signed is accepted by server B.
    me = browser.get(b + "/me", timeout=30, allow_redirects=False)
    assert me.status_code == 200
    assert "민수" in me.text

    # A page B served (and cached) shows, at once, a question written through A.
    before = browser.get(b + "/board", timeout=30)
    assert "두 서버에서 본 질문" not in before.text
    book_id = re.search(r'<option value="(\d+)">도커 책', browser.get(a + "/questions/new").text)
    asked = browser.post(
        a + "/questions/new",
        data={
            "title": "두 서버에서 본 질문",
            "body": "본문",
            "book_id": book_id.group(1),
            "chapter_number": "1",
            "submit": "질문 올리기",
            "csrf_token": _csrf(browser, a + "/questions/new"),
        },
        timeout=30,
    )
    assert asked.status_code == 200
    headers = {"If-None-Match": before.headers.get("ETag", "*")}
    after = browser.get(b + "/board", headers=headers, timeout=30)
    assert after.status_code == 200
    assert "두 서버에서 본 질문" in after.text

    # Wrong passwords against both servers: one sign-in limit (5 a minute) for the pair.
    answers = []
    for attempt in range(12):
        guesser = requests.Session()
        base = (a, b)[attempt % 2]
        form = {
            "username": "minsu",
            "password": "wrong",
            "csrf_token": _csrf(guesser, base + "/login"),
        }
        answers.append(guesser.post(base + "/login", data=form, timeout=30).status_code)
    assert answers.count(429) >= 7
    assert answers[-2:] == [429, 429]
