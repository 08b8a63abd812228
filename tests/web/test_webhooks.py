"""Chat webhooks through the outbox, received by a real local HTTP server."""

import json
import threading
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from app.board import services as board
from app.extensions import db
from app.mail import webhooks, worker
from app.models import Meeting, OutboxMail
from tests.web.mail_helpers import book_with_members


class Receiver(BaseHTTPRequestHandler):
    received: list  # set per server

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture
def receiver():
    """An HTTP server on 127.0.0.1 that records every POST."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server, path):
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def test_questions_answers_and_reminders_reach_each_format(app, receiver, make_member):
    book, admin, people = book_with_members(make_member)
    hooks = {
        fmt: webhooks.add_webhook(admin, book.id, _url(receiver, f"/{fmt}"), fmt)
        for fmt in webhooks.FORMATS
    }
    question = board.ask_question(
        people["다온"], book_id=book.id, chapter_number=5, title="5장 질문", body=""
    )
    board.post_answer(people["가영"], question.id, "답입니다")
    db.session.add(Meeting(book_id=book.id, date=date(2026, 12, 7), chapters="5"))
    db.session.commit()
    worker.run_once(datetime(2026, 12, 5, 9))
    worker.run_once(datetime(2026, 12, 5, 10))
    by_path = {}
    for path, headers, body in receiver.received:
        by_path.setdefault(path, []).append((headers, json.loads(body)))
    assert {p: len(v) for p, v in by_path.items()} == {"/slack": 3, "/discord": 3, "/json": 3}
    assert "5장 질문" in by_path["/slack"][0][1]["text"]
    assert "답입니다" in by_path["/discord"][1][1]["content"]
    assert "안 쓴 회원: 관리자, 다온" in by_path["/slack"][2][1]["text"]
    events = [payload["event"] for _h, payload in by_path["/json"]]
    assert events == ["question", "answer", "reminder"]
    for path, headers, body in receiver.received:
        if path == "/json":
            expected = webhooks.signature(hooks["json"].secret, body)
            assert headers["X-Studyhall-Signature"] == expected


def test_a_failing_receiver_is_retried_without_duplicates(app, receiver, make_member):
    book, admin, people = book_with_members(make_member)
    port = receiver.server_address[1]
    receiver.shutdown()
    receiver.server_close()
    webhooks.add_webhook(admin, book.id, f"http://127.0.0.1:{port}/hook", "json")
    board.ask_question(people["다온"], book_id=book.id, chapter_number=5, title="질문", body="")
    now = datetime(2030, 1, 1)
    worker.run_once(now)  # (the chapter's writers' mails fail too: no SMTP server here)
    hook_row = db.session.scalar(select(OutboxMail).where(OutboxMail.webhook_id.is_not(None)))
    assert (hook_row.status, hook_row.attempts) == ("pending", 1)
    again = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
    again.received = []
    threading.Thread(target=again.serve_forever, daemon=True).start()
    try:
        assert hook_row.id in worker.run_once(now + worker.backoff(1)).sent
        worker.run_once(now + worker.backoff(5))
        assert len(again.received) == 1
    finally:
        again.shutdown()
        again.server_close()


def test_cli_adds_lists_and_removes(app, runner, make_member):
    book, _admin, _people = book_with_members(make_member)
    added = runner.invoke(
        args=["webhooks", "add", book.title, "https://chat.example/x", "--format", "json"]
    )
    assert added.exit_code == 0, added.output
    assert "서명 비밀값" in added.output
    assert "https://chat.example/x" in runner.invoke(args=["webhooks", "list"]).output
    assert runner.invoke(args=["webhooks", "remove", "1"]).exit_code == 0
    assert runner.invoke(args=["webhooks", "remove", "1"]).exit_code != 0


def test_admin_page_adds_shows_delivery_and_removes(app, client, login, receiver, make_member):
    book, admin, people = book_with_members(make_member)
    login(people["가영"])
    assert client.get(f"/books/{book.id}/webhooks").status_code == 403
    login(admin)
    url = _url(receiver, "/chat")
    added = client.post(
        f"/books/{book.id}/webhooks", data={"url": url, "format": "json"}, follow_redirects=True
    )
    [hook] = db.session.scalars(select(webhooks.BookWebhook)).all()
    assert f"서명 비밀값(X-Studyhall-Signature): {hook.secret}" in added.text  # shown once
    assert hook.secret not in client.get(f"/books/{book.id}/webhooks").text
    refused = client.post(
        f"/books/{book.id}/webhooks",
        data={"url": "ftp://x", "format": "slack"},
        follow_redirects=True,
    )
    assert "http:// 또는 https:// 로 시작해야 합니다" in refused.text
    board.ask_question(people["다온"], book_id=book.id, chapter_number=5, title="질문", body="")
    assert "대기" in client.get(f"/books/{book.id}/webhooks").text
    worker.run_once(datetime(2030, 1, 1))
    page = client.get(f"/books/{book.id}/webhooks").text
    assert "성공 ·" in page and "0개" in page
    client.post(f"/webhooks/{hook.id}/remove")
    assert db.session.scalars(select(webhooks.BookWebhook)).all() == []
    assert client.post(f"/webhooks/{hook.id}/remove").status_code == 404


def test_admin_page_shows_a_failing_receiver(app, client, login, make_member):
    book, admin, people = book_with_members(make_member)
    webhooks.add_webhook(admin, book.id, "http://127.0.0.1:9/closed", "slack")
    board.ask_question(people["다온"], book_id=book.id, chapter_number=5, title="질문", body="")
    worker.run_once(datetime(2030, 1, 1))
    login(admin)
    page = client.get(f"/books/{book.id}/webhooks").text
    assert "실패 (1번)" in page and "1개" in page


def test_an_imported_note_posts_its_new_questions_to_its_books_hooks_only(
    app, runner, tmp_path, make_member
):
    from tests.web.helpers import write_note

    book, admin, _people = book_with_members(make_member)
    other = webhooks.add_webhook(admin, book.id, "http://127.0.0.1:9/other", "json")
    db.session.delete(other)  # a hook removed before the import posts nothing
    db.session.commit()
    hook = webhooks.add_webhook(admin, book.id, "http://127.0.0.1:9/hook", "slack")
    for chapter in (5, 6):  # two notes of one batch: the book's hooks read once, both posted
        write_note(tmp_path, book.title, "다온", chapter)
    result = runner.invoke(args=["notes", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    posts = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "question")).all()
    assert sorted(post.subject for post in posts) == [
        "[Studyhall] 5장 새 질문: 다온의 질문 5",
        "[Studyhall] 6장 새 질문: 다온의 질문 6",
    ]
    assert {post.webhook_id for post in posts} == {hook.id}
