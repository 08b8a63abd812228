"""What members do on the site, in a real browser, one journey per test: sign in, read a
note by its table of contents, ask, answer, accept, rate a chapter, search, write a note."""

from __future__ import annotations

import re
import uuid
from urllib.parse import unquote, urlsplit

import pytest

from tests.e2e.browser import (
    PHONE,
    require_page,
    screenshot,
    scrolls_sideways,
    type_korean_with_ime,
)
from tests.e2e.site import PASSWORD, seeded_paths, with_app

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def paths(site) -> dict[str, str | None]:
    """The URLs of the main pages on the seeded site."""
    return seeded_paths(site)


def seeded(site, paths, name: str) -> str:
    """A seeded page's URL, failing with the import report when the importer made none."""
    assert paths[name] is not None, f"the importer made no {name}:\n{site.import_output}"
    return paths[name]


def unique(text: str) -> str:
    """`text` with a short unique suffix, so journeys never see each other's data."""
    return f"{text} {uuid.uuid4().hex[:6]}"


# --- signing in -----------------------------------------------------------------------------


def test_member_signs_in_and_lands_where_they_were_going(open_page, site):
    require_page(site, "/login", "POST")
    require_page(site, "/board")
    page = open_page(as_member=None)
    page.goto("/board")
    assert urlsplit(page.url).path == "/login", "a visitor is sent to sign in first"
    page.get_by_label("아이디").fill(site.username("지민"))
    page.get_by_label("비밀번호").fill(PASSWORD)
    screenshot(page, "journey-login-filled")
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(re.compile(r"/board"))
    expect(page.locator(".site-header")).to_contain_text("지민")


def test_wrong_password_is_refused_with_a_korean_message(open_page, site):
    require_page(site, "/login", "POST")
    page = open_page(as_member=None)
    page.goto("/login")
    page.get_by_label("아이디").fill(site.username("지민"))
    page.get_by_label("비밀번호").fill("틀린 비밀번호")
    page.get_by_role("button", name="로그인").click()
    assert urlsplit(page.url).path == "/login"
    expect(page.get_by_role("alert")).to_contain_text(re.compile("[가-힣]"))


# --- reading ----------------------------------------------------------------------------------


def test_member_reads_a_note_through_its_table_of_contents(page, site, paths):
    note = seeded(site, paths, "note")
    require_page(site, note)
    page.goto(note)
    expect(page.locator(".prose")).to_contain_text("수평 확장")
    toc_link = page.locator(".toc a", has_text="데이터베이스 샤딩")
    expect(toc_link).to_be_visible()
    toc_link.click()
    target = unquote(urlsplit(page.url).fragment)
    assert target, "the table of contents link points at an anchor"
    heading = page.locator(f"[id='{target}']")
    expect(heading).to_contain_text("데이터베이스 샤딩")
    expect(heading).to_be_in_viewport()
    screenshot(page, "journey-note-toc")


def test_note_table_of_contents_works_on_a_phone(open_page, site, paths):
    note = seeded(site, paths, "note")
    require_page(site, note)
    page = open_page(viewport=PHONE)
    page.goto(note)
    page.locator(".toc a", has_text="캐시").first.click()
    heading = page.locator(f"[id='{unquote(urlsplit(page.url).fragment)}']")
    expect(heading).to_be_in_viewport()
    assert not scrolls_sideways(page)


# --- the board --------------------------------------------------------------------------------


def book_id(site) -> int:
    """The seeded book's id (the book exists once the importer has run)."""
    from app.models import Book

    with with_app(site) as db:
        found = db.session.query(Book.id).first()
    assert found is not None, f"the importer made no book:\n{site.import_output}"
    return found[0]


def test_member_asks_a_question_with_a_preview(page, site):
    require_page(site, "/questions/new", "POST")
    book = book_id(site)
    title = unique("캐시와 데이터베이스의 일관성은 어떻게 맞추나요?")
    page.goto("/questions/new")
    page.get_by_label("제목").fill(title)
    page.get_by_label("책").select_option(str(book))
    page.get_by_label("장 번호").fill("1")
    page.get_by_label("내용 (Markdown)").fill("**쓰기 후 무효화**와 `TTL` 중 무엇이 나을까요?")
    page.get_by_role("button", name="미리보기").click()
    preview = page.locator(".md-preview")
    expect(preview.locator("strong")).to_have_text("쓰기 후 무효화")
    screenshot(page, "journey-ask-preview")
    page.get_by_role("button", name="질문 올리기").click()
    page.wait_for_url(re.compile(r"/questions/\d+"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".thread-question .prose strong")).to_have_text("쓰기 후 무효화")
    page.goto("/board")
    row = page.locator("li, tr, article").filter(has_text=title).last
    expect(row).to_contain_text("미해결")


def ask_as(site, name: str, title: str, body: str = "") -> int:
    """Open a thread through the board's own service, as a seeded member."""
    from app.board.services import ask_question
    from app.models import Member

    book = book_id(site)
    with with_app(site) as db:
        member = db.session.get(Member, site.member_ids[name])
        question = ask_question(member, book_id=book, chapter_number=1, title=title, body=body)
        return question.id


def answer_as(site, name: str, question_id: int, body: str) -> int:
    """Answer a thread through the board's own service, as a seeded member."""
    from app.board.services import post_answer
    from app.models import Member

    with with_app(site) as db:
        member = db.session.get(Member, site.member_ids[name])
        return post_answer(member, question_id, body).id


def test_second_member_answers_a_question(open_page, site):
    require_page(site, "/questions/1/answers", "POST")
    title = unique("샤딩 키는 나중에 바꿀 수 있나요?")
    question = ask_as(site, "지민", title)
    page = open_page(as_member="서준")
    page.goto(f"/questions/{question}")
    page.get_by_label("답변 (Markdown)").fill("**안정 해시**를 쓰면 옮길 데이터가 줄어듭니다.")
    page.get_by_role("button", name="답변 올리기").click()
    answer = page.locator("article.answer", has_text="옮길 데이터가 줄어듭니다")
    expect(answer).to_contain_text("서준")
    expect(answer.locator("strong")).to_have_text("안정 해시")
    expect(page.locator(".thread-question")).to_contain_text("답변 있음")
    screenshot(page, "journey-answered")


def test_asker_accepts_an_answer_and_the_board_shows_it_resolved(page, site):
    require_page(site, "/answers/1/accept", "POST")
    title = unique("QPS 추정은 얼마나 정확해야 하나요?")
    question = ask_as(site, "지민", title)
    answer_as(site, "서준", question, "자릿수만 맞으면 충분합니다.")
    page.goto(f"/questions/{question}")
    page.get_by_role("button", name="채택하기").click()
    expect(page.locator("article.answer.accepted")).to_contain_text("자릿수만 맞으면")
    expect(page.locator(".thread-question")).to_contain_text("해결됨")
    page.goto("/board")
    row = page.locator("li, tr, article").filter(has_text=title).last
    expect(row).to_contain_text("해결됨")
    screenshot(page, "journey-board-resolved")


def test_only_the_asker_sees_the_accept_button(open_page, site):
    require_page(site, "/answers/1/accept", "POST")
    question = ask_as(site, "지민", unique("가용성 99.9%는 1년에 몇 시간 멈추나요?"))
    answer_as(site, "관리자", question, "약 8.8시간입니다.")
    page = open_page(as_member="서준")
    page.goto(f"/questions/{question}")
    expect(page.get_by_role("button", name="채택하기")).to_have_count(0)


# --- ratings ----------------------------------------------------------------------------------


def dashboard_cell(page, member: str, chapter: int):
    """The member × chapter cell of the book dashboard's grid."""
    header = page.locator("table.heatmap thead th")
    labels = [text.strip() for text in header.all_inner_texts()]
    column = labels.index(f"{chapter}장")
    row = page.locator("table.heatmap tbody tr", has=page.locator("th", has_text=member))
    return row.locator("th, td").nth(column)


def test_member_rates_a_chapter_and_the_dashboard_changes(open_page, site):
    book = book_id(site)
    require_page(site, f"/books/{book}/chapters/2/rating", "POST")
    page = open_page(as_member="서준")
    page.goto(f"/books/{book}")
    cell = dashboard_cell(page, "서준", 2)
    expect(cell).not_to_contain_text("4.5")
    page.goto(f"/books/{book}/chapters/2")
    form = page.locator("form.rating-form")
    form.locator("label[title='4.5점']").click()
    form.get_by_role("button", name="점수 저장").click()
    expect(page.locator(".flash")).to_contain_text("4.5")
    page.goto(f"/books/{book}")
    expect(dashboard_cell(page, "서준", 2)).to_contain_text("4.5")
    screenshot(page, "journey-dashboard-rated")


# --- search -----------------------------------------------------------------------------------


def test_member_searches_a_korean_word(page, site, paths):
    note = seeded(site, paths, "note")
    require_page(site, "/search")
    page.goto("/")
    search = page.get_by_role("searchbox", name="검색")
    search.fill("샤딩")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    expect(page.locator(f"main a[href='{note}'], main a[href^='{note}#']").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("샤딩")
    screenshot(page, "journey-search")


def test_search_finds_a_word_that_carries_a_particle_in_the_note(page, site, paths):
    note = seeded(site, paths, "note")
    require_page(site, "/search")
    # 지민's note says "로드밸런서가 트래픽을 나눈다": the word is glued to its particle.
    page.goto("/search?q=로드밸런서")
    expect(page.locator(f"main a[href='{note}'], main a[href^='{note}#']").first).to_be_visible()


# --- writing a note ---------------------------------------------------------------------------


NEW_NOTE = """## 📝 2. 내용 정리

### 안정 해시
- **가상 노드**로 데이터를 고르게 나눈다.

## ❓ 4. 특별히 궁금했던 부분
- 가상 노드는 몇 개가 적당한가요?

## ✅ 6. 이해도 체크
### 자신의 이해도를 점수로 표현하기
- Chapter 2: ⭐⭐⭐⭐☆ (4/5)
"""


def test_member_writes_a_note_with_live_preview(open_page, site):
    require_page(site, "/notes/new", "POST")
    book = book_id(site)
    page = open_page(as_member="서준")
    page.goto("/notes/new")
    page.get_by_label("책").select_option(str(book))
    page.get_by_label("장", exact=True).fill("2")
    page.get_by_label("노트 (Markdown)").fill(NEW_NOTE)
    # No button pressed: the preview follows the typing.
    preview = page.locator("#note-preview")
    expect(preview.locator("strong")).to_have_text("가상 노드")
    expect(preview).to_contain_text("안정 해시")
    screenshot(page, "journey-note-preview")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(re.compile(r"/notes/\d+$"))
    expect(page.locator(".prose strong")).to_have_text("가상 노드")
    expect(page.locator(".note-aside")).to_contain_text("가상 노드는 몇 개가 적당한가요?")


# --- API tokens -------------------------------------------------------------------------------


def test_member_creates_uses_and_revokes_an_api_token(page, site):
    require_page(site, "/me")
    page.goto("/me")
    section = page.locator("#api-tokens")
    section.get_by_label("새 토큰 이름").fill("채팅방 알림 봇")
    section.get_by_role("button", name="토큰 만들기").click()
    token = page.get_by_label("토큰").input_value()
    assert token.startswith("sh_")
    screenshot(page, "journey-api-token")
    api = page.context.request
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/books", headers=headers).status == 200
    page.goto("/me")
    page.get_by_role("button", name="'채팅방 알림 봇' 토큰 폐기").click()
    expect(page.locator(".flash")).to_contain_text("폐기")
    response = api.get("/api/v1/books", headers=headers)
    assert response.status == 401
    assert response.headers["content-type"] == "application/problem+json"


# --- the keyboard and the IME -------------------------------------------------------------------


def test_member_asks_a_question_with_the_keyboard_alone(page, site):
    require_page(site, "/questions/new", "POST")
    book_id(site)
    title = unique("키보드만으로 올린 질문")
    page.goto("/questions/new")
    page.get_by_label("제목").focus()
    page.keyboard.type(title)
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # 책: from "책을 고르세요" to the seeded book
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("탭과 엔터만으로 씁니다.")
    for _ in range(6):  # on to the 질문 올리기 button, past the editor's preview controls
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "질문 올리기":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/questions/\d+"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_enter_that_ends_a_korean_composition_does_not_submit_a_form(page, site):
    require_page(site, "/questions/new", "POST")
    book_id(site)
    page.goto("/questions/new")
    page.get_by_label("제목").focus()
    type_korean_with_ime(page, "샤딩")
    assert urlsplit(page.url).path == "/questions/new"
    assert page.get_by_label("제목").input_value() == "샤딩"
