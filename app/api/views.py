"""The API's endpoints: thin views over the same services as the pages."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, json, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, default_exceptions

from app.api import bp, serialize
from app.api.openapi import openapi_document
from app.api.problems import DETAILS, ApiProblem, problem_response
from app.api.requests import ID_MAX, int_arg, json_body, page_args
from app.api.tokens import member_for_token
from app.auth.permissions import reading_is_public
from app.auth.services import hash_token
from app.board import services as board
from app.notes import queries as note_queries
from app.ratings import services as ratings
from app.ratings.dashboard import book_dashboard, chapter_panel
from app.search import queries as search_engine

# Endpoints anyone may call without a token.
PUBLIC_ENDPOINTS = {"api.openapi", "api.unknown"}
READ_METHODS = frozenset({"GET", "HEAD"})


@bp.before_request
def authenticate() -> None:
    """Every endpoint but the document needs `Authorization: Bearer <token>` (reads need
    none with PUBLIC_READ)."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization")
    if header is None and request.method in READ_METHODS and reading_is_public():
        g.api_member = None  # PUBLIC_READ: reads are open, as on the pages
        return None
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, "Authorization: Bearer <토큰> 헤더가 필요합니다.")
    member = member_for_token(token.strip())
    if member is None:
        raise ApiProblem(401, "토큰이 올바르지 않거나 폐기되었습니다.")
    g.api_member = member
    g.api_token_hash = hash_token(token.strip())
    return None


def json_response(data: object, status: int = 200) -> Response:
    """JSON in readable UTF-8 (Korean stays Korean, not \\uXXXX escapes)."""
    return Response(
        json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json"
    )


@bp.url_value_preprocessor
def bounded_ids(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """An id in the path beyond any stored one is simply not there (not a database error)."""
    for value in (values or {}).values():
        if isinstance(value, int) and value > ID_MAX:
            raise ApiProblem(404, "찾을 수 없습니다.")


@bp.errorhandler(ApiProblem)
def api_problem(error: ApiProblem) -> Response:
    """An error the API raised on purpose."""
    return problem_response(error.status, error.detail, **error.extra)


def http_problem(error: HTTPException) -> Response:
    """Werkzeug's errors (413 from a too large body, …) as problem documents."""
    code = error.code or 500
    return problem_response(code, DETAILS.get(code, error.description))


# By status code, not by class: Flask prefers any handler for the code (the site's HTML error
# pages) over a blueprint's handler for the HTTPException class.
for _code in default_exceptions:
    bp.register_error_handler(_code, http_problem)


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API."""
    return json_response(openapi_document(server_url=url_for("api.openapi").rsplit("/", 1)[0]))


@bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def unknown(anything: str) -> Response:
    """Paths the API does not have (404) or methods a path does not take (405)."""
    adapter = current_app.url_map.bind("api")
    allowed: set[str] = set()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except (NotFound, MethodNotAllowed):
            continue
        if endpoint != "api.unknown":
            allowed.add(method)
    if allowed:
        response = problem_response(405, f"이 주소는 {', '.join(sorted(allowed))}만 받습니다.")
        response.headers["Allow"] = ", ".join(sorted(allowed))
        return response
    return problem_response(404, f"API에 '/{anything}' 주소가 없습니다.")


# --- books and notes ----------------------------------------------------------------------


@bp.get("/books")
def books() -> Response:
    """The books, with counts, a page at a time."""
    page, per_page = page_args()
    summaries = note_queries.book_summaries()
    items = summaries[(page - 1) * per_page : page * per_page]
    return json_response(
        serialize.page_of(
            [serialize.book_summary(s) for s in items], len(summaries), page, per_page
        )
    )


@bp.get("/books/<int:book_id>")
def book(book_id: int) -> Response:
    """One book: per chapter its notes, open questions, reading time and rating statistics."""
    dashboard = book_dashboard(book_id)
    if dashboard is None:
        raise ApiProblem(404, "책을 찾을 수 없습니다.")
    return json_response(serialize.book(dashboard))


@bp.put("/books/<int:book_id>/chapters/<int:number>/rating")
def rate(book_id: int, number: int) -> Response:
    """Save the token's member's comprehension score (0.5–5 in half steps) for a chapter."""
    data = json_body({"score": (int, float)})
    rating = ratings.submit_rating(book_id, number, g.api_member, data["score"])
    panel = chapter_panel(rating.chapter_id, g.api_member.id)
    stats = panel.stats if panel is not None else None
    return json_response(serialize.rating(book_id, number, rating.score, stats))


@bp.get("/notes/<int:note_id>")
def note(note_id: int) -> Response:
    """One note: its parsed fields and rendered HTML."""
    found = note_queries.get_note(note_id)
    if found is None or found.deleted_at is not None:
        raise ApiProblem(404, "노트를 찾을 수 없습니다.")
    return json_response(serialize.note(found))


# --- the question board -------------------------------------------------------------------


@bp.get("/questions")
def questions() -> Response:
    """Threads on the board, filtered by book, chapter and state, a page at a time."""
    page, per_page = page_args()
    state = request.args.get("state") or None
    if state is not None and state not in board.STATES:
        raise ApiProblem(400, f"state는 {', '.join(board.STATES)} 중 하나여야 합니다.")
    filters = board.BoardFilters(
        book_id=int_arg("book", None, minimum=1),
        chapter_number=int_arg("chapter", None, minimum=0),
        state=state,
        page=page,
        per_page=per_page,
    )
    found = board.board_page(filters, g.api_member)
    items = [serialize.question(q) for q in found.questions]
    return json_response(
        serialize.page_of(items, found.questions.total, found.questions.page, per_page)
    )


@bp.post("/questions")
def ask() -> Response:
    """Open a thread as the token's member."""
    data = json_body(
        {"book_id": (int,), "chapter": (int,), "title": (str,), "body": (str,)},
        optional=frozenset({"chapter", "body"}),
    )
    question = board.ask_question(
        g.api_member,
        book_id=data["book_id"],
        chapter_number=data.get("chapter"),
        title=data["title"],
        body=data.get("body") or "",
    )
    return thread_response(question.id, status=201)


@bp.get("/questions/<int:question_id>")
def question(question_id: int) -> Response:
    """One thread with its answers."""
    return thread_response(question_id)


def thread_response(question_id: int, status: int = 200) -> Response:
    """A thread and its answers as JSON, read through the board's own query."""
    thread = board.get_thread(question_id, g.api_member)
    body = serialize.question(thread.question)
    body["answers"] = [serialize.answer(a) for a in thread.answers]
    return json_response(body, status)


@bp.post("/questions/<int:question_id>/answers")
def answer(question_id: int) -> Response:
    """Answer a thread as the token's member."""
    data = json_body({"body": (str,)})
    created = board.post_answer(g.api_member, question_id, data["body"])
    return json_response(serialize.answer(created), 201)


@bp.post("/answers/<int:answer_id>/accept")
def accept(answer_id: int) -> Response:
    """Accept an answer (the asker or an admin): the thread becomes resolved."""
    accepted = board.set_answer_accepted(g.api_member, answer_id, accepted=True)
    return thread_response(accepted.question_id)


# --- search -------------------------------------------------------------------------------


@bp.get("/search")
def search() -> Response:
    """Notes, questions and answers that hold every word of `q` (Korean inside words too)."""
    query = request.args.get("q", "").strip()
    if not query:
        raise ApiProblem(400, "검색어 q를 입력해 주세요.")
    if len(query) > 200:
        raise ApiProblem(400, "검색어는 200자까지입니다.")
    page, per_page = page_args()
    results = search_engine.search(query, page=page, per_page=per_page)
    items = [serialize.search_hit(hit) for hit in results.hits]
    return json_response(serialize.page_of(items, results.total, results.page, per_page))
