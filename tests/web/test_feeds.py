"""Atom feeds: site-wide, per book, per member, and private URLs with a revocable secret."""

import feedparser

from app.board import services as board
from app.extensions import db
from app.feeds import services
from app.feeds.queries import activity
from app.models import Question
from tests import factories
from tests.web.mail_helpers import book_with_members


def _parse(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def _world(make_member):
    book, admin, people = book_with_members(make_member)
    question = board.ask_question(
        people["다온"], book_id=book.id, chapter_number=5, title="5장 질문", body="본문"
    )
    board.post_answer(people["가영"], question.id, "가영의 답")
    return book, admin, people


def test_site_book_and_member_feeds_validate(app, client, make_member):
    book, _admin, people = _world(make_member)
    site = _parse(client.get("/feeds/all.atom"))
    titles = [e.title for e in site.entries]
    assert "답변: 5장 질문" in titles and "질문: 5장 질문" in titles
    assert "노트: 가영의 5장" in titles
    assert all(e.updated_parsed and e.id and e.link for e in site.entries)
    assert len(_parse(client.get(f"/feeds/books/{book.id}.atom")).entries) == 4
    mine = _parse(client.get(f"/feeds/members/{people['가영'].id}.atom"))
    assert sorted(e.title for e in mine.entries) == ["노트: 가영의 5장", "답변: 5장 질문"]
    assert client.get("/feeds/books/999.atom").status_code == 404


def test_private_feed_needs_the_current_secret(app, client, login, make_member):
    app.config["PUBLIC_READ"] = False
    _book, _admin, people = _world(make_member)
    assert client.get("/feeds/all.atom").status_code == 302  # sign-in needed
    first = services.new_secret(people["다온"])
    assert len(_parse(client.get(f"/feeds/private/{first}/all.atom")).entries) == 4
    second = services.new_secret(people["다온"])
    assert client.get(f"/feeds/private/{first}/all.atom").status_code == 404
    assert client.get(f"/feeds/private/{second}/all.atom").status_code == 200
    login(people["다온"])
    page = client.post("/me/feeds/revoke", follow_redirects=True)
    assert "폐기했습니다" in page.text
    assert client.get(f"/feeds/private/{second}/all.atom").status_code == 404
    made = client.post("/me/feeds", follow_redirects=True)
    assert "/feeds/private/" in made.text


def test_home_and_member_pages_show_recent_activity(app, client, login, make_member):
    from app.ratings.services import submit_rating

    book, _admin, people = _world(make_member)
    submit_rating(book.id, 5, people["나래"], "4.5")
    board.set_answer_accepted(
        people["다온"], board.get_thread(1, people["다온"]).answers[0].id, accepted=True
    )
    login(people["다온"])
    home = client.get("/").text
    assert "최근 활동" in home
    for text in (
        "질문: 5장 질문",
        "채택된 답변: 5장 질문",
        "이해도: 5장 4.5점",
        "노트: 가영의 5장",
    ):
        assert text in home
    mine = client.get(f"/members/{people['나래'].id}").text
    assert "이해도: 5장 4.5점" in mine and "노트: 나래의 5장" in mine
    assert "질문: 5장 질문" not in mine


def test_activity_leaves_out_answers_on_hidden_threads_and_keeps_to_its_scope(app, make_member):
    book, admin, people = _world(make_member)
    other = factories.book("다른 책", range(1, 3), {1: "1장", 2: "2장"})
    db.session.commit()
    elsewhere = board.ask_question(
        people["나래"], book_id=other.id, chapter_number=1, title="다른 책 질문", body="본문"
    )
    board.post_answer(people["다온"], elsewhere.id, "다온의 답")
    titles = [item.title for item in activity()]
    assert "답변: 5장 질문" in titles and "답변: 다른 책 질문" in titles
    in_book = [item.title for item in activity(book_id=book.id)]
    assert "답변: 5장 질문" in in_book and "답변: 다른 책 질문" not in in_book
    mine = [item.title for item in activity(member_id=people["다온"].id)]
    assert "답변: 다른 책 질문" in mine and "답변: 5장 질문" not in mine
    board.moderate_post(admin, elsewhere.id, model=Question, hide=True)
    titles = [item.title for item in activity()]
    assert "답변: 다른 책 질문" not in titles and "질문: 다른 책 질문" not in titles
    assert "답변: 5장 질문" in titles
    assert len(activity(limit=2)) == 2
