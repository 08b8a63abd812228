"""Errors every feature shares: the `ServiceError` family and the one handler that shows them.

Services raise `Invalid`, `NotFound`, `Forbidden` or `Conflict` with a Korean message (and
the form field it concerns, if any). Views catch only what they show inside a form; anything
else reaches `handle_service_error` (registered in create_app), which answers with the
site's error page or, under the API, with a problem+json document.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from flask import Response, render_template, request


class ServiceError(Exception):
    """A request a service refuses; `message` is Korean and shown as it is."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "잘못된 요청"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(ServiceError):
    """What was sent cannot be used (a missing or wrong value): 422."""

    status = 422
    title = "입력한 내용을 확인해 주세요"


class NotFound(ServiceError):
    """The thing asked for does not exist, or the actor may not know it does: 404."""

    status = 404
    title = "찾을 수 없습니다"


class Forbidden(ServiceError):
    """The actor may not do this: 403."""

    status = 403
    title = "권한이 없습니다"


class Conflict(ServiceError):
    """The request clashes with the current state (already used, hidden, taken): 409."""

    status = 409
    title = "지금은 할 수 없습니다"


class _Form(Protocol):
    """What attach_to_form needs of a (Flask-WTF) form."""

    form_errors: list[str]


def attach_to_form(form: _Form, error: ServiceError) -> None:
    """Show a refusal under the form field it concerns, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _is_api_request() -> bool:
    return "api" in request.blueprints


def handle_service_error(error: ServiceError) -> Response | tuple[str, int]:
    """The one answer to a ServiceError: problem+json for the API, the error page otherwise."""
    if _is_api_request():
        # Imported here: app.api imports the services, which import this module.
        from app.api.problems import problem_response

        extra: dict[str, object] = {}
        if error.field:
            extra["invalid_params"] = [{"name": error.field, "reason": error.message}]
        return problem_response(error.status, error.message, **extra)
    page = render_template("error.html", code=error.status, title=error.title, text=error.message)
    return page, error.status
