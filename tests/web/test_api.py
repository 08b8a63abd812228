"""The JSON API: tokens, authentication, problem+json errors, the OpenAPI document, and
each endpoint read back through the test client."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from app.api.cli import token_command
from app.api.tokens import (
    TokenError,
    create_token,
    hash_token,
    member_for_token,
    member_tokens,
    revoke_token,
)
from app.extensions import db
from app.models import ApiToken
from tests.web.api_data import seed_api_data

PROBLEM = "application/problem+json"


@pytest.fixture
def data(app):
    """The API test data: members, a book with two chapters, a note."""
    return seed_api_data()


@pytest.fixture
def member(data):
    return data.asker


@pytest.fixture
def api(client, member):
    """The test client with a bearer token for 지민 on every request."""
    _token, plain = create_token(member.id, "테스트")

    class Api:
        def __getattr__(self, method):
            call = getattr(client, method)

            def send(path, **kwargs):
                headers = {"Authorization": f"Bearer {plain}", **kwargs.pop("headers", {})}
                return call(f"/api/v1{path}", headers=headers, **kwargs)

            return send

    return Api()


def assert_problem(response, status: int) -> dict:
    """The response is a problem document with `status`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"]
    return body


# --- tokens ---------------------------------------------------------------------------------


def test_token_is_stored_only_as_its_sha256(member):
    token, plain = create_token(member.id, "봇")
    assert plain.startswith("sh_") and len(plain) > 40
    stored = db.session.execute(select(ApiToken.token_hash)).scalar_one()
    assert stored == hash_token(plain) and plain not in stored
    assert token.name == "봇"


def test_token_finds_its_member_until_revoked(member):
    token, plain = create_token(member.id, "봇")
    assert member_for_token(plain).id == member.id
    assert token.last_used_at is not None
    revoke_token(member.id, token.id)
    assert member_for_token(plain) is None


@pytest.mark.parametrize("plain", ["", "sh_", "sh_wrong", "Bearer", "x" * 500])
def test_unknown_tokens_find_nobody(member, plain):
    create_token(member.id, "봇")
    assert member_for_token(plain) is None


def test_member_without_login_cannot_use_a_token(make_member):
    ghost = make_member("유령", password=None)
    _token, plain = create_token(ghost.id, "봇")
    assert member_for_token(plain) is None


def test_only_the_owner_revokes_a_token(member, make_member):
    other = make_member("다른사람")
    token, _ = create_token(member.id, "봇")
    with pytest.raises(TokenError):
        revoke_token(other.id, token.id)
    assert token.revoked_at is None


@pytest.mark.parametrize("name", ["", "   ", "가" * 101])
def test_token_name_is_required_and_bounded(member, name):
    with pytest.raises(TokenError):
        create_token(member.id, name)


def test_member_tokens_lists_newest_first(member):
    first, _ = create_token(member.id, "하나")
    second, _ = create_token(member.id, "둘")
    assert [t.id for t in member_tokens(member.id)] == [second.id, first.id]


def test_token_command_prints_a_working_token(runner, member):
    result = runner.invoke(args=["users", "token", "지민"])
    assert result.exit_code == 0, result.output
    plain = result.output.strip()
    assert member_for_token(plain).id == member.id


def test_token_command_refuses_an_unknown_member(runner, member):
    result = runner.invoke(token_command, ["없는사람"])
    assert result.exit_code != 0
    assert "찾을 수 없습니다" in result.output


# --- authentication and errors --------------------------------------------------------------


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer ", "Basic abc", "Bearer sh_not-a-token", "sh_abc"]
)
def test_requests_without_a_valid_token_get_401(app, client, member, header):
    app.config["PUBLIC_READ"] = False  # with it, a GET without any header is an open read
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/books", headers=headers)
    body = assert_problem(response, 401)
    assert body["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_gets_401(client, member):
    token, plain = create_token(member.id, "봇")
    revoke_token(member.id, token.id)
    response = client.get("/api/v1/books", headers={"Authorization": f"Bearer {plain}"})
    assert_problem(response, 401)


def test_a_session_cookie_does_not_authenticate_the_api(app, client, member, login):
    app.config["PUBLIC_READ"] = False
    login(member)
    assert_problem(client.get("/api/v1/books"), 401)


def test_unknown_api_path_is_a_404_problem(api):
    assert_problem(api.get("/no-such-thing"), 404)


def test_wrong_method_is_a_405_problem_with_allow(api):
    response = api.delete("/books")
    assert_problem(response, 405)
    assert response.headers["Allow"] == "GET"


def test_openapi_document_is_public_and_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)
    assert document["servers"] == [{"url": "/api/v1"}]


def test_api_is_csrf_exempt_and_cookie_free(app, api, data):
    app.config["WTF_CSRF_ENABLED"] = True
    response = api.post("/questions", json={"book_id": data.book.id, "title": "토큰만으로"})
    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers


# --- books and notes ------------------------------------------------------------------------


def test_books_lists_each_book_with_counts(api, data):
    book = data.book
    response = api.get("/books")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 20
    (item,) = body["items"]
    assert item["id"] == book.id and item["title"] == "분산 시스템"
    assert item["notes_count"] == 1 and item["chapters_count"] == 2


@pytest.mark.parametrize(
    "query", ["page=0", "page=x", "per_page=0", "per_page=101", "per_page=1.5"]
)
def test_bad_paging_is_a_400_problem(api, query):
    assert_problem(api.get(f"/books?{query}"), 400)


def test_paging_past_the_end_is_an_empty_page(api, data):
    body = api.get("/books?page=2&per_page=1").get_json()
    assert body["items"] == [] and body["total"] == 1 and body["page"] == 2


def test_note_carries_parsed_fields_and_html(api, data, member):
    note = data.note
    body = api.get(f"/notes/{note.id}").get_json()
    assert body["member"] == {"id": member.id, "name": "지민"}
    assert body["chapters"] == [1]
    assert body["reading_minutes"] == 90 and body["scores"] == {"1": 3.0}
    assert body["html"].startswith("<h2") and "캐시" in body["toc_html"]
    assert body["warnings"] == ["경고 하나"]


def test_missing_or_deleted_note_is_a_404_problem(api, data):
    note = data.note
    assert_problem(api.get("/notes/999999"), 404)
    note.deleted_at = note.created_at
    db.session.commit()
    assert_problem(api.get(f"/notes/{note.id}"), 404)


def test_book_has_chapters_with_rating_statistics(api, data):
    body = api.get(f"/books/{data.book.id}").get_json()
    assert body["id"] == data.book.id and body["title"] == "분산 시스템"
    first, second = body["chapters"]
    assert (first["number"], first["title"], first["notes_count"]) == (1, "규모 확장", 1)
    assert first["reading_minutes"] == 90
    assert second["ratings"] == {"count": 0, "mean": None, "median": None, "histogram": [0] * 10}


def test_missing_book_is_a_404_problem(api):
    assert_problem(api.get("/books/999999"), 404)


# --- the board ------------------------------------------------------------------------------


@pytest.fixture
def answerer_api(client, data):
    """The test client speaking as 서준, who answers."""
    _token, plain = create_token(data.answerer.id, "서준의 봇")

    def send(method, path, **kwargs):
        headers = {"Authorization": f"Bearer {plain}"}
        return getattr(client, method)(f"/api/v1{path}", headers=headers, **kwargs)

    return send


def test_round_trip_ask_answer_accept_read_back(api, answerer_api, data, member):
    asked = api.post(
        "/questions",
        json={"book_id": data.book.id, "chapter": 1, "title": "캐시 일관성?", "body": "**왜**"},
    )
    assert asked.status_code == 201
    question = asked.get_json()
    assert question["asker"] == {"id": member.id, "name": "지민"}
    assert question["state"] == "open" and question["note_id"] is None
    assert question["body_html"] == "<p><strong>왜</strong></p>"

    answered = answerer_api(
        "post", f"/questions/{question['id']}/answers", json={"body": "쓰기 후 삭제"}
    )
    assert answered.status_code == 201
    answer = answered.get_json()
    assert answer["author"]["name"] == "서준" and answer["accepted"] is False

    refused = answerer_api("post", f"/answers/{answer['id']}/accept")
    assert_problem(refused, 403)

    accepted = api.post(f"/answers/{answer['id']}/accept")
    assert accepted.status_code == 200
    thread = api.get(f"/questions/{question['id']}").get_json()
    assert thread["state"] == "resolved" and thread["answers_count"] == 1
    assert [a["accepted"] for a in thread["answers"]] == [True]

    resolved = api.get(f"/questions?book={data.book.id}&chapter=1&state=resolved").get_json()
    assert [q["id"] for q in resolved["items"]] == [question["id"]]
    assert api.get("/questions?state=open").get_json()["total"] == 0


def test_question_list_pages_with_a_total(api, data):
    for number in range(3):
        api.post("/questions", json={"book_id": data.book.id, "title": f"질문 {number}"})
    body = api.get("/questions?per_page=2&page=2").get_json()
    assert (body["total"], body["page"], body["per_page"]) == (3, 2, 2)
    assert len(body["items"]) == 1


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({}, 422),
        ({"title": "책 없음"}, 422),
        ({"book_id": "1", "title": "문자열 책"}, 422),
        ({"book_id": True, "title": "참 거짓"}, 422),
        ({"book_id": 999999, "title": "없는 책"}, 422),
        ({"book_id": None, "title": "null"}, 422),
        ([1, 2], 422),
        ("그냥 문자열", 422),
    ],
)
def test_bad_question_bodies_are_refused_with_problems(api, data, payload, status):
    body = assert_problem(api.post("/questions", json=payload), status)
    assert body["detail"]


def test_blank_title_gets_the_boards_korean_message(api, data):
    body = assert_problem(api.post("/questions", json={"book_id": data.book.id, "title": " "}), 422)
    assert "제목" in body["detail"]


def test_unreadable_json_is_a_400_and_wrong_type_a_415(api):
    broken = api.post("/questions", data="{", content_type="application/json")
    assert_problem(broken, 400)
    assert_problem(api.post("/questions", data="title=x"), 415)


def test_too_large_body_is_a_413_problem(app, api, data):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    payload = {"book_id": data.book.id, "title": "큰 본문", "body": "가" * 2000}
    assert_problem(api.post("/questions", json=payload), 413)


def test_answering_a_missing_question_is_a_404_problem(api):
    assert_problem(api.post("/questions/999999/answers", json={"body": "답"}), 404)


def test_accepting_a_missing_answer_is_a_404_problem(api):
    assert_problem(api.post("/answers/999999/accept"), 404)


@pytest.mark.parametrize("query", ["state=closed", "book=abc", "chapter=-1"])
def test_bad_question_filters_are_400_problems(api, query):
    assert_problem(api.get(f"/questions?{query}"), 400)


# --- ratings and search ---------------------------------------------------------------------


def test_rating_a_chapter_returns_the_new_statistics(api, data):
    response = api.put(f"/books/{data.book.id}/chapters/2/rating", json={"score": 4.5})
    assert response.status_code == 200
    body = response.get_json()
    assert body["score"] == 4.5 and body["ratings"]["count"] == 1
    assert body["ratings"]["histogram"][8] == 1
    chapter = api.get(f"/books/{data.book.id}").get_json()["chapters"][1]
    assert chapter["ratings"]["mean"] == 4.5


@pytest.mark.parametrize("score", [0, 0.25, 4.2, 5.5, -1, "4", True, None])
def test_invalid_scores_are_422_problems(api, data, score):
    response = api.put(f"/books/{data.book.id}/chapters/1/rating", json={"score": score})
    body = assert_problem(response, 422)
    assert body["invalid_params"][0]["name"] == "score"


def test_rating_a_missing_chapter_is_a_404_problem(api, data):
    assert_problem(api.put(f"/books/{data.book.id}/chapters/99/rating", json={"score": 3}), 404)


@pytest.mark.sqlite_only(reason="search on PostgreSQL: see app/search")
def test_search_finds_a_korean_word_in_a_question(api, data):
    api.post("/questions", json={"book_id": data.book.id, "title": "샤딩 키를 바꾸려면?"})
    body = api.get("/search?q=샤딩").get_json()
    assert body["total"] >= 1
    hit = next(item for item in body["items"] if item["kind"] == "question")
    assert "샤딩" in hit["title"] and hit["url"].startswith("/questions/")


@pytest.mark.parametrize("query", ["", "q=", "q=%20", "q=" + "가" * 201])
def test_search_without_a_usable_query_is_a_400_problem(api, query):
    assert_problem(api.get(f"/search?{query}"), 400)


@pytest.mark.parametrize(
    "path", ["/questions/9223372036854775808", "/notes/99999999999999999999", "/books/2" + "0" * 30]
)
def test_ids_beyond_any_stored_one_are_404_problems(api, path):
    assert_problem(api.get(path), 404)


@pytest.mark.parametrize("book_id", [2**63, -1])
def test_out_of_range_numbers_in_a_body_are_422_problems(api, book_id):
    assert_problem(api.post("/questions", json={"book_id": book_id, "title": "범위"}), 422)


def test_out_of_range_filters_are_400_problems(api):
    assert_problem(api.get(f"/questions?book={2**63}"), 400)


@pytest.mark.parametrize(
    "path", ["/questions/9223372036854775808", "/notes/9223372036854775808", "/members/99" * 12]
)
def test_site_pages_answer_404_for_ids_beyond_sqlite(client, path):
    assert client.get(path).status_code == 404


def test_json_keeps_korean_readable(api, data):
    text = api.get(f"/notes/{data.note.id}").get_data(as_text=True)
    assert '"name": "지민"' in text or '"name":"지민"' in text
