"""Mail through a real SMTP server (aiosmtpd): reminders, answers, digests, failures."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.board import services as board
from app.extensions import db
from app.mail import worker
from app.mail.tokens import unsubscribe_token
from app.models import MailSettings, Meeting, OutboxMail, utcnow
from tests.web.mail_helpers import SmtpServer, book_with_members


@pytest.fixture
def smtp(app):
    """A running SMTP server the app sends to."""
    server = SmtpServer()
    server.start()
    app.config.update(SMTP_URL=server.url, MAIL_FROM="studyhall@example.org")
    yield server
    server.stop()


def _meeting(book, day=date(2026, 12, 7)):
    db.session.add(Meeting(book_id=book.id, date=day, chapters="5,6"))
    db.session.commit()


def test_reminder_goes_only_to_the_member_without_a_note(app, smtp, make_member):
    book, _admin, people = book_with_members(make_member)
    _meeting(book)
    assert worker.run_once(datetime(2026, 12, 4, 9)).sent == []  # three days before: not yet
    report = worker.run_once(datetime(2026, 12, 5, 9))  # REMINDER_DAYS = 2
    assert len(report.sent) == 1
    [mail] = smtp.mailbox.messages
    assert mail["To"] == f"m{people['다온'].id}@example.org"  # 관리자 has no address
    assert "2026-12-07 모임 알림" in mail["Subject"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["Message-ID"] == f"<outbox-{report.sent[0]}@example.org>"
    assert "노트를 쓰지 않으셨어요" in mail.get_body(("plain",)).get_content()
    assert "<html" in mail.get_body(("html",)).get_content()
    worker.run_once(datetime(2026, 12, 6, 9))  # the next day: not again
    assert len(smtp.mailbox.messages) == 1


def test_an_answer_mails_the_asker_once(app, smtp, make_member):
    book, _admin, people = book_with_members(make_member)
    question = board.ask_question(
        people["다온"], book_id=book.id, chapter_number=None, title="왜?", body=""
    )
    board.post_answer(people["가영"], question.id, "그래서입니다.")
    worker.run_once()
    worker.run_once()
    [mail] = smtp.mailbox.messages
    assert mail["To"] == f"m{people['다온'].id}@example.org"
    assert "새 답변: 왜?" in mail["Subject"]
    assert "그래서입니다." in mail.get_body(("plain",)).get_content()


def test_digest_folds_answers_into_one_mail(app, smtp, make_member):
    book, _admin, people = book_with_members(make_member)
    db.session.get(MailSettings, people["다온"].id).answers_to_me = "digest"
    db.session.commit()
    question = board.ask_question(
        people["다온"], book_id=book.id, chapter_number=None, title="왜?", body=""
    )
    board.post_answer(people["가영"], question.id, "첫 답")
    board.post_answer(people["나래"], question.id, "둘째 답")
    assert worker.run_once().sent == []  # not a day old yet
    later = utcnow() + timedelta(days=1, hours=1)
    assert len(worker.run_once(later).sent) == 1
    [mail] = smtp.mailbox.messages
    assert "알림 2개" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert "첫 답" in text and "둘째 답" in text


def test_a_new_question_on_my_chapter_respects_never(app, smtp, make_member):
    book, _admin, people = book_with_members(make_member)
    db.session.get(MailSettings, people["나래"].id).questions_on_my_chapters = "never"
    db.session.get(MailSettings, people["가영"].id).questions_on_my_chapters = "immediate"
    db.session.commit()
    board.ask_question(people["다온"], book_id=book.id, chapter_number=5, title="5장?", body="")
    worker.run_once()
    assert [m["To"] for m in smtp.mailbox.messages] == [f"m{people['가영'].id}@example.org"]


def test_a_server_down_during_sending_loses_and_duplicates_nothing(app, smtp, make_member):
    book, _admin, people = book_with_members(make_member)
    question = board.ask_question(
        people["다온"], book_id=book.id, chapter_number=None, title="왜?", body=""
    )
    for author in ("가영", "나래", "가영"):
        board.post_answer(people[author], question.id, f"{author}의 답")
    smtp.stop()
    now = utcnow() + timedelta(seconds=1)
    report = worker.run_once(now)
    assert report.sent == [] and len(report.failed) == 3
    rows = list(db.session.scalars(select(OutboxMail)))
    assert {(r.status, r.attempts) for r in rows} == {("pending", 1)}
    assert all("Error" in r.last_error for r in rows)
    smtp.start()
    assert worker.run_once(now).sent == []  # backing off
    retry = now + worker.backoff(1)
    assert len(worker.run_once(retry).sent) == 3
    assert worker.run_once(retry + timedelta(hours=2)).sent == []
    ids = [m["Message-ID"] for m in smtp.mailbox.messages]
    assert len(ids) == 3 and len(set(ids)) == 3
    sent = db.session.scalar(select(func.count()).where(OutboxMail.status == "sent"))
    assert sent == 3


def test_one_click_unsubscribe(app, client, make_member):
    _book, _admin, people = book_with_members(make_member)
    member_id = people["다온"].id
    token = unsubscribe_token(member_id, "meeting_reminders")
    assert client.post("/mail/unsubscribe/forged").status_code == 404
    page = client.get(f"/mail/unsubscribe/{token}")
    assert "모임 알림" in page.text
    assert db.session.get(MailSettings, member_id).meeting_reminders == "immediate"
    response = client.post(f"/mail/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(MailSettings, member_id).meeting_reminders == "never"


def test_settings_page_saves_address_and_modes(app, client, login, make_member):
    member = make_member("라희")
    login(member)
    assert "전자우편 알림 설정" in client.get("/me/mail").text
    data = {
        "email": "rahee@example.org",
        "answers_to_me": "digest",
        "answers_on_my_notes": "never",
        "questions_on_my_chapters": "immediate",
        "meeting_reminders": "immediate",
    }
    response = client.post("/me/mail", data=data, follow_redirects=True)
    assert "알림 설정을 저장했습니다" in response.text
    saved = db.session.get(MailSettings, member.id)
    assert (saved.email, saved.answers_to_me, saved.answers_on_my_notes) == (
        "rahee@example.org",
        "digest",
        "never",
    )
    bad = client.post("/me/mail", data={**data, "email": "없음"}, follow_redirects=True)
    assert "올바른 전자우편 주소" in bad.text


def test_worker_command_once(app, runner, smtp, make_member):
    book, _admin, _people = book_with_members(make_member)
    _meeting(book)
    result = runner.invoke(args=["worker", "--once", "--now", "2026-12-05T09:00"])
    assert result.exit_code == 0, result.output
    assert "보냄 1통" in result.output
    assert len(smtp.mailbox.messages) == 1


def test_retries_stop_after_max_attempts_and_can_be_restarted(app, runner, smtp, make_member):
    book, _admin, people = book_with_members(make_member)
    question = board.ask_question(
        people["다온"], book_id=book.id, chapter_number=None, title="왜?", body=""
    )
    board.post_answer(people["가영"], question.id, "답")
    smtp.stop()
    now = utcnow()
    for _ in range(worker.MAX_ATTEMPTS):
        now += timedelta(hours=2)
        assert len(worker.run_once(now).failed) == 1
    assert worker.run_once(now + timedelta(hours=2)).failed == []  # given up: not tried again
    [row] = worker.given_up()
    assert row.attempts == worker.MAX_ATTEMPTS and row.status == "pending"
    assert row.last_error  # kept, with the reason, for the admin
    smtp.start()
    later = (now + timedelta(hours=3)).isoformat()
    result = runner.invoke(args=["worker", "--once", "--retry-failed", "--now", later])
    assert result.exit_code == 0, result.output
    assert "다시 보낼 차례에 넣음 1통" in result.output and "보냄 1통" in result.output
    assert len(smtp.mailbox.messages) == 1
    assert worker.given_up() == []


def test_questions_of_a_note_written_now_mail_the_chapters_writers(
    app, runner, tmp_path, smtp, make_member
):
    import os

    from tests.web.helpers import write_note

    book, _admin, people = book_with_members(make_member)
    for name in ("가영", "나래"):
        db.session.get(MailSettings, people[name].id).questions_on_my_chapters = "immediate"
    db.session.commit()
    write_note(tmp_path / "new", book.title, "다온", 5)
    old = write_note(tmp_path / "old", book.title, "라희", 5)
    os.utime(old, (1_600_000_000, 1_600_000_000))  # written in 2020: history, not news
    for folder in ("new", "old"):
        result = runner.invoke(args=["notes", "import", str(tmp_path / folder)])
        assert result.exit_code == 0, result.output
    worker.run_once()
    received = sorted(m["To"] for m in smtp.mailbox.messages)
    writers = sorted(f"m{people[name].id}@example.org" for name in ("가영", "나래"))
    assert received == writers  # 다온's question, once to each writer; 라희's old one: none
    assert all("다온의 질문 5" in m["Subject"] for m in smtp.mailbox.messages)
