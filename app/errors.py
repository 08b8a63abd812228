"""Errors every feature shares: the `ServiceError` family and the one handler that shows them.

Services raise `Invalid`, `NotFound`, `Forbidden` or `Conflict` with a Korean message (and
the form field it concerns, if any); `get_or_404` is the one "this row, or NotFound". Views
catch only what they show inside a form; anything else reaches `handle_service_error`
(registered in create_app), which answers with the site's error page or, under the API, with
a problem+json document.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, TypeVar

from flask import Response, render_template, request

from app.extensions import db

Row = TypeVar("Row")


class ServiceError(Exception):
    """A request a service refuses; `message` is Korean and shown as it is.

    Each kind names its HTTP status and the error page's title in its class line."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "잘못된 요청"

    def __init_subclass__(cls, *, status: int, title: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.status, cls.title = status, title

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(ServiceError, status=422, title="입력한 내용을 확인해 주세요"):
    """What was sent cannot be used (a missing or wrong value)."""


class NotFound(ServiceError, status=404, title="찾을 수 없습니다"):
    """The thing asked for does not exist, or the actor may not know it does."""


class Forbidden(ServiceError, status=403, title="권한이 없습니다"):
    """The actor may not do this."""


class Conflict(ServiceError, status=409, title="지금은 할 수 없습니다"):
    """The request clashes with the current state (already used, hidden, taken)."""


def get_or_404(model: type[Row], row_id: int, message: str, *, member_id: int | None = None) -> Row:
    """The row with this id, or NotFound(`message`); with `member_id`, only that member's own
    row (another member's is not found either: nobody learns that it exists)."""
    row = db.session.get(model, row_id)
    if row is None or (member_id is not None and getattr(row, "member_id", None) != member_id):
        raise NotFound(message)
    return row


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
