"""A read-only database: reads are served, writes answer 503 in Korean, reads never write."""

import shutil
import sqlite3

import pytest

from app.api.tokens import create_token
from app.extensions import db
from tests.web.board_helpers import ask, make_book, quick_member
from tests.web.helpers import site_on_file
from tests.web.storage_helpers import remount_read_only, small_tmpfs

pytestmark = pytest.mark.sqlite_only(reason="a SQLite file on a read-only mount")


@pytest.fixture
def read_only_site(app, tmp_path):
    """The test app's data on a tmpfs remounted read-only, and a fresh app over it."""
    asker = quick_member("asker")
    question = ask(asker, make_book())
    _token, plain = create_token(asker.id, "봇")
    ids = {"question": question.id, "token": plain, "member": asker.id}
    source = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    db.session.remove()
    db.engine.dispose()
    with small_tmpfs(tmp_path / "ro") as mount:
        target = mount / "site.sqlite3"
        shutil.copy(source, target)
        connection = sqlite3.connect(target)
        connection.execute("PRAGMA journal_mode=DELETE")  # a file another machine left behind
        connection.close()
        remount_read_only(mount)
        with site_on_file(target) as site:
            yield site, ids


def test_reads_are_served(read_only_site):
    site, ids = read_only_site
    client = site.test_client()
    assert client.get("/").status_code == 200
    assert client.get(f"/questions/{ids['question']}").status_code == 200
    assert client.get("/search?q=CAP").status_code == 200
    api = client.get("/api/v1/questions", headers={"Authorization": f"Bearer {ids['token']}"})
    assert api.status_code == 200  # recording the token's use is skipped, not a 500


def test_writes_answer_503_in_korean(read_only_site):
    site, ids = read_only_site
    client = site.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(ids["member"])
        session["_fresh"] = True
    page = client.post(f"/questions/{ids['question']}/answers", data={"body": "답", "submit": "1"})
    assert page.status_code == 503
    assert "읽기 전용" in page.get_data(as_text=True)
    api = client.post(
        f"/api/v1/questions/{ids['question']}/answers",
        json={"body": "답"},
        headers={"Authorization": f"Bearer {ids['token']}"},
    )
    assert api.status_code == 503
    assert "읽기 전용" in api.get_json()["detail"]


@pytest.fixture
def read_only_wal_site(app, tmp_path):
    """A WAL database on a read-only file system with no -shm beside it, and an app over it."""
    asker = quick_member("asker")
    question = ask(asker, make_book())
    ids = {"question": question.id, "member": asker.id}
    source = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    db.session.remove()
    db.engine.dispose()
    with small_tmpfs(tmp_path / "ro-wal") as mount:
        target = mount / "site.sqlite3"
        shutil.copy(source, target)
        connection = sqlite3.connect(target)
        assert connection.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
        connection.close()  # the last connection removes -wal and -shm
        assert not (mount / "site.sqlite3-shm").exists()
        remount_read_only(mount)
        with site_on_file(target) as site:
            yield site, ids


def test_a_wal_database_on_read_only_media_serves_reads_and_refuses_writes(read_only_wal_site):
    site, ids = read_only_wal_site
    client = site.test_client()
    # Signed in before the first request: this app's context (and `g`) outlives requests.
    with client.session_transaction() as session:
        session["_user_id"] = str(ids["member"])
        session["_fresh"] = True
    assert client.get("/").status_code == 200
    page = client.get(f"/questions/{ids['question']}")
    assert page.status_code == 200 and "CAP" in page.get_data(as_text=True)
    url = f"/questions/{ids['question']}/answers"
    answer = client.post(url, data={"body": "답", "submit": "1"})
    assert answer.status_code == 503
    assert "읽기 전용" in answer.get_data(as_text=True)
