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
    result = runner.invoke(token_command, ["지민"])
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
def test_requests_without_a_valid_token_get_401(client, member, header):
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


def test_a_session_cookie_does_not_authenticate_the_api(client, member, login):
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


def test_api_is_csrf_exempt(app, api, member):
    app.config["WTF_CSRF_ENABLED"] = True
    response = api.post("/questions", json={})
    assert response.status_code != 400 or "CSRF" not in response.get_data(as_text=True)


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
