"""A read-only database: reads are served, writes answer 503 in Korean, reads never write."""

import shutil
import sqlite3
from contextlib import contextmanager

import pytest

from app.api.tokens import create_token
from app.extensions import db
from tests.web.board_helpers import ask, make_book, quick_member
from tests.web.helpers import site_on_file
from tests.web.storage_helpers import remount_read_only, small_tmpfs

pytestmark = pytest.mark.sqlite_only(reason="a SQLite file on a read-only mount")


@contextmanager
def read_only_copy(app, folder, journal_mode):
    """The test app's data copied onto a small tmpfs in `journal_mode` ("delete" or "wal"),
    the mount made read-only, and a fresh app over the copy."""
    source = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    db.session.remove()
    db.engine.dispose()
    with small_tmpfs(folder) as mount:
        target = mount / "site.sqlite3"
        shutil.copy(source, target)
        connection = sqlite3.connect(target)
        mode = connection.execute(f"PRAGMA journal_mode={journal_mode}").fetchone()
        assert mode == (journal_mode,)
        connection.close()  # the last connection removes -wal and -shm
        assert not (mount / "site.sqlite3-shm").exists()
        remount_read_only(mount)
        with site_on_file(target) as site:
            yield site


def signed_in_client(site, member_id):
    """A test client of `site` whose session is already the member's."""
    client = site.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(member_id)
        session["_fresh"] = True
    return client


@pytest.fixture
def read_only_site(app, tmp_path):
    """The test app's data on a tmpfs remounted read-only, and a fresh app over it."""
    asker = quick_member("asker")
    question = ask(asker, make_book())
    _token, plain = create_token(asker.id, "봇")
    ids = {"question": question.id, "token": plain, "member": asker.id}
    # A rollback-journal file another machine left behind.
    with read_only_copy(app, tmp_path / "ro", "delete") as site:
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
    client = signed_in_client(site, ids["member"])
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
    with read_only_copy(app, tmp_path / "ro-wal", "wal") as site:
        yield site, ids


def test_a_wal_database_on_read_only_media_serves_reads_and_refuses_writes(read_only_wal_site):
    site, ids = read_only_wal_site
    # Signed in before the first request: this app's context (and `g`) outlives requests.
    client = signed_in_client(site, ids["member"])
    assert client.get("/").status_code == 200
    page = client.get(f"/questions/{ids['question']}")
    assert page.status_code == 200 and "CAP" in page.get_data(as_text=True)
    url = f"/questions/{ids['question']}/answers"
    answer = client.post(url, data={"body": "답", "submit": "1"})
    assert answer.status_code == 503
    assert "읽기 전용" in answer.get_data(as_text=True)
