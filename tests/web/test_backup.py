"""Backups: an online copy under 30 writers, its restore, and a portable export."""

import csv
import json
import sqlite3
import threading
import time

import pytest

from app import create_app
from app.extensions import db
from tests import factories
from tests.web.board_helpers import ask, make_book, quick_member

pytestmark = pytest.mark.sqlite_only(reason="SQLite's online backup API and database files")

WRITERS = 30


def _db_path(app):
    return app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")


def test_backup_under_write_load_holds_every_acknowledged_answer(app, login, runner, tmp_path):
    question = ask(quick_member("asker"), make_book())
    url = f"/questions/{question.id}/answers"
    clients = [login(quick_member(f"w{i}"), on=app.test_client()) for i in range(WRITERS)]
    acknowledged: list[tuple[float, str]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def write(client, number):
        try:
            i = 0
            while not stop.is_set():
                body = f"작성자 {number} 답변 {i}"
                response = client.post(url, data={"body": body, "submit": "1"})
                assert response.status_code == 302, response.status_code
                acknowledged.append((time.monotonic(), body))
                i += 1
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    started = time.monotonic()
    result = runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
    took = time.monotonic() - started
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join()

    assert errors == []
    assert result.exit_code == 0, result.output
    assert "무결성" in result.output
    assert took < 5, took
    before = {body for at, body in acknowledged if at < started}
    assert len(before) > WRITERS
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    saved = {row[0] for row in copy.execute("SELECT body FROM answers")}
    copy.close()
    assert before <= saved
    assert len(acknowledged) > len(before)  # writes went on during the backup


def test_restore_refuses_a_full_database_and_gives_a_working_site(app, runner, tmp_path):
    question = ask(quick_member("asker"), make_book())
    question_id = question.id
    backup = tmp_path / "copy.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0

    refused = runner.invoke(args=["restore", str(backup)])
    assert refused.exit_code != 0
    assert "--force" in refused.output
    assert runner.invoke(args=["restore", "--force", str(backup)]).exit_code == 0

    fresh = tmp_path / "fresh" / "site.sqlite3"
    other = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{fresh}", "PUBLIC_READ": True}
    )
    with other.app_context():
        result = other.test_cli_runner().invoke(args=["restore", str(backup)])
        assert result.exit_code == 0, result.output
        client = other.test_client()
        assert client.get("/").status_code == 200
        page = client.get(f"/questions/{question_id}")
        assert page.status_code == 200
        assert "CAP 정리가 뭔가요?" in page.get_data(as_text=True)
        db.engine.dispose()


def test_restore_refuses_a_corrupt_backup(runner, tmp_path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database" * 100)
    result = runner.invoke(args=["restore", "--force", str(broken)])
    assert result.exit_code != 0
    assert "손상" in result.output


def test_export_writes_plain_files(app, runner, tmp_path):
    from app.models import Asset, Note, NoteVersion
    from tests.web.board_helpers import make_note

    book = make_book("분산 시스템")
    member = quick_member("지민")
    note = make_note(book, member, key="지민/[1장] 캐시.md")
    note.source = "## 캐시\n내용"
    note.versions = [NoteVersion(number=1, source="첫 판", content_hash="a")]
    factories.rating(member, book.chapters[0], 3.5)
    db.session.add(
        Asset(sha256="ab" * 32, filename="그림.png", mimetype="image/png", data=b"\x89PNG")
    )
    db.session.commit()
    question = ask(member, book, title="캐시 무효화는?")
    from app.board import services

    services.post_answer(quick_member("서준"), question.id, "TTL을 쓰세요")

    out = tmp_path / "export"
    result = runner.invoke(args=["export", str(out)])
    assert result.exit_code == 0, result.output

    note_file = out / "notes" / "분산 시스템" / "지민" / "[1장] 캐시.md"
    text = note_file.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "created_at:" in text and "## 캐시\n내용" in text
    version = note_file.with_name("[1장] 캐시.versions") / "v0001.md"
    assert "첫 판" in version.read_text(encoding="utf-8")
    thread = (out / "questions" / f"{question.id}.md").read_text(encoding="utf-8")
    assert "# 캐시 무효화는?" in thread and "TTL을 쓰세요" in thread
    meta = json.loads((out / "questions" / f"{question.id}.json").read_text(encoding="utf-8"))
    assert meta["asker"] == "지민" and meta["answers"][0]["author"] == "서준"
    with (out / "ratings.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {
            "book": "분산 시스템",
            "chapter": "1",
            "member": "지민",
            "score": "3.5",
            "source": "web",
            "updated_at": rows[0]["updated_at"],
        }
    ]
    assert (out / "images" / f"{'ab' * 6}-그림.png").read_bytes() == b"\x89PNG"
    assert db.session.get(Note, note.id) is not None
