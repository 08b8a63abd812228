"""The ServiceError family and its one handler: the site's Korean error page, the API's problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.api.tokens import create_token
from app.board import services as board
from app.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError, attach_to_form
from app.models import Answer
from tests.web.api_data import seed_api_data
from tests.web.board_helpers import ask, make_book, quick_member

PROBLEM = "application/problem+json"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    ("error_class", "status"),
    [(Invalid, 422), (NotFound, 404), (Forbidden, 403), (Conflict, 409)],
)
def test_each_error_class_has_its_status_a_korean_title_and_keeps_its_field(error_class, status):
    error = error_class("제목을 입력해 주세요.", "title")
    assert isinstance(error, ServiceError)
    assert error.status == status
    assert any("가" <= ch <= "힣" for ch in error.title)  # a Korean title
    assert (error.message, error.field, str(error)) == (
        "제목을 입력해 주세요.",
        "title",
        error.message,
    )
    assert error_class("없습니다.").field is None


@pytest.fixture
def raising_app(app, login, client):
    """The app with a page that raises the error class named in its URL, and a member signed in."""
    classes = {
        "invalid": Invalid,
        "not-found": NotFound,
        "forbidden": Forbidden,
        "conflict": Conflict,
    }

    def refuse(kind: str):
        raise classes[kind]("이 책에는 9장이 없습니다.", "chapter_number")

    app.add_url_rule("/_test/refuse/<kind>", "test_refuse", refuse)
    login(quick_member("지민"))
    return client


@pytest.mark.parametrize(
    ("kind", "status", "title"),
    [
        ("invalid", 422, "입력한 내용을 확인해 주세요"),
        ("not-found", 404, "찾을 수 없습니다"),
        ("forbidden", 403, "권한이 없습니다"),
        ("conflict", 409, "지금은 할 수 없습니다"),
    ],
)
def test_site_shows_the_korean_error_page_with_the_status(raising_app, kind, status, title):
    response = raising_app.get(f"/_test/refuse/{kind}")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="ko">' in page
    assert f"<h1>{title}</h1>" in page and "이 책에는 9장이 없습니다." in page


def test_a_board_service_error_on_the_site_is_the_error_page(app, client, login):
    member = quick_member("지민")
    login(member)
    missing = client.get("/questions/999999")
    assert missing.status_code == 404 and "질문을 찾을 수 없습니다." in missing.get_data(True)
    question = ask(quick_member("서준"), make_book())
    refused = client.post(f"/questions/{question.id}/edit", data={"title": "바꿈", "body": ""})
    assert refused.status_code == 403
    assert "자신이 쓴 글만 고치거나 지울 수 있습니다." in refused.get_data(as_text=True)


@pytest.fixture
def api(client):
    data = seed_api_data()
    _token, plain = create_token(data.asker.id, "테스트")
    return client, {"Authorization": f"Bearer {plain}"}, data


def test_api_answers_a_field_bound_invalid_as_problem_json_with_the_field(api):
    client, headers, data = api
    response = client.post(
        "/api/v1/questions", json={"book_id": data.book.id, "title": "\u200b"}, headers=headers
    )
    assert response.status_code == 422 and response.content_type == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == 422 and body["title"] == "처리할 수 없는 내용"
    assert "제목을 입력해 주세요" in body["detail"]
    assert body["invalid_params"] == [{"name": "title", "reason": body["detail"]}]


def test_api_answers_not_found_and_conflict_as_problems_without_a_field(api):
    client, headers, data = api
    missing = client.get("/api/v1/questions/999999", headers=headers)
    assert missing.status_code == 404 and missing.content_type == PROBLEM
    assert missing.get_json(force=True)["detail"] == "질문을 찾을 수 없습니다."
    question = ask(data.asker, data.book)
    answer = board.post_answer(data.answerer, question.id, "답")
    board.moderate_post(quick_member("운영자", role="admin"), answer.id, model=Answer, hide=True)
    hidden = client.post(f"/api/v1/answers/{answer.id}/accept", headers=headers)
    assert hidden.status_code == 409 and hidden.content_type == PROBLEM
    body = hidden.get_json(force=True)
    assert body["detail"] == "삭제되었거나 숨겨진 답변은 채택할 수 없습니다."
    assert "invalid_params" not in body


class _Field:
    def __init__(self) -> None:
        self.errors: tuple[str, ...] | list[str] = ()


class _Form:
    def __init__(self) -> None:
        self.title = _Field()
        self.form_errors: list[str] = []


def test_attach_to_form_puts_a_field_bound_error_under_its_field_and_others_above():
    form = _Form()
    attach_to_form(form, Invalid("제목이 너무 깁니다.", "title"))
    attach_to_form(form, Invalid("책을 골라 주세요.", "book_id"))  # no such field on this form
    attach_to_form(form, Conflict("이미 있습니다."))
    assert form.title.errors == ["제목이 너무 깁니다."]
    assert form.form_errors == ["책을 골라 주세요.", "이미 있습니다."]


def test_no_template_hides_a_missing_partial():
    hiding = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "ignore missing" in path.read_text(encoding="utf-8")
    ]
    assert hiding == []
