"""With PUBLIC_READ the API's reads are open like the pages; writes still need a token."""

import pytest

from app.api.tokens import create_token, member_for_token
from app.extensions import db
from app.models import ApiToken
from tests.web.api_data import seed_api_data


@pytest.fixture
def data(app):
    return seed_api_data()


@pytest.mark.parametrize(
    "path",
    [
        "/books",
        "/books/{book}",
        "/notes/{note}",
        "/questions",
        "/search?q=캐시",
    ],
)
def test_reads_need_no_token_with_public_read(client, data, path):
    url = "/api/v1" + path.format(book=data.book.id, note=data.note.id)
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_reads_need_a_token_without_public_read(app, client, data):
    app.config["PUBLIC_READ"] = False
    assert client.get("/api/v1/books").status_code == 401


def test_writes_still_need_a_token(client, data):
    response = client.post("/api/v1/questions", json={"book_id": data.book.id, "title": "질문"})
    assert response.status_code == 401


def test_a_wrong_token_is_still_refused_on_reads(client, data):
    assert client.get("/api/v1/books", headers={"Authorization": "Bearer sh_x"}).status_code == 401


def test_a_thread_read_anonymously(client, data):
    from app.board import services

    question = services.ask_question(
        data.asker, book_id=data.book.id, chapter_number=1, title="익명으로 읽기", body=""
    )
    body = client.get(f"/api/v1/questions/{question.id}").get_json()
    assert body["title"] == "익명으로 읽기"


@pytest.mark.sqlite_only(reason="a SQLite file on a read-only mount")
def test_recording_a_token_use_tolerates_a_read_only_database(data):
    token, plain = create_token(data.asker.id, "봇")
    db.session.execute(db.text("PRAGMA query_only=ON"))
    try:
        assert member_for_token(plain).id == data.asker.id
    finally:
        db.session.execute(db.text("PRAGMA query_only=OFF"))
    assert db.session.get(ApiToken, token.id) is not None
