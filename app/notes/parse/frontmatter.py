"""A note's front matter: a leading `---` block of `key: value` and `key: [a, b]` lines.

Split line by line (never by one regular expression over the whole text, which can
backtrack exponentially on blank lines)."""

from __future__ import annotations

import re

_KEY_VALUE_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_INTEGER_RE = re.compile(r"-?\d{1,9}")


def _scalar(value: str) -> object:
    """A front-matter value: quotes removed, small integers as int."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if _INTEGER_RE.fullmatch(value):
        return int(value)
    return value


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """The front matter's keys and values, and the text after it (`{}` and the text when
    the note has none, or its block never ends)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return {}, text
    data: dict[str, object] = {}
    for line in lines[1:end]:
        match = _KEY_VALUE_RE.match(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            data[key] = [_scalar(part) for part in value[1:-1].split(",") if part.strip()]
        else:
            data[key] = _scalar(value)
    return data, "\n".join(lines[end + 1 :])
