"""The chapter page: its questions come a page at a time, in the pager style of the board."""

from app.extensions import db
from app.notes.queries import CHAPTER_QUESTIONS_PER_PAGE
from tests.web.ratings_data import add_book, add_member, add_question


def _chapter_with_questions(count: int):
    book = add_book("질문 많은 책", chapters=1)
    asker = add_member("김규민")
    for index in range(count):
        add_question(book, 1, asker, f"질문 {index:03d}")
    db.session.commit()
    return book


def test_chapter_shows_the_first_page_of_questions_and_the_total(client):
    book = _chapter_with_questions(CHAPTER_QUESTIONS_PER_PAGE + 5)
    page = client.get(f"/books/{book.id}/chapters/1").get_data(as_text=True)
    assert page.count('<a href="/questions/') == CHAPTER_QUESTIONS_PER_PAGE
    assert f'<span class="muted">{CHAPTER_QUESTIONS_PER_PAGE + 5}</span>' in page
    assert 'aria-label="질문 페이지"' in page and "1 / 2" in page
    assert f"/books/{book.id}/chapters/1?page=2#questions" in page


def test_chapter_second_page_has_the_rest(client):
    book = _chapter_with_questions(CHAPTER_QUESTIONS_PER_PAGE + 5)
    page = client.get(f"/books/{book.id}/chapters/1?page=2").get_data(as_text=True)
    assert page.count('<a href="/questions/') == 5
    assert "2 / 2" in page and 'rel="prev"' in page and 'rel="next"' not in page


def test_chapter_page_beyond_the_last_shows_the_last(client):
    book = _chapter_with_questions(3)
    page = client.get(f"/books/{book.id}/chapters/1?page=9").get_data(as_text=True)
    assert page.count('<a href="/questions/') == 3
    assert 'aria-label="질문 페이지"' not in page
