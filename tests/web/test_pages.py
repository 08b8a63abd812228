"""The note pages: content, friendly 404s, and a fixed number of SQL queries."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Book, Chapter, Member, Note, Question
from app.notes.importer import import_path
from tests.web.helpers import count_queries, write_note

MAX = 2 * 1024 * 1024


def import_study(root, members: int, chapters: int) -> None:
    for m in range(members):
        for c in range(1, chapters + 1):
            write_note(root, "스터디 책", f"멤버{m:02d}", c, score=1 + (m + c) % 5)
    import_path(root, max_bytes=MAX)


def first(model):
    return db.session.execute(select(model).order_by(model.id)).scalars().first()


def test_home_lists_books_with_progress(client, tmp_path):
    import_study(tmp_path / "notes", 2, 3)
    html = client.get("/").get_data(as_text=True)
    assert "스터디 책" in html
    assert "노트가 있는 장 3 / 3" in html


def test_home_when_empty_explains_import(client):
    html = client.get("/").get_data(as_text=True)
    assert "notes import" in html


def test_chapter_page_shows_every_members_note_and_questions(client, tmp_path):
    import_study(tmp_path / "notes", 3, 2)
    book = first(Book)
    html = client.get(f"/books/{book.id}/chapters/2").get_data(as_text=True)
    for m in range(3):
        assert f"멤버{m:02d}" in html
        assert f"멤버{m:02d}의 질문 2" in html


def test_note_page_shows_note_toc_questions_and_versions(client, tmp_path):
    import_study(tmp_path / "notes", 1, 1)
    note = first(Note)
    html = client.get(f"/notes/{note.id}").get_data(as_text=True)
    assert "멤버00의 1장 정리" in html
    assert 'aria-label="목차"' in html
    assert "멤버00의 질문 1" in html
    assert "1번째" in html
    assert "1시간 10분" in html


def test_version_page_shows_diff(client, tmp_path):
    path = write_note(tmp_path / "notes", "책", "김철수", 1, minutes=10)
    import_path(tmp_path / "notes", max_bytes=MAX)
    write_note(tmp_path / "notes", "책", "김철수", 1, minutes=40)
    import_path(tmp_path / "notes", max_bytes=MAX)
    note = first(Note)
    html = client.get(f"/notes/{note.id}/versions/2").get_data(as_text=True)
    assert "diff-add" in html and "1시간 40분" in html
    assert "diff-del" in html and "1시간 10분" in html
    assert path.exists()


def test_member_page(client, tmp_path):
    import_study(tmp_path / "notes", 2, 2)
    member = first(Member)
    html = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert member.name in html and "제목 1" in html and "제목 2" in html


@pytest.mark.parametrize(
    "url",
    ["/notes/999", "/members/999", "/books/999/chapters/1", "/notes/999/versions/1"],
)
def test_unknown_ids_are_friendly_404s(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.get_data(as_text=True)


def page_urls():
    book = first(Book)
    chapter = first(Chapter)
    return [
        "/",
        f"/books/{book.id}/chapters/{chapter.number}",
        f"/notes/{first(Note).id}",
        f"/members/{first(Member).id}",
    ]


def queries_per_page(client) -> dict[str, int]:
    counts = {}
    for url in page_urls():
        db.session.expire_all()
        with count_queries() as counter:
            assert client.get(url).status_code == 200, url
        counts[url.split("/")[1] or "home"] = counter[0]
    return counts


def test_pages_run_a_fixed_number_of_queries(client, tmp_path):
    import_study(tmp_path / "small", 1, 1)
    small = queries_per_page(client)
    import_study(tmp_path / "large", 10, 5)
    assert db.session.query(Note).count() == 50
    assert db.session.query(Question).count() >= 50
    large = queries_per_page(client)
    assert small == large


@pytest.mark.parametrize(
    "url",
    [
        f"/board?book={2**70}&chapter={2**70}&page={2**70}",
        f"/search?q=도커&book={2**70}&chapter=-{2**70}&member={2**64}&page={2**64}",
        f"/notifications?page={2**70}",
    ],
)
def test_huge_numbers_in_query_strings_are_ignored_not_errors(app, client, make_member, login, url):
    login(make_member("큰수"))
    assert client.get(url).status_code == 200


def test_book_summaries_count_only_live_notes_and_open_questions(app):
    from datetime import datetime

    from app.notes.queries import book_summaries
    from tests import factories

    book = factories.book("셈하는 책", range(1, 5), {})
    first_member, second_member = factories.member("하나"), factories.member("둘")
    factories.note(book, first_member, {1: 30, 2: 40})
    factories.note(book, second_member, {2: 50})
    factories.note(book, second_member, {3: 70}, deleted_at=datetime(2026, 1, 1))
    for state in ("open", "answered", "resolved"):
        factories.thread(book, first_member, f"{state} 질문", state=state)
    factories.thread(book, first_member, "숨김", hidden_at=datetime(2026, 1, 1))
    factories.thread(book, first_member, "지움", deleted_at=datetime(2026, 1, 1))
    factories.thread(book, first_member, "노트에서 빠짐", removed_from_note=True)
    db.session.commit()
    (summary,) = book_summaries()
    assert (summary.chapters, summary.chapters_with_notes, summary.notes) == (4, 2, 2)
    assert (summary.members, summary.open_questions, summary.progress_percent) == (2, 2, 50)
