"""Bad input answers a clear 4xx, never a 500."""

import pytest

from app.api.tokens import create_token
from app.board import services
from app.errors import Invalid
from tests.web.api_data import seed_api_data
from tests.web.board_helpers import make_book, quick_member


@pytest.fixture
def api(client):
    data = seed_api_data()
    _token, plain = create_token(data.asker.id, "테스트")
    headers = {"Authorization": f"Bearer {plain}"}
    return client, headers, data


@pytest.mark.parametrize("field", ["title", "body"])
def test_lone_surrogate_in_a_json_text_field_is_a_400(api, field):
    client, headers, data = api
    payload = {"book_id": data.book.id, "title": "제목", "body": "내용"}
    raw = (
        "{"
        + ", ".join(
            f'"{k}": '
            + ('"a\\ud800b"' if k == field else f'"{v}"' if isinstance(v, str) else str(v))
            for k, v in payload.items()
        )
        + "}"
    )
    response = client.post(
        "/api/v1/questions", data=raw.encode(), headers=headers, content_type="application/json"
    )
    assert response.status_code == 400
    assert "문자" in response.get_json()["detail"]


def test_lone_surrogate_in_an_unused_field_is_a_400(api):
    client, headers, data = api
    raw = '{"body": "답", "extra": ["\\udfff"]}'
    question = services.ask_question(
        data.asker, book_id=data.book.id, chapter_number=None, title="질문", body=""
    )
    response = client.post(
        f"/api/v1/questions/{question.id}/answers",
        data=raw.encode(),
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 400


def test_deeply_nested_json_is_a_400(api):
    client, headers, _data = api
    raw = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/api/v1/questions", data=raw, headers=headers, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/search?q=a%00b", "/api/v1/search?q=a%00b"])
def test_nul_in_a_search_is_a_400(api, path):
    client, headers, _data = api
    assert client.get(path, headers=headers).status_code == 400


def test_huge_member_id_on_the_invite_form_is_refused(client, make_member, login):
    login(make_member("운영자", role="admin"))
    response = client.post(
        "/admin/invites", data={"member_id": str(10**20), "role": "member", "days": "7"}
    )
    assert response.status_code in (200, 302, 400, 422)
    assert response.status_code != 500


@pytest.mark.parametrize("title", ["\x00", "\u200b\u200b", "\x00\u200d\ufeff", "\u2060 \u200c"])
def test_invisible_titles_are_refused_in_korean(app, title):
    asker, book = quick_member("질문자"), make_book()
    with pytest.raises(Invalid) as refused:
        services.ask_question(asker, book_id=book.id, chapter_number=1, title=title, body="")
    assert "제목" in refused.value.message


def test_invisible_title_on_the_api_is_a_422(api):
    client, headers, data = api
    response = client.post(
        "/api/v1/questions",
        json={"book_id": data.book.id, "title": "\u200b\x00"},
        headers=headers,
    )
    assert response.status_code == 422
