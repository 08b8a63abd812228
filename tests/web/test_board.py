"""The question board on the web: ask, answer, accept, vote, edit, moderate, notifications."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from app.board import services
from app.errors import Forbidden
from app.extensions import db
from app.models import Answer, Notification, PostRevision, Question, Vote
from tests import factories
from tests.web.board_helpers import ask, make_book, quick_member
from tests.web.helpers import count_queries


@pytest.fixture
def book(app):
    return make_book()


@pytest.fixture
def people(app):
    """An asker, an answerer, a bystander and an admin."""
    return {
        "asker": quick_member("asker"),
        "answerer": quick_member("answerer"),
        "other": quick_member("other"),
        "admin": quick_member("admin", role="admin"),
    }


def client_for(app, login, member):
    return login(member, on=app.test_client())


def html(response):
    return response.get_data(as_text=True)


def badge(page: str) -> int:
    """The unread count shown in the header badge (0 when no count is shown)."""
    match = re.search(r'class="badge-count"[^>]*>(\d+)<', page)
    return int(match.group(1)) if match else 0


# --- the whole story ----------------------------------------------------------------------


def test_ask_answer_accept_shows_resolved_with_badges(app, login, book, people):
    asker = client_for(app, login, people["asker"])
    answerer = client_for(app, login, people["answerer"])

    response = asker.post(
        "/questions/new",
        data={
            "title": "CAP 정리는 왜 셋 중 둘인가요?",
            "body": "본문 **굵게**",
            "book_id": str(book.id),
            "chapter_number": "2",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    question = db.session.scalars(select(Question)).one()
    assert (question.asker_id, question.chapter_number, question.state) == (
        people["asker"].id,
        2,
        "open",
    )
    assert "<strong>굵게</strong>" in question.body_html

    response = answerer.post(
        f"/questions/{question.id}/answers",
        data={"body": "분할 내성은 **포기할 수 없기** 때문입니다.", "submit": "1"},
    )
    assert response.status_code == 302
    answer = db.session.scalars(select(Answer)).one()
    assert response.headers["Location"].endswith(f"/questions/{question.id}#answer-{answer.id}")

    # the asker sees one new answer in the badge; the answerer sees none
    assert badge(html(asker.get("/board"))) == 1
    assert badge(html(answerer.get("/board"))) == 0

    assert asker.post(f"/answers/{answer.id}/accept").status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, question.id).state == "resolved"
    board = html(asker.get("/board"))
    assert "CAP 정리는 왜 셋 중 둘인가요?" in board and "state-resolved" in board
    thread = html(answerer.get(f"/questions/{question.id}"))
    assert "채택된 답변" in thread and "<strong>포기할 수 없기</strong>" in thread

    # reading the notification empties the asker's badge
    note_id = db.session.scalar(select(Notification.id))
    response = asker.post(f"/notifications/{note_id}/open")
    assert response.headers["Location"].endswith(f"/questions/{question.id}")
    assert badge(html(asker.get("/board"))) == 0


# --- states -------------------------------------------------------------------------------


def test_states_follow_visible_and_accepted_answers(book, people):
    question = ask(people["asker"], book)
    assert question.state == "open" and question.answers_count == 0
    first = services.post_answer(people["answerer"], question.id, "하나")
    second = services.post_answer(people["other"], question.id, "둘")
    assert (question.state, question.answers_count) == ("answered", 2)
    services.set_answer_accepted(people["asker"], first.id, accepted=True)
    services.set_answer_accepted(people["asker"], second.id, accepted=True)
    assert question.state == "resolved"
    services.reopen_question(people["asker"], question.id)
    assert question.state == "answered"
    assert not db.session.get(Answer, first.id).accepted
    services.set_answer_accepted(people["admin"], second.id, accepted=True)
    assert question.state == "resolved"
    services.delete_post(people["other"], second.id, model=Answer)
    assert (question.state, question.answers_count) == ("answered", 1)
    services.delete_post(people["answerer"], first.id, model=Answer)
    assert (question.state, question.answers_count) == ("open", 0)
    services.moderate_post(people["admin"], second.id, model=Answer, hide=False)
    assert (question.state, question.answers_count) == ("resolved", 1)


def test_only_the_asker_or_an_admin_accepts(app, login, book, people):
    question = ask(people["asker"], book)
    answer = services.post_answer(people["answerer"], question.id, "답")
    for name in ("answerer", "other"):
        response = client_for(app, login, people[name]).post(f"/answers/{answer.id}/accept")
        assert response.status_code == 403
    with pytest.raises(Forbidden):
        services.reopen_question(people["other"], question.id)
    assert db.session.get(Question, question.id).state == "answered"


# --- Markdown and safety ------------------------------------------------------------------


def test_answer_markdown_renders_and_script_never_survives(client, login, book, people):
    question = ask(people["asker"], book)
    login(people["answerer"])
    body = (
        "# 제목\n\n`code` 와 [링크](https://example.com)\n\n"
        "<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[나쁜 링크](javascript:alert(1))"
    )
    client.post(f"/questions/{question.id}/answers", data={"body": body, "submit": "1"})
    answer = db.session.scalars(select(Answer)).one()
    assert answer.body == body
    for stored in (answer.body_html, html(client.get(f"/questions/{question.id}"))):
        assert "<code>code</code>" in stored and 'href="https://example.com"' in stored
        assert "<script>alert" not in stored
        # The javascript: link is refused by the parser and stays visible, inert text.
        assert "onerror" not in stored and 'href="javascript' not in stored


def test_question_title_is_escaped(client, book, people):
    question = ask(people["asker"], book, title="<b>굵은</b> 제목")
    page = html(client.get(f"/questions/{question.id}"))
    assert "&lt;b&gt;굵은&lt;/b&gt; 제목" in page
    assert "&lt;b&gt;굵은" in html(client.get("/board"))


def test_preview_endpoint_returns_sanitized_fragment(client, login, people):
    login(people["asker"])
    response = client.post("/board/preview", data={"body": "**굵게**<script>x()</script>"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    text = html(response)
    assert "<strong>굵게</strong>" in text and "<script" not in text and "<html" not in text
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_preview_button_without_javascript_saves_nothing(client, login, book, people):
    question = ask(people["asker"], book)
    login(people["answerer"])
    response = client.post(
        f"/questions/{question.id}/answers", data={"body": "*미리* 보기", "preview": "미리보기"}
    )
    assert response.status_code == 200
    page = html(response)
    assert "<em>미리</em> 보기" in page and "*미리* 보기</textarea>" in page
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    response = client.post(
        "/questions/new",
        data={"title": "t", "body": "_질문_ 미리", "book_id": str(book.id), "preview": "1"},
    )
    assert "<em>질문</em> 미리" in html(response)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 1


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "book_id": "BOOK"}, "제목을 입력해 주세요."),
        ({"title": "제목", "book_id": ""}, "책을 골라 주세요."),
        ({"title": "제목", "book_id": "999"}, "책을 골라 주세요."),
        ({"title": "제목", "book_id": "BOOK", "chapter_number": "셋"}, "장 번호는 숫자로"),
        (
            {"title": "제목", "book_id": "BOOK", "chapter_number": "42"},
            "이 책에는 42장이 없습니다.",
        ),
        ({"title": "x" * 501, "book_id": "BOOK"}, "500자까지"),
    ],
)
def test_ask_rejects_bad_input_with_a_korean_message(client, login, book, people, data, message):
    login(people["asker"])
    data = {k: v.replace("BOOK", str(book.id)) for k, v in data.items()} | {"submit": "1"}
    response = client.post("/questions/new", data=data)
    assert response.status_code == 200
    assert message in html(response)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_empty_answer_is_refused(client, login, book, people):
    question = ask(people["asker"], book)
    login(people["answerer"])
    response = client.post(f"/questions/{question.id}/answers", data={"body": "  ", "submit": "1"})
    assert response.status_code == 200 and "답변 내용을 입력해 주세요." in html(response)
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_ask_form_prefills_book_and_chapter(client, login, book, people):
    login(people["asker"])
    page = html(client.get(f"/questions/new?book={book.id}&chapter=3"))
    assert f'<option selected value="{book.id}">' in page
    assert 'value="3"' in page


# --- edits, history, deletion and moderation ----------------------------------------------


def test_owner_edits_keep_visible_history(client, login, book, people):
    question = ask(people["asker"], book, title="옛 제목", body="옛 본문")
    answer = services.post_answer(people["answerer"], question.id, "옛 답변")
    login(people["asker"])
    response = client.post(
        f"/questions/{question.id}/edit",
        data={"title": "새 제목", "body": "새 **본문**", "submit": "1"},
    )
    assert response.status_code == 302
    login(people["answerer"])
    client.post(f"/answers/{answer.id}/edit", data={"body": "새 답변", "submit": "1"})
    db.session.expire_all()
    assert db.session.get(Question, question.id).body_html.count("<strong>본문</strong>") == 1
    page = html(client.get(f"/questions/{question.id}"))
    assert "새 제목" in page and "새 답변" in page
    assert "수정 기록" in page and "옛 제목" in page and "옛 본문" in page and "옛 답변" in page
    revisions = db.session.scalars(select(PostRevision).order_by(PostRevision.id)).all()
    assert [(r.question_id, r.answer_id, r.source, r.editor_id) for r in revisions] == [
        (question.id, None, "web", people["asker"].id),
        (None, answer.id, "web", people["answerer"].id),
    ]


def test_soft_delete_hides_from_members_but_keeps_rows(client, login, book, people):
    question = ask(people["asker"], book, title="지울 질문")
    login(people["asker"])
    assert client.post(f"/questions/{question.id}/delete").status_code == 302
    assert db.session.get(Question, question.id) is not None
    assert "지울 질문" not in html(client.get("/board"))
    assert client.get(f"/questions/{question.id}").status_code == 404
    login(people["admin"])
    page = html(client.get(f"/questions/{question.id}"))
    assert "작성자가 삭제한 질문입니다" in page
    assert "지울 질문" not in html(client.get("/board"))
    hidden_list = html(client.get("/board?hidden=1"))
    assert "지울 질문" in hidden_list and "삭제됨" in hidden_list
    client.post(f"/questions/{question.id}/restore")
    assert "지울 질문" in html(client.get("/board"))
    assert "지울 질문" not in html(client.get("/board?hidden=1"))


def test_only_admins_list_hidden_questions(client, login, book, people):
    question = ask(people["asker"], book, title="숨긴 질문")
    services.moderate_post(people["admin"], question.id, model=Question, hide=True)
    login(people["asker"])
    assert "숨긴 질문" not in html(client.get("/board?hidden=1"))


def test_admin_hides_and_restores_any_answer(app, login, book, people):
    question = ask(people["asker"], book)
    answer = services.post_answer(people["answerer"], question.id, "숨길 답변")
    admin = client_for(app, login, people["admin"])
    reader = client_for(app, login, people["other"])
    assert admin.post(f"/answers/{answer.id}/hide").status_code == 302
    assert "숨길 답변" not in html(reader.get(f"/questions/{question.id}"))
    assert "관리자가 숨긴 답변입니다" in html(admin.get(f"/questions/{question.id}"))
    assert db.session.get(Question, question.id).answers_count == 0
    admin.post(f"/answers/{answer.id}/restore")
    assert "숨길 답변" in html(reader.get(f"/questions/{question.id}"))


# --- permissions: author / other member / admin / anonymous -------------------------------

ROUTES = [
    # (method, url template, form data, author allowed)
    ("GET", "/questions/{q}/edit", None, True),
    ("POST", "/questions/{q}/edit", {"title": "t", "body": "b", "submit": "1"}, True),
    ("GET", "/answers/{a}/edit", None, True),
    ("POST", "/answers/{a}/edit", {"body": "b", "submit": "1"}, True),
    ("POST", "/answers/{a}/delete", {}, True),
    ("POST", "/questions/{q}/delete", {}, True),
    ("POST", "/questions/{q}/hide", {}, False),
    ("POST", "/questions/{q}/restore", {}, False),
    ("POST", "/answers/{a}/hide", {}, False),
    ("POST", "/answers/{a}/restore", {}, False),
]


@pytest.mark.parametrize(("method", "url", "data", "author_allowed"), ROUTES)
@pytest.mark.parametrize("who", ["author", "other", "admin", "anonymous"])
def test_permissions(app, login, book, people, method, url, data, author_allowed, who):
    question = ask(people["asker"], book)
    answer = services.post_answer(people["asker"], question.id, "내 답")
    url = url.format(q=question.id, a=answer.id)
    member = {"author": people["asker"], "other": people["other"], "admin": people["admin"]}
    client = app.test_client() if who == "anonymous" else client_for(app, login, member[who])
    response = client.open(url, method=method, data=data)
    allowed = who == "admin" or (who == "author" and author_allowed)
    if who == "anonymous":
        assert response.status_code in (302, 401)  # 302: to the sign-in page
        assert response.headers.get("Location", "/login").startswith("/login")
    elif allowed:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/questions/new"),
        ("POST", "/questions/new"),
        ("POST", "/questions/{q}/answers"),
        ("POST", "/questions/{q}/vote"),
        ("POST", "/board/preview"),
        ("GET", "/notifications"),
        ("POST", "/notifications/read"),
    ],
)
def test_anonymous_cannot_write(client, book, people, method, url):
    question = ask(people["asker"], book)
    response = client.open(url.format(q=question.id), method=method, data={"body": "x"})
    assert response.status_code in (302, 401)
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_anonymous_reads_board_and_thread(client, book, people):
    question = ask(people["asker"], book, title="누구나 읽는 질문")
    assert "누구나 읽는 질문" in html(client.get("/board"))
    page = html(client.get(f"/questions/{question.id}"))
    assert "누구나 읽는 질문" in page and "로그인" in page
    assert 'class="nav-badge' not in page


@pytest.mark.parametrize("url", ["/questions/999", "/questions/999/edit", "/answers/999/edit"])
def test_unknown_ids_are_a_friendly_404(client, login, people, url):
    login(people["asker"])
    response = client.get(url)
    assert response.status_code == 404
    assert "찾을 수 없습니다" in html(response)


def test_unknown_ids_for_actions_are_404(client, login, people):
    login(people["admin"])
    for url in (
        "/answers/999/accept",
        "/questions/999/vote",
        "/notifications/999/read",
        "/questions/999/answers",
    ):
        assert client.post(url, data={"body": "x", "submit": "1"}).status_code == 404


def test_csrf_is_required_when_enabled(app, client, login, book, people):
    question = ask(people["asker"], book)
    app.config["WTF_CSRF_ENABLED"] = True
    login(people["answerer"])
    response = client.post(f"/questions/{question.id}/answers", data={"body": "x", "submit": "1"})
    assert response.status_code == 400
    assert client.post("/board/preview", data={"body": "x"}).status_code == 400
    page = html(client.get(f"/questions/{question.id}"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/board/preview", data={"body": "*x*"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and "<em>x</em>" in html(response)
    response = client.post(
        f"/questions/{question.id}/answers",
        data={"body": "토큰 있는 답", "submit": "1", "csrf_token": token},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


# --- 나도 궁금해요 --------------------------------------------------------------------------


def test_vote_toggles_one_per_member_and_sorts_the_board(client, login, book, people):
    plain = ask(people["asker"], book, title="평범한 질문")
    popular = ask(people["asker"], book, title="인기 질문")
    ask(people["asker"], book, title="가장 새 질문")
    login(people["other"])
    client.post(f"/questions/{popular.id}/vote")
    assert db.session.get(Question, popular.id).votes_count == 1
    client.post(f"/questions/{plain.id}/vote")
    client.post(f"/questions/{plain.id}/vote")  # second press takes it back
    login(people["answerer"])
    client.post(f"/questions/{popular.id}/vote")
    db.session.expire_all()
    assert db.session.get(Question, popular.id).votes_count == 2
    assert db.session.get(Question, plain.id).votes_count == 0
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 2
    page = html(client.get(f"/questions/{popular.id}"))
    assert 'aria-pressed="true"' in page
    by_votes = html(client.get("/board?sort=votes"))
    assert by_votes.index("인기 질문") < by_votes.index("가장 새 질문")
    newest = html(client.get("/board?sort=new"))
    assert newest.index("가장 새 질문") < newest.index("인기 질문")


def test_asker_cannot_vote_for_own_question(client, login, book, people):
    question = ask(people["asker"], book)
    login(people["asker"])
    response = client.post(f"/questions/{question.id}/vote", follow_redirects=True)
    assert "자신의 질문에는" in html(response)
    assert db.session.get(Question, question.id).votes_count == 0
    assert "aria-pressed" not in html(client.get(f"/questions/{question.id}"))


# --- the board: filters, sorting, pagination, queries -------------------------------------


def test_board_filters(client, login, book, people, make_member):
    other_book = make_book("다른 책", chapters=(1,))
    ask(people["asker"], book, title="1장 질문", chapter=1)
    two = ask(people["asker"], book, title="2장 질문", chapter=2)
    ask(people["other"], other_book, title="다른 책 질문", chapter=1)
    services.post_answer(people["answerer"], two.id, "답")
    login(people["other"])

    def titles(query):
        page = html(client.get("/board" + query))
        return {t for t in ("1장 질문", "2장 질문", "다른 책 질문") if t in page}

    assert titles("") == {"1장 질문", "2장 질문", "다른 책 질문"}
    assert titles(f"?book={book.id}") == {"1장 질문", "2장 질문"}
    assert titles(f"?book={book.id}&chapter=2") == {"2장 질문"}
    assert titles("?state=answered") == {"2장 질문"}
    assert titles("?state=open") == {"1장 질문", "다른 책 질문"}
    assert titles("?unanswered=1") == {"1장 질문", "다른 책 질문"}
    assert titles("?mine=1") == {"다른 책 질문"}
    assert titles("?book=nonsense&page=-3&sort=bogus&state=bogus") == titles("")


def test_board_row_shows_chapter_asker_counts_state(client, book, people):
    question = ask(people["asker"], book, title="한눈에 보기", chapter=3)
    services.post_answer(people["answerer"], question.id, "답")
    services.toggle_vote(people["other"], question.id)
    page = html(client.get("/board"))
    row = page[page.index("한눈에 보기") - 600 : page.index("한눈에 보기") + 900]
    assert "3장" in row and "asker" in row and "state-answered" in row
    assert "답변 1개" in row and "나도 궁금해요 1개" in row


def test_board_sorts_by_recent_activity(client, book, people):
    old = ask(people["asker"], book, title="오래된 질문")
    ask(people["asker"], book, title="새 질문")
    services.post_answer(people["answerer"], old.id, "방금 답")
    page = html(client.get("/board?sort=activity"))
    assert page.index("오래된 질문") < page.index("새 질문")


def test_board_paginates(client, book, people):
    for i in range(services.PER_PAGE + 5):
        factories.thread(book, people["asker"], f"질문 #{i:03d}", None)
    db.session.commit()
    first = html(client.get("/board"))
    second = html(client.get("/board?page=2"))
    assert "질문 #024" in first and "질문 #000" not in first
    assert "질문 #000" in second and "질문 #024" not in second
    assert "1 / 2" in first and 'rel="next"' in first and 'rel="prev"' in second
    assert "질문 #000" in html(client.get("/board?page=99"))


def _board_queries(client, book, people, threads: int) -> int:
    for i in range(threads):
        factories.thread(book, people["asker" if i % 2 else "other"], f"질문 {i}", 1 + i % 3)
    db.session.commit()
    client.get("/board")  # warm up
    with count_queries() as queries:
        assert client.get(f"/board?book={book.id}").status_code == 200
    return queries[0]


def test_board_runs_a_fixed_number_of_queries(app, login, people, make_member):
    counts = []
    for threads in (1, 50):
        book = make_book(f"책 {threads}")
        client = client_for(app, login, people["admin"])
        counts.append(_board_queries(client, book, people, threads))
    assert counts[0] == counts[1]


def test_thread_page_runs_a_fixed_number_of_queries(app, login, book, people, make_member):
    counts = []
    for answers in (1, 20):
        question = ask(people["asker"], book)
        for i in range(answers):
            author = quick_member(f"답변자{answers}-{i}")
            answer = services.post_answer(author, question.id, f"답 {i}")
            services.edit_answer(author, answer.id, f"고친 답 {i}")
        client = client_for(app, login, people["other"])
        with count_queries() as queries:
            assert client.get(f"/questions/{question.id}").status_code == 200
        counts.append(queries[0])
    assert counts[0] == counts[1]


# --- notifications ------------------------------------------------------------------------


def test_new_answer_notifies_asker_and_voters_not_the_answerer(book, people):
    question = ask(people["asker"], book)
    services.toggle_vote(people["other"], question.id)
    services.toggle_vote(people["answerer"], question.id)
    services.post_answer(people["answerer"], question.id, "답")
    rows = db.session.scalars(select(Notification.member_id)).all()
    assert sorted(rows) == sorted([people["asker"].id, people["other"].id])
    services.post_answer(people["asker"], question.id, "내가 단 답")
    assert services.unread_notification_count(people["asker"].id) == 1
    assert services.unread_notification_count(people["answerer"].id) == 1


def test_notifications_page_and_mark_read(app, login, book, people):
    question = ask(people["asker"], book, title="알림 질문")
    services.post_answer(people["answerer"], question.id, "첫 답")
    services.post_answer(people["other"], question.id, "둘째 답")
    asker = client_for(app, login, people["asker"])
    page = html(asker.get("/notifications"))
    assert badge(page) == 2
    assert "answerer" in page and "other" in page and "알림 질문" in page
    first_id = db.session.scalar(select(Notification.id).order_by(Notification.id))
    asker.post(f"/notifications/{first_id}/read")
    assert badge(html(asker.get("/notifications"))) == 1
    asker.post("/notifications/read")
    page = html(asker.get("/notifications"))
    assert badge(page) == 0 and "읽지 않은 알림 0개" in page
    # another member cannot touch someone else's notification
    other = client_for(app, login, people["other"])
    assert other.post(f"/notifications/{first_id}/read").status_code == 404


def test_badge_is_one_count_query_and_renders_for_anonymous(app, client, login, book, people):
    question = ask(people["asker"], book)
    for _ in range(3):
        services.post_answer(people["answerer"], question.id, "답")
    with statements() as anonymous_sql:
        anonymous = html(client.get("/board"))
    assert 'class="nav-badge' not in anonymous
    assert not [s for s in anonymous_sql if "notifications" in s]
    asker = client_for(app, login, people["asker"])
    with statements() as signed_in_sql:
        page = html(asker.get("/board"))
    assert badge(page) == 3
    badge_sql = [s for s in signed_in_sql if "notifications" in s]
    assert len(badge_sql) == 1 and "count(" in badge_sql[0].lower()


@contextmanager
def statements():
    """Collect the SQL statements run inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_preview_of_a_too_long_text_is_refused_in_korean(client, login, people):
    login(people["asker"])
    response = client.post("/board/preview", data={"body": "가" * (services.BODY_MAX + 1)})
    assert response.status_code == 400
    assert "내용이 너무 깁니다" in html(response)


def test_anonymous_reader_of_a_thread_gets_no_session(app, book, people):
    """No forms for anonymous readers, so no CSRF token is put in a session."""
    question = ask(people["asker"], book)
    response = app.test_client().get(f"/questions/{question.id}")
    assert response.status_code == 200
    assert "session=" not in response.headers.get("Set-Cookie", "")
    assert 'name="csrf_token"' not in response.get_data(as_text=True)
