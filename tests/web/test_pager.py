"""The one pager macro under every paged list keeps the list's other query arguments."""

import re

from app.extensions import db
from tests import factories
from tests.web.board_helpers import ask, make_book, quick_member


def pager_links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="pagination"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return {
        rel: href.replace("&amp;", "&")
        for href, rel in re.findall(r'href="([^"]+)" rel="(\w+)"', nav)
    }


def test_board_pager_keeps_the_filters(client, app):
    book = make_book("책")
    asker = quick_member("묻는이")
    for i in range(25):
        ask(asker, book, title=f"질문 {i}", chapter=1)
    html = client.get(f"/board?book={book.id}&sort=votes&page=2").get_data(as_text=True)
    links = pager_links(html)
    assert set(links) == {"prev"}
    assert links["prev"].startswith("/board?") and f"book={book.id}" in links["prev"]
    assert "sort=votes" in links["prev"] and "page=1" in links["prev"]
    assert "2 / 2" in html


def test_admin_member_list_uses_the_same_pager(client, login):
    admin = quick_member("관리자", role="admin")
    for i in range(55):
        factories.member(f"멤버{i:02d}", login=False)
    db.session.commit()
    login(admin)
    html = client.get("/admin?page=2").get_data(as_text=True)
    assert pager_links(html) == {"prev": "/admin?page=1"}
    assert "2 / 2" in html
    assert "2 / 2" in client.get("/admin?page=9").get_data(as_text=True)  # past the end: the last
