"""Reading API requests: pagination arguments and JSON bodies, with problem errors."""

from __future__ import annotations

from typing import Any, overload

from flask import request

from app.api.problems import ApiProblem

PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
# The largest id or number the API takes: SQLite's integers stop at 2**63 - 1, and JSON
# clients (JavaScript) lose precision past 2**53.
ID_MAX = 2**53


@overload
def int_arg(name: str, default: int, *, minimum: int, maximum: int = ID_MAX) -> int: ...
@overload
def int_arg(name: str, default: None, *, minimum: int, maximum: int = ID_MAX) -> int | None: ...
def int_arg(name: str, default: int | None, *, minimum: int, maximum: int = ID_MAX) -> int | None:
    """A whole-number query argument within bounds, or a 400 problem."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        reason = "정수여야 합니다."
        raise ApiProblem(
            400, f"'{name}'은(는) {reason}", invalid_params=[{"name": name, "reason": reason}]
        ) from None
    if not minimum <= value <= maximum:
        raise ApiProblem(400, f"'{name}'은(는) {minimum}~{maximum} 범위여야 합니다.")
    return value


def page_args() -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1–100) from the query string."""
    page = int_arg("page", 1, minimum=1, maximum=1_000_000)
    per_page = int_arg("per_page", PER_PAGE_DEFAULT, minimum=1, maximum=PER_PAGE_MAX)
    return page, per_page


def json_body(
    fields: dict[str, tuple[type, ...]], *, optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The request's JSON object with `fields` of the given types; 415, 400 or 422 otherwise."""
    if not request.is_json:
        raise ApiProblem(415, "본문은 application/json이어야 합니다.")
    try:
        data: Any = request.get_json(silent=True)
    except RecursionError:
        raise ApiProblem(400, "JSON이 너무 깊게 중첩되어 있습니다.") from None
    if data is None:
        raise ApiProblem(400, "JSON 본문을 읽을 수 없습니다.")
    if has_lone_surrogate(data):
        raise ApiProblem(400, "본문에 UTF-8로 쓸 수 없는 문자(짝 없는 서로게이트)가 있습니다.")
    if not isinstance(data, dict):
        raise ApiProblem(422, "본문은 JSON 객체여야 합니다.")
    errors: list[dict[str, str]] = []
    for name, types in fields.items():
        if name not in data or data[name] is None:
            if name not in optional:
                errors.append({"name": name, "reason": "필수 항목입니다."})
            continue
        value = data[name]
        # bool is an int in Python; a JSON true is never a number here.
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            errors.append({"name": name, "reason": f"{type_name(types)} 값이어야 합니다."})
        elif isinstance(value, int) and not 0 <= value <= ID_MAX:
            errors.append({"name": name, "reason": f"0부터 {ID_MAX}까지의 수여야 합니다."})
    if errors:
        raise ApiProblem(422, "본문의 항목을 확인해 주세요.", invalid_params=errors)
    return data


def type_name(types: tuple[type, ...]) -> str:
    """A Korean name for the JSON type(s) expected."""
    names = {int: "정수", float: "숫자", str: "문자열", bool: "참/거짓"}
    return "/".join(dict.fromkeys(names.get(t, t.__name__) for t in types))


def has_lone_surrogate(value: object) -> bool:
    """Whether any string (key or value) inside a parsed JSON document is not valid UTF-8."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
