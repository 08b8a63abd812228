"""The reading schedule: CLI, admin page, and the next meeting on the home and book pages."""

from datetime import date, timedelta

from app.models import Meeting, utcnow
from app.schedule import queries
from tests.web.helpers import count_queries
from tests.web.mail_helpers import book_with_members


def test_cli_sets_lists_and_removes_a_meeting(app, runner, make_member):
    book, _admin, _people = book_with_members(make_member)
    result = runner.invoke(
        args=["schedule", "set", book.title, "--meeting", "2026-12-07", "--chapters", "5,6"]
    )
    assert result.exit_code == 0, result.output
    assert "2026-12-07" in result.output
    listed = runner.invoke(args=["schedule", "list"])
    assert "2026-12-07\t함께 읽는 책\t5,6장" in listed.output
    again = runner.invoke(
        args=["schedule", "set", str(book.id), "--meeting", "2026-12-07", "--chapters", "6"]
    )
    assert again.exit_code == 0
    assert [m.chapters for m in queries.book_meetings(book.id)] == ["6"]
    removed = runner.invoke(args=["schedule", "remove", book.title, "--meeting", "2026-12-07"])
    assert removed.exit_code == 0
    assert queries.book_meetings(book.id) == []


def test_cli_refuses_unknown_chapters(app, runner, make_member):
    book, _admin, _people = book_with_members(make_member)
    result = runner.invoke(
        args=["schedule", "set", book.title, "--meeting", "2026-12-07", "--chapters", "9"]
    )
    assert result.exit_code != 0
    assert "9장이 없습니다" in result.output


def test_admin_adds_and_removes_on_the_page(app, client, login, make_member):
    book, admin, people = book_with_members(make_member)
    login(people["가영"])
    assert client.get(f"/books/{book.id}/schedule").status_code == 403
    login(admin)
    response = client.post(
        f"/books/{book.id}/schedule",
        data={"date": "2026-12-07", "chapters": "5, 6"},
        follow_redirects=True,
    )
    assert "2026-12-07 모임을 저장했습니다" in response.text
    meeting = queries.book_meetings(book.id)[0]
    assert meeting.chapters == "5,6"
    client.post(f"/schedule/{meeting.id}/remove")
    assert queries.book_meetings(book.id) == []


def test_home_and_book_pages_show_the_next_meeting(app, client, login, make_member):
    book, _admin, people = book_with_members(make_member)
    from app.board import services as board
    from app.extensions import db

    soon = utcnow().date() + timedelta(days=3)
    db.session.add(Meeting(book_id=book.id, date=date(2020, 1, 1), chapters="1"))
    db.session.add(Meeting(book_id=book.id, date=soon, chapters="5"))
    db.session.commit()
    board.ask_question(
        people["다온"], book_id=book.id, chapter_number=5, title="5장의 의문", body=""
    )
    login(people["가영"])
    for url in ("/", f"/books/{book.id}"):
        page = client.get(url).text
        assert f"다음 모임: {soon.isoformat()}" in page
        assert "노트를 쓴 회원 (2명): 가영, 나래" in page
        assert "아직 안 쓴 회원 (2명): 관리자, 다온" in page
        assert "5장의 의문" in page


def test_meeting_status_takes_few_queries(app, make_member):
    book, _admin, _people = book_with_members(make_member)
    from app.extensions import db

    db.session.add(Meeting(book_id=book.id, date=date(2030, 1, 1), chapters="5,6"))
    db.session.commit()
    with count_queries() as n:
        meeting = queries.next_meeting(date(2029, 1, 1), book.id)
        queries.meeting_status(meeting)
    assert n[0] <= 5  # next meeting, participants, writers, open questions (+1 for setup)


def test_meeting_page_holds_the_prep_of_each_of_its_chapters(app, client, login, make_member):
    book, _admin, people = book_with_members(make_member)
    from app.board import services as board
    from app.extensions import db

    past = Meeting(book_id=book.id, date=date(2020, 1, 1), chapters="1")
    soon = Meeting(book_id=book.id, date=utcnow().date() + timedelta(days=3), chapters="5,6")
    db.session.add_all([past, soon])
    db.session.commit()
    board.ask_question(people["다온"], book_id=book.id, chapter_number=6, title="6장 질문", body="")
    login(people["가영"])
    page = client.get(f"/meetings/{soon.id}").text
    assert f"{soon.date.isoformat()} 모임 · 5, 6장" in page
    assert "다가오는 모임입니다" in page
    assert "노트를 쓴 회원 (2명): 가영, 나래" in page
    # one prep block per chapter, each with its own section ids
    assert 'id="prep-questions-5"' in page and 'id="prep-questions-6"' in page
    assert "6장 질문" in page
    assert f'href="/meetings/{past.id}"' in page  # the previous meeting is one click away
    record = client.get(f"/meetings/{past.id}").text
    assert "지난 모임의 기록입니다" in record
    assert f'href="/meetings/{soon.id}"' in record
    assert client.get("/meetings/999999").status_code == 404


def test_next_meeting_and_schedule_link_to_the_meeting_page(app, client, login, make_member):
    book, admin, _people = book_with_members(make_member)
    from app.extensions import db

    soon = Meeting(book_id=book.id, date=utcnow().date() + timedelta(days=3), chapters="5")
    db.session.add(soon)
    db.session.commit()
    login(admin)
    assert f'href="/meetings/{soon.id}"' in client.get("/").text
    assert f'href="/meetings/{soon.id}"' in client.get(f"/books/{book.id}/schedule").text
