"""The book dashboard, meeting prep, CSV exports and the rating form, through the client."""

import csv
import io
import re
from urllib.parse import unquote

import pytest
from flask import render_template
from sqlalchemy import select

from app.extensions import db
from app.models import Rating, RatingEvent
from app.ratings.services import chapter_panel
from tests.web.helpers import count_queries
from tests.web.ratings_data import (
    add_book,
    add_group,
    add_member,
    add_note,
    add_question,
    add_rating,
    chapter,
)


@pytest.fixture
def study(app):
    """Two chapters, three members: 김규민 wrote both, 박이슬 chapter 1 only, 조재현 nothing
    (but rated chapter 2 on the web); a two-chapter note with only a total."""
    book = add_book("한 권으로 배우는 도커 & 쿠버네티스", chapters=2)
    kim, park, jo = (add_member(name) for name in ("김규민", "박이슬", "조재현"))
    kim1 = add_note(book, kim, {1: 30}, total=30, difficulties="네임스페이스가 헷갈렸다")
    kim2 = add_note(book, kim, {2: None}, total=120)
    park12 = add_note(book, park, {1: None, 2: None}, total=140, difficulties="볼륨 마운트")
    add_rating(kim, chapter(book, 1), 5.0, kim1)
    add_rating(kim, chapter(book, 2), 3.5, kim2)
    add_rating(park, chapter(book, 1), 2.0, park12)
    add_rating(jo, chapter(book, 2), 4.0)
    add_question(book, 1, kim, "컨테이너와 VM의 차이", voters=(park,))
    add_question(book, 1, park, "cgroup은 무엇을 제한하나", voters=(kim, jo))
    add_question(book, 1, jo, "해결된 질문", state="resolved")
    add_question(book, 1, jo, "숨긴 질문", hidden_at=db.func.now())
    add_question(book, 2, kim, "파드와 컨테이너", state="answered")
    db.session.commit()
    return {"book": book, "kim": kim, "park": park, "jo": jo}


def text_of(response):
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_dashboard_grid_shows_scores_times_notes_and_missing(client, study):
    response = client.get(f"/books/{study['book'].id}")
    assert response.status_code == 200
    page = text_of(response)
    assert "한 권으로 배우는 도커 &amp; 쿠버네티스" in page
    grid = page[page.index('class="heatmap"') : page.index("</table>")]
    rows = {name: grid[grid.index(f">{name}</a>") :] for name in ("김규민", "박이슬", "조재현")}
    kim = rows["김규민"][: rows["김규민"].index("</tr>")]
    # Compact cells: the score links to the note; the reading time is in the title.
    assert ">5.0</a>" in kim and 'title="30분"' in kim and ">3.5</a>" in kim
    assert 'title="120분"' in kim
    assert kim.count('<a href="/notes/') == 2 and "미작성" not in kim
    park = rows["박이슬"][: rows["박이슬"].index("</tr>")]
    # A two-chapter note with only a total: shown on both, marked as shared.
    assert park.count('title="140분*"') == 2 and ">2.0</a>" in park
    jo = rows["조재현"][: rows["조재현"].index("</tr>")]
    # No note: no link, marked missing; a web score says so.
    assert jo.count('class="h0 nn" title="미작성 · 점수 없음"') == 1
    assert 'class="h4 nn" title="미작성 · 웹 점수">4.0</td>' in jo
    assert '<td class="h5"><a href="/notes/' in kim and '<td class="h2"><a' in park


def test_dashboard_cell_with_two_notes_links_both(client, study):
    book = study["book"]
    second = add_note(book, study["kim"], {1: 15, 2: None}, total=15)
    db.session.commit()
    page = client.get(f"/books/{book.id}").get_data(as_text=True)
    assert f'<a href="/notes/{second.id}" title="노트 2: ' in page
    assert 'title="45분 · 노트 2개"' in page


def test_dashboard_stays_small_for_a_large_group(client, app):
    book = add_group(50, chapters=30)
    page = client.get(f"/books/{book.id}").get_data()
    assert len(page) < 150_000
    text = page.decode()
    # More members than line colours: the line chart draws the group's mean instead.
    assert "모임 평균" in text and text.count('role="img"') == 2


def test_dashboard_totals_hardest_and_open_questions(client, study):
    page = text_of(client.get(f"/books/{study['book'].id}"))
    # Hours: 30 + 120 + 140 = 290 min.
    assert "4.8시간" in page
    assert "김규민</th><td>2.5시간</td>" in page
    assert '<td class="heat-total">2시간 30분</td>' in page
    # Open questions: chapter 1 has 2 (resolved and hidden left out), chapter 2 has 1.
    footer = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert "미해결 질문</th> <td>2</td><td>1</td> <td>3</td>" in footer
    hardest = page[page.index('class="hardest"') :]
    # Chapter 1 mean 3.5 with 2 open questions beats chapter 2 mean 3.75.
    assert hardest.index("1장") < hardest.index("2장")
    assert "평균 3.5점 (2명)" in hardest


def test_dashboard_charts_are_svg_with_text_alternatives(client, study):
    page = client.get(f"/books/{study['book'].id}").get_data(as_text=True)
    assert page.count('role="img"') == 2
    assert "회원별 장별 이해도</title>" in page
    assert 'class="legend-swatch series-0"' in page
    assert "style=" not in page  # the CSP forbids inline styles
    assert 'class="heatmap-wrap"' in page and 'tabindex="0"' in page


def test_dashboard_unknown_book_is_friendly_404(client):
    response = client.get("/books/4242")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.get_data(as_text=True)


def test_dashboard_of_book_without_notes(client, app):
    book = add_book("빈 책", chapters=0)
    db.session.commit()
    page = text_of(client.get(f"/books/{book.id}"))
    assert "아직 이 책에 가져온 노트가 없습니다" in page


def _statements_for(client, url):
    db.session.expire_all()
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter[0]


@pytest.mark.parametrize(
    "url",
    [
        "/books/{id}",
        "/books/{id}/chapters/1/prep",
        "/books/{id}/export/ratings.csv",
        "/books/{id}/export/reading-times.csv",
    ],
)
def test_pages_run_a_fixed_number_of_queries(client, app, url):
    small = add_group(1, chapters=2)
    large = add_group(20, chapters=5)
    small_count = _statements_for(client, url.format(id=small.id))
    large_count = _statements_for(client, url.format(id=large.id))
    assert small_count == large_count
    assert large_count <= 8


def test_chapter_panel_runs_fixed_queries(app):
    small = add_group(1, chapters=1)
    large = add_group(25, chapters=1)
    counts = []
    for book in (small, large):
        chapter_id = chapter(book, 1).id
        db.session.expire_all()
        with count_queries() as counter:
            chapter_panel(chapter_id, None)
        counts.append(counter[0])
    assert counts == [2, 2]


# --- meeting prep ---------------------------------------------------------------------------


def test_prep_lists_questions_by_votes_missing_members_and_lowest_scores(client, study):
    page = text_of(client.get(f"/books/{study['book'].id}/chapters/1/prep"))
    questions = page[page.index('id="prep-questions-') : page.index('id="prep-missing-')]
    assert questions.index("cgroup은 무엇을 제한하나") < questions.index("컨테이너와 VM의 차이")
    assert "나도 궁금해요 2" in questions
    assert "해결된 질문" not in questions and "숨긴 질문" not in questions
    missing = page[page.index('id="prep-missing-') : page.index('id="prep-lowest-')]
    assert "조재현" in missing and "김규민" not in missing and "박이슬" not in missing
    lowest = page[page.index('id="prep-lowest-') :]
    assert lowest.index("박이슬") < lowest.index("김규민")
    assert "볼륨 마운트" in lowest and "네임스페이스가 헷갈렸다" in lowest


def test_prep_unknown_chapter_is_404(client, study):
    assert client.get(f"/books/{study['book'].id}/chapters/9/prep").status_code == 404


# --- CSV ------------------------------------------------------------------------------------


def _csv(response):
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_ratings_csv(client, study):
    response = client.get(f"/books/{study['book'].id}/export/ratings.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="book-{study["book"].id}-ratings.csv"')
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "한 권으로 배우는 도커 & 쿠버네티스 이해도.csv"
    disposition.encode("latin-1")  # a header value must be Latin-1 safe
    rows = _csv(response)
    assert rows[0][:5] == ["장", "장 제목", "회원", "이해도(5점 만점)", "출처"]
    assert [row[:5] for row in rows[1:]] == [
        ["1", "1장 제목", "김규민", "5.0", "노트"],
        ["1", "1장 제목", "박이슬", "2.0", "노트"],
        ["2", "2장 제목", "김규민", "3.5", "노트"],
        ["2", "2장 제목", "조재현", "4.0", "웹"],
    ]


def test_reading_times_csv(client, study):
    response = client.get(f"/books/{study['book'].id}/export/reading-times.csv")
    rows = _csv(response)
    assert rows[0] == ["회원", "장", "독서 시간(분)", "노트"]
    assert [row[:3] for row in rows[1:]] == [
        ["김규민", "1", "30"],
        ["김규민", "2", "120"],
        ["박이슬", "1, 2", "140"],
    ]
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]


def test_csv_cells_cannot_run_as_formulas(client, app):
    book = add_book("=HYPERLINK(1)", chapters=1)
    member = add_member("=cmd|' /C calc'!A0")
    add_rating(member, chapter(book, 1), 3.0)
    db.session.commit()
    rows = _csv(client.get(f"/books/{book.id}/export/ratings.csv"))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"


def test_csv_of_unknown_book_is_404(client):
    assert client.get("/books/999/export/ratings.csv").status_code == 404


# --- the rating form ------------------------------------------------------------------------


def _history(member):
    return [
        (e.source, e.score)
        for e in db.session.scalars(
            select(RatingEvent).where(RatingEvent.member_id == member.id).order_by(RatingEvent.id)
        )
    ]


def test_signed_in_member_rates_a_chapter(client, login, make_member, study):
    member = make_member("회원가")
    login(member)
    book_id = study["book"].id
    response = client.post(f"/books/{book_id}/chapters/2/rating", data={"score": "4.5"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/books/{book_id}/chapters/2#ratings")
    rating = db.session.scalar(select(Rating).where(Rating.member_id == member.id))
    assert (rating.score, rating.source) == (4.5, "web")
    page = client.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
    assert "2장 이해도를 4.5점으로 저장했습니다" in page


@pytest.mark.parametrize("score", ["", "0", "5.5", "3.3", "별 다섯 개"])
def test_bad_score_gets_korean_message_and_keeps_rating(client, login, make_member, study, score):
    member = make_member("회원나")
    login(member)
    book_id = study["book"].id
    client.post(f"/books/{book_id}/chapters/1/rating", data={"score": "3"})
    response = client.post(
        f"/books/{book_id}/chapters/1/rating", data={"score": score}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "0.5점부터 5점까지" in response.get_data(as_text=True)
    assert _history(member) == [("web", 3.0)]


def test_anonymous_rating_goes_to_login_and_saves_nothing(client, study):
    response = client.post(f"/books/{study['book'].id}/chapters/1/rating", data={"score": "3"})
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert db.session.scalar(select(Rating).where(Rating.source == "web")) is not None  # 조재현's
    assert len(db.session.scalars(select(Rating).where(Rating.source == "web")).all()) == 1


def test_rating_an_unknown_chapter_is_404(client, login, make_member, study):
    login(make_member("회원다"))
    response = client.post(f"/books/{study['book'].id}/chapters/77/rating", data={"score": "3"})
    assert response.status_code == 404


def test_rating_form_requires_csrf_token(app, client, login, make_member, study):
    app.config["WTF_CSRF_ENABLED"] = True
    member = make_member("회원라")
    login(member)
    url = f"/books/{study['book'].id}/chapters/1/rating"
    assert client.post(url, data={"score": "4"}).status_code == 400
    assert _history(member) == []

    chapter_page = client.get(f"/books/{study['book'].id}/chapters/1").get_data(as_text=True)
    form = chapter_page[chapter_page.index('class="rating-form"') :]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert client.post(url, data={"score": "4", "csrf_token": token}).status_code == 302
    assert _history(member) == [("web", 4.0)]


def test_panel_renders_star_radios_for_signed_in_member(app, study):
    kim = study["kim"]
    panel = chapter_panel(chapter(study["book"], 1).id, kim.id)
    with app.test_request_context():
        html = render_template("ratings/_chapter_panel.html", panel=panel)
    radios = re.findall(r'<input type="radio"[^>]*>', html)
    assert len(radios) == 10
    assert [re.search(r'value="([^"]+)"', r).group(1) for r in radios][:3] == ["0.5", "1", "1.5"]
    checked = [r for r in radios if "checked" in r]
    assert len(checked) == 1 and 'value="5"' in checked[0]
    assert html.count("<label") == 10 and "<legend>" in html
    assert 'name="csrf_token"' in html and 'type="submit"' in html
    assert "평균" in html and "<svg" in html and "점수 분포를 표로 보기" in html
    assert "style=" not in html
    assert f'href="/books/{study["book"].id}/chapters/1/prep"' in html


def test_panel_for_anonymous_invites_login_and_has_no_form(app, study):
    panel = chapter_panel(chapter(study["book"], 2).id, None)
    with app.test_request_context():
        html = render_template("ratings/_chapter_panel.html", panel=panel)
    assert "<form" not in html and "로그인" in html
    assert "3.8" in html  # mean of 3.5 and 4.0
