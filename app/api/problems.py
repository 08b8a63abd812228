"""Errors of the JSON API as RFC 9457 problem details (`application/problem+json`)."""

from __future__ import annotations

from http import HTTPStatus

from flask import Response, json

PROBLEM_TYPE = "application/problem+json"

# Titles a client's user may read: the API speaks Korean like the site.
TITLES = {
    400: "잘못된 요청",
    401: "인증이 필요합니다",
    403: "권한이 없습니다",
    404: "찾을 수 없습니다",
    405: "허용되지 않는 메서드",
    409: "충돌",
    413: "요청이 너무 큽니다",
    415: "지원하지 않는 형식",
    422: "처리할 수 없는 내용",
    429: "요청이 너무 많습니다",
    500: "서버 오류",
    503: "잠시 쓸 수 없습니다",
}


# What the site says about werkzeug's own errors (their descriptions are English).
DETAILS = {
    400: "요청을 이해하지 못했습니다.",
    404: "찾을 수 없습니다.",
    405: "이 주소는 그 메서드를 받지 않습니다.",
    413: "본문이 허용된 크기를 넘었습니다.",
    415: "지원하지 않는 본문 형식입니다.",
    429: "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.",
    500: "서버에서 문제가 생겼습니다. 계속되면 관리자에게 알려 주세요.",
}


class ApiProblem(Exception):
    """Raised anywhere in the API to answer with a problem document."""

    def __init__(self, status: int, detail: str, **extra: object):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


def problem_response(status: int, detail: str | None = None, **extra: object) -> Response:
    """A problem+json response for `status`, with a Korean title and detail."""
    body: dict[str, object] = {
        "type": "about:blank",
        "title": TITLES.get(status) or HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="studyhall"'
    return response
