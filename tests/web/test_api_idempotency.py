"""`Idempotency-Key`: a POST retried with the same key returns the first result, once."""

import pytest
from sqlalchemy import func, select

from app.api.tokens import create_token
from app.extensions import db
from app.models import Answer, Question
from tests.web.api_data import seed_api_data


@pytest.fixture
def setup(client):
    data = seed_api_data()
    _t, plain = create_token(data.asker.id, "하나")
    _t, other = create_token(data.asker.id, "둘")
    return client, data, {"Authorization": f"Bearer {plain}"}, {"Authorization": f"Bearer {other}"}


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_same_key_returns_the_first_result_and_writes_once(setup):
    client, data, headers, _ = setup
    body = {"book_id": data.book.id, "title": "재시도해도 한 번"}
    keyed = {**headers, "Idempotency-Key": "abc-1"}
    first = client.post("/api/v1/questions", json=body, headers=keyed)
    again = client.post("/api/v1/questions", json=body, headers=keyed)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(Question) == 1


def test_different_keys_and_no_key_write_each_time(setup):
    client, data, headers, _ = setup
    question = client.post(
        "/api/v1/questions", json={"book_id": data.book.id, "title": "질문"}, headers=headers
    ).get_json()
    url = f"/api/v1/questions/{question['id']}/answers"
    for key in ("k1", "k2"):
        client.post(url, json={"body": "답"}, headers={**headers, "Idempotency-Key": key})
    client.post(url, json={"body": "답"}, headers=headers)
    client.post(url, json={"body": "답"}, headers=headers)
    assert count(Answer) == 4


def test_keys_belong_to_one_token(setup):
    client, data, headers, other = setup
    body = {"book_id": data.book.id, "title": "토큰마다"}
    client.post("/api/v1/questions", json=body, headers={**headers, "Idempotency-Key": "same"})
    client.post("/api/v1/questions", json=body, headers={**other, "Idempotency-Key": "same"})
    assert count(Question) == 2


def test_a_key_reused_on_another_path_is_a_422(setup):
    client, data, headers, _ = setup
    keyed = {**headers, "Idempotency-Key": "once"}
    client.post("/api/v1/questions", json={"book_id": data.book.id, "title": "질문"}, headers=keyed)
    response = client.post("/api/v1/answers/1/accept", headers=keyed)
    assert response.status_code == 422


def test_a_refusal_is_replayed_too(setup):
    client, _data, headers, _ = setup
    keyed = {**headers, "Idempotency-Key": "bad"}
    first = client.post(
        "/api/v1/questions", json={"book_id": 999, "title": "없는 책"}, headers=keyed
    )
    again = client.post(
        "/api/v1/questions", json={"book_id": 999, "title": "없는 책"}, headers=keyed
    )
    assert first.status_code == again.status_code
    assert first.status_code >= 400 and again.get_json() == first.get_json()
    assert again.mimetype == first.mimetype == "application/problem+json"


def test_the_openapi_document_describes_the_header_on_every_post():
    from app.api.openapi import openapi_document

    posts = [
        methods["post"] for methods in openapi_document()["paths"].values() if "post" in methods
    ]
    assert len(posts) == 3
    for post in posts:
        headers = [p["name"] for p in post["parameters"] if p["in"] == "header"]
        assert headers == ["Idempotency-Key"]
        assert {"400", "409", "422"} <= set(post["responses"])


@pytest.mark.parametrize("key", ["", "x" * 201, "a\tb"])
def test_malformed_keys_are_a_400(setup, key):
    client, data, headers, _ = setup
    response = client.post(
        "/api/v1/questions",
        json={"book_id": data.book.id, "title": "질문"},
        headers={**headers, "Idempotency-Key": key},
    )
    assert response.status_code == 400


def crashed_reservation(token, key, age_seconds):
    """A key reserved by a request that never answered (its worker died), `age_seconds` ago."""
    from datetime import timedelta

    from app.api.tokens import hash_token
    from app.models import IdempotencyKey, utcnow

    return IdempotencyKey(
        token_hash=hash_token(token), key=key, path="/api/v1/questions",
        created_at=utcnow() - timedelta(seconds=age_seconds),
    )  # fmt: skip


def test_a_fresh_reservation_answers_409(setup):
    client, data, headers, _ = setup
    token = headers["Authorization"].removeprefix("Bearer ")
    db.session.add(crashed_reservation(token, "running", 5))
    db.session.commit()
    response = client.post(
        "/api/v1/questions",
        json={"book_id": data.book.id, "title": "아직 처리 중"},
        headers={**headers, "Idempotency-Key": "running"},
    )
    assert response.status_code == 409
    assert count(Question) == 0


def test_a_reservation_left_by_a_crashed_request_expires_and_is_taken_over(setup):
    from app.api.idempotency import RESERVATION_SECONDS

    client, data, headers, _ = setup
    token = headers["Authorization"].removeprefix("Bearer ")
    db.session.add(crashed_reservation(token, "crashed", RESERVATION_SECONDS + 1))
    db.session.commit()
    keyed = {**headers, "Idempotency-Key": "crashed"}
    body = {"book_id": data.book.id, "title": "다시 보낸 질문"}
    first = client.post("/api/v1/questions", json=body, headers=keyed)
    again = client.post("/api/v1/questions", json=body, headers=keyed)
    assert first.status_code == 201
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert count(Question) == 1
