"""The OpenAPI 3.1 document of the API, built as data (no Flask import)."""

from __future__ import annotations

from typing import Any

INT = {"type": "integer"}
STR = {"type": "string"}
NULL_INT = {"type": ["integer", "null"]}
TIME = {"type": "string", "format": "date-time"}


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Any], *, required: list[str] | None = None) -> dict[str, Any]:
    """An object schema; every property is required unless `required` says otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def page_schema(item: str) -> dict[str, Any]:
    """A page of a list of `item`."""
    return obj(
        {
            "items": {"type": "array", "items": ref(item)},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        }
    )


MEMBER = obj({"id": INT, "name": STR})
SCORE = {"type": "number", "minimum": 0.5, "maximum": 5, "multipleOf": 0.5}
RATING_STATS = obj(
    {
        "count": {"type": "integer", "minimum": 0},
        "mean": {"type": ["number", "null"]},
        "median": {"type": ["number", "null"]},
        "histogram": {
            "type": "array",
            "items": {"type": "integer", "minimum": 0},
            "description": "점수 0.5–5를 0.5 간격으로 센 개수 (10칸)",
        },
    }
)
SCHEMAS: dict[str, Any] = {
    "Problem": obj(
        {
            "type": STR,
            "title": STR,
            "status": INT,
            "detail": STR,
            "invalid_params": {
                "type": "array",
                "items": obj({"name": STR, "reason": STR}),
            },
        },
        required=["title", "status"],
    ),
    "Member": MEMBER,
    "RatingStats": RATING_STATS,
    "BookSummary": obj(
        {
            "id": INT,
            "title": STR,
            "chapters_count": INT,
            "notes_count": INT,
            "members_count": INT,
            "open_questions": INT,
            "reading_minutes": INT,
        }
    ),
    "Chapter": obj(
        {
            "number": INT,
            "title": STR,
            "notes_count": INT,
            "open_questions": INT,
            "reading_minutes": INT,
            "ratings": ref("RatingStats"),
        }
    ),
    "Book": obj({"id": INT, "title": STR, "chapters": {"type": "array", "items": ref("Chapter")}}),
    "Note": obj(
        {
            "id": INT,
            "book_id": INT,
            "member": ref("Member"),
            "title": STR,
            "chapters": {"type": "array", "items": INT},
            "reading_minutes": NULL_INT,
            "chapter_minutes": {"type": "object", "additionalProperties": INT},
            "scores": {"type": "object", "additionalProperties": {"type": "number"}},
            "difficulties": STR,
            "warnings": {"type": "array", "items": STR},
            "html": STR,
            "toc_html": STR,
            "source": STR,
            "version_count": INT,
            "origin": {"enum": ["import", "web"]},
            "created_at": TIME,
            "updated_at": TIME,
        }
    ),
    "Question": obj(
        {
            "id": INT,
            "book_id": INT,
            "chapter": NULL_INT,
            "title": STR,
            "body": STR,
            "body_html": STR,
            "state": {"enum": ["open", "answered", "resolved"]},
            "asker": ref("Member"),
            "answers_count": INT,
            "votes": INT,
            "note_id": NULL_INT,
            "created_at": TIME,
            "last_activity_at": TIME,
        }
    ),
    "Answer": obj(
        {
            "id": INT,
            "question_id": INT,
            "author": ref("Member"),
            "body": STR,
            "body_html": STR,
            "accepted": {"type": "boolean"},
            "created_at": TIME,
        }
    ),
    "Thread": {
        "allOf": [
            ref("Question"),
            obj({"answers": {"type": "array", "items": ref("Answer")}}),
        ]
    },
    "Rating": obj(
        {
            "book_id": INT,
            "chapter": INT,
            "score": SCORE,
            "ratings": ref("RatingStats"),
        }
    ),
    "SearchHit": obj(
        {
            "kind": {"enum": ["note", "question", "answer"]},
            "id": INT,
            "title": STR,
            "snippet": STR,
            "url": STR,
        }
    ),
    "BookPage": page_schema("BookSummary"),
    "QuestionPage": page_schema("Question"),
    "SearchPage": page_schema("SearchHit"),
    "NewQuestion": {
        "type": "object",
        "properties": {
            "book_id": {"type": "integer", "minimum": 0, "maximum": 2**53},
            "chapter": {"type": ["integer", "null"], "minimum": 0, "maximum": 2**53},
            "title": {"type": "string", "minLength": 1, "maxLength": 500},
            "body": {"type": "string", "maxLength": 50000},
        },
        "required": ["book_id", "title"],
    },
    "NewAnswer": obj({"body": {"type": "string", "minLength": 1, "maxLength": 50000}}),
    "NewRating": obj({"score": SCORE}),
}


def problem(description: str) -> dict[str, Any]:
    """An error response described by a problem document."""
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": ref("Problem")}},
    }


def ok(schema: str, description: str = "성공") -> dict[str, Any]:
    """A JSON response of `schema`."""
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def body(schema: str) -> dict[str, Any]:
    """A required JSON request body of `schema`."""
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


def path_id(name: str, description: str) -> dict[str, Any]:
    """A whole-number path parameter."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer", "minimum": 0, "maximum": 2**53},
        "example": 1,
    }


def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    """An optional query parameter."""
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}  # fmt: skip


PAGING = [
    query("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "쪽 번호 (1부터)"),
    query("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "한 쪽의 항목 수"),
]
AUTH_ERRORS = {"401": problem("토큰이 없거나 올바르지 않음")}
READ_ERRORS = {**AUTH_ERRORS, "404": problem("없음")}
WRITE_ERRORS = {
    **READ_ERRORS,
    "400": problem("JSON을 읽을 수 없음"),
    "413": problem("본문이 너무 큼"),
    "415": problem("JSON이 아님"),
    "422": problem("항목이 올바르지 않음"),
}


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "같은 키로 다시 보낸 POST는 처음 응답을 그대로 돌려받습니다 (Idempotent-Replayed: true). "
        "토큰마다 따로 세며, 처리 중인 키는 409, 다른 주소에 쓴 키는 422입니다."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"},
}
IDEMPOTENT_ERRORS = {
    "400": problem("Idempotency-Key가 올바르지 않음"),
    "409": problem("같은 키의 요청을 아직 처리하는 중"),
    "422": problem("이 키가 다른 요청에 이미 쓰였음"),
}


def idempotent_post(summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A POST that takes an Idempotency-Key header (the first answer is replayed on retries)."""
    extra["parameters"] = [*extra.get("parameters", []), IDEMPOTENCY_KEY]
    return operation(summary, {**IDEMPOTENT_ERRORS, **responses}, **extra)


def operation(summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """One operation; `operation_id` becomes operationId."""
    op = {"summary": summary, "operationId": extra.pop("operation_id"), "responses": responses}
    op.update(extra)
    return op


def read_one(summary: str, schema: str, operation_id: str, id_param: dict[str, Any]) -> Any:
    """GET of one thing by the id in its path: `schema`, or 401/404."""
    responses = {"200": ok(schema), **READ_ERRORS}
    return {"get": operation(summary, responses, operation_id=operation_id, parameters=[id_param])}


def read_list(summary: str, schema: str, bad: str, operation_id: str, params: list[Any]) -> Any:
    """GET of a page of a list: `schema`, or 400 (`bad` says why) or 401."""
    responses = {"200": ok(schema), "400": problem(bad), **AUTH_ERRORS}
    return operation(summary, responses, operation_id=operation_id, parameters=params)


def create(summary: str, made: str, schema: str, operation_id: str, **extra: Any) -> Any:
    """An idempotent POST that makes a `schema` from a New`schema` body: 201, `made`."""
    responses = {"201": ok(schema, made), **WRITE_ERRORS}
    new = body(f"New{schema}")
    return idempotent_post(summary, responses, operation_id=operation_id, **extra, requestBody=new)


QUESTION_FILTERS = [
    query("book", {"type": "integer", "minimum": 1, "maximum": 2**53}, "책 번호"),
    query("chapter", {"type": "integer", "minimum": 0, "maximum": 2**31}, "장 번호"),
    query("state", {"enum": ["open", "answered", "resolved"]}, "상태"),
]
SEARCH_TERMS = {
    "name": "q",
    "in": "query",
    "required": True,
    "description": "검색어 (한국어 낱말도 조사와 함께 찾음)",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}

PATHS: dict[str, Any] = {
    "/books": {"get": read_list("책 목록", "BookPage", "잘못된 쪽 번호", "listBooks", PAGING)},
    "/books/{book_id}": read_one(
        "책 하나: 장마다 노트 수, 미해결 질문, 독서 시간, 이해도 통계",
        "Book",
        "getBook",
        path_id("book_id", "책 번호"),
    ),
    "/books/{book_id}/chapters/{number}/rating": {
        "put": operation(
            "내 이해도 점수 매기기 (0.5–5, 0.5 단위)",
            {"200": ok("Rating"), **WRITE_ERRORS},
            operation_id="rateChapter",
            parameters=[path_id("book_id", "책 번호"), path_id("number", "장 번호")],
            requestBody=body("NewRating"),
        )
    },
    "/notes/{note_id}": read_one(
        "노트 하나: 읽어 낸 항목과 HTML", "Note", "getNote", path_id("note_id", "노트 번호")
    ),
    "/questions": {
        "get": read_list(
            "질문 목록",
            "QuestionPage",
            "잘못된 조건",
            "listQuestions",
            [*QUESTION_FILTERS, *PAGING],
        ),
        "post": create("질문하기", "만든 질문", "Question", "askQuestion"),
    },
    "/questions/{question_id}": read_one(
        "질문 하나와 답변들", "Thread", "getQuestion", path_id("question_id", "질문 번호")
    ),
    "/questions/{question_id}/answers": {
        "post": create(
            "답변하기",
            "만든 답변",
            "Answer",
            "answerQuestion",
            parameters=[path_id("question_id", "질문 번호")],
        )
    },
    "/answers/{answer_id}/accept": {
        "post": idempotent_post(
            "답변 채택 (질문한 사람이나 관리자)",
            {
                "200": ok("Thread", "채택 후의 질문"),
                "403": problem("질문한 사람이 아님"),
                "409": problem("채택할 수 없는 상태"),
                **READ_ERRORS,
            },
            operation_id="acceptAnswer",
            parameters=[path_id("answer_id", "답변 번호")],
        )
    },
    "/search": {
        "get": read_list(
            "노트·질문·답변 검색", "SearchPage", "검색어 없음", "search", [SEARCH_TERMS, *PAGING]
        )
    },
}


def openapi_document(server_url: str = "/api/v1") -> dict[str, Any]:
    """The whole OpenAPI 3.1 document; `server_url` is where the API is served."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Studyhall API",
            "version": "1.0.0",
            "description": (
                "스터디 노트, 질문 게시판, 이해도 점수를 읽고 쓰는 API. "
                "프로필 페이지나 `flask --app app users token NAME`으로 만든 개인 토큰을 "
                "`Authorization: Bearer <토큰>` 헤더로 보냅니다. 오류는 application/problem+json."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
