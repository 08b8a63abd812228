"""`make serve`'s command: the app factory served by real gunicorn workers on 127.0.0.1."""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, deadline: float) -> http.client.HTTPResponse:
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_gunicorn_serves_the_sign_in_page(tmp_path, migrated_database):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed in this environment")
    database = tmp_path / "site.sqlite3"
    shutil.copy(migrated_database, database)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "serve-test",
        "TRUSTED_PROXIES": "1",
    }
    command = [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:create_app()"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
    try:
        response = _wait_for(f"http://127.0.0.1:{port}/login", time.monotonic() + 30)
        assert response.status == 200
        assert "로그인" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
