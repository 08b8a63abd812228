"""Atom feeds: site-wide, per book, per member, and private URLs with a revocable secret."""

import feedparser

from app.board import services as board
from app.feeds import services
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
