"""The API's endpoints: thin views over the same services as the pages."""

from __future__ import annotations

from flask import current_app, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from app.api import bp, serialize
from app.api.openapi import openapi_document
from app.api.problems import ApiProblem, problem_response
from app.api.requests import page_args
from app.api.tokens import member_for_token
from app.notes import queries as note_queries

# Endpoints anyone may call without a token.
PUBLIC_ENDPOINTS = {"api.openapi", "api.unknown"}


@bp.before_request
def authenticate():
    """Every endpoint but the document needs `Authorization: Bearer <token>`."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, "Authorization: Bearer <토큰> 헤더가 필요합니다.")
    member = member_for_token(token.strip())
    if member is None:
        raise ApiProblem(401, "토큰이 올바르지 않거나 폐기되었습니다.")
    g.api_member = member
    return None


@bp.errorhandler(ApiProblem)
def api_problem(error: ApiProblem):
    """An error the API raised on purpose."""
    return problem_response(error.status, error.detail, **error.extra)


@bp.errorhandler(HTTPException)
def http_problem(error: HTTPException):
    """Werkzeug's errors (413 from a too large body, …) as problem documents."""
    return problem_response(error.code or 500, error.description)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API."""
    return jsonify(openapi_document(server_url=url_for("api.openapi").rsplit("/", 1)[0]))


@bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def unknown(anything: str):
    """Paths the API does not have (404) or methods a path does not take (405)."""
    adapter = current_app.url_map.bind("api")
    allowed = set()
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
def books():
    """The books, with counts, a page at a time."""
    page, per_page = page_args()
    summaries = note_queries.book_summaries()
    items = summaries[(page - 1) * per_page : page * per_page]
    return jsonify(
        serialize.page_of(
            [serialize.book_summary(s) for s in items], len(summaries), page, per_page
        )
    )


@bp.get("/notes/<int:note_id>")
def note(note_id: int):
    """One note: its parsed fields and rendered HTML."""
    found = note_queries.get_note(note_id)
    if found is None or found.deleted_at is not None:
        raise ApiProblem(404, "노트를 찾을 수 없습니다.")
    return jsonify(serialize.note(found))
