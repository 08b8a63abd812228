"""Markdown line helpers the parser shares: headings, fences, list items, indents, plain text.

Every pattern here is linear: no two quantifiers can match the same characters, and
repeated parts are bounded or stop at a delimiter they cannot contain."""

from __future__ import annotations

import re

HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")
LIST_ITEM_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?:[ \t]+(?P<text>.*)|[ \t]*$)"
)
MARKER_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s+|$)")

# Plain text reads only this much of a line (question titles are cut shorter anyway).
MAX_PLAIN_CHARS = 2000

# A link destination with at most one level of parentheses (`wiki/A_(b)`). Each part stops
# at the next parenthesis, so a run of unclosed `](` costs linear time.
_DESTINATION = r"\([^()]*(?:\([^()]*\)[^()]*)?\)"
# An emphasis span: the content holds no delimiter, so each scan stops at the next one.
_SPAN = r"([^{d}\s](?:[^{d}]*[^{d}\s])?)"

# (pattern, replacement) pairs that turn a Markdown line into plain text, in order.
PLAIN_TEXT_RULES = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"!\[([^\[\]]*)\]" + _DESTINATION, r"\1"),  # images: their alt text
        (r"\[([^\[\]]+)\]" + _DESTINATION, r"\1"),  # links: their text
        (r"`+([^`]*)`+", r"\1"),  # inline code
        (r"\*\*|~~", ""),  # bold, strike-through
        (r"(?<![\w_])__" + _SPAN.format(d="_") + r"__(?![\w_])", r"\1"),
        (r"(?<![\w*])\*" + _SPAN.format(d="*") + r"\*(?![\w*])", r"\1"),
        (r"(?<![\w_])_" + _SPAN.format(d="_") + r"_(?![\w_])", r"\1"),  # not in snake_case
        (r"\s+", " "),
    )
)


def indent_width(line: str) -> int:
    """Columns of leading whitespace (a tab counts as four)."""
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4
        else:
            break
    return width


def heading_text(line: str) -> str | None:
    """The text of an ATX heading line (closing #s removed), or None for other lines."""
    match = HEADING_RE.match(line)
    if not match:
        return None
    text = (match.group(2) or "").rstrip()
    without_closing = text.rstrip("#")
    if without_closing != text and (not without_closing or without_closing[-1] in " \t"):
        text = without_closing
    return text.strip()


def code_mask(lines: list[str]) -> list[bool]:
    """For each line, whether it is part of a fenced code block (the fences included)."""
    mask = []
    fence: str | None = None
    for line in lines:
        match = FENCE_RE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
            mask.append(fence is not None)
        else:
            mask.append(True)
            closes = (
                match
                and match.group(1)[0] == fence[0]
                and len(match.group(1)) >= len(fence)
                and not line.strip().lstrip(fence[0]).strip()
            )
            if closes:
                fence = None
    return mask


def strip_emphasis(text: str) -> str:
    """Plain text of a Markdown line: emphasis, inline code, links and images removed.
    Only the first MAX_PLAIN_CHARS characters are read."""
    text = text[:MAX_PLAIN_CHARS]
    for pattern, replacement in PLAIN_TEXT_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


def strip_marker(line: str) -> str:
    """A line without its list marker (`- `, `1. `) and surrounding whitespace."""
    return MARKER_RE.sub("", line, count=1).strip()


def dedent(lines: list[str]) -> list[str]:
    """Remove the whitespace common to all non-blank lines."""
    widths = [indent_width(line) for line in lines if line.strip()]
    if not widths:
        return []
    cut = min(widths)
    out = []
    for line in lines:
        expanded = line.expandtabs(4)
        out.append(expanded[cut:] if expanded[:cut].strip() == "" else expanded.lstrip())
    return out


def outdent(lines: list[str], columns: int) -> list[str]:
    """Remove up to `columns` leading spaces from each line (a list item's content column);
    a fenced code block loses only what its opening fence line loses, so code keeps its shape."""
    out = []
    block_cut: int | None = None
    for line, in_code in zip(lines, code_mask(lines), strict=True):
        expanded = line.expandtabs(4)
        leading = len(expanded) - len(expanded.lstrip(" "))
        if not in_code:
            block_cut = None
            cut = min(columns, leading)
        else:
            if block_cut is None:
                block_cut = min(columns, leading)
            cut = min(block_cut, leading)
        out.append(expanded[cut:])
    return out


def trim_blank(lines: list[str]) -> list[str]:
    """Drop blank lines at both ends (and trailing whitespace on each line)."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return [line.rstrip() for line in lines[start:end]]


def join_lines(lines: list[str]) -> str:
    """Lines as one text, without blank lines at its ends."""
    return "\n".join(trim_blank(lines))


def shorten(text: str, limit: int = 80) -> str:
    """`text` stripped, cut to `limit` characters with "…" (for messages that quote a line)."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
