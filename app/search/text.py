"""Search text helpers: plain text from HTML, normalized text, highlighted snippets.

Pure: no Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

from markupsafe import Markup, escape

from app.text.known import KnownAnswers

_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFC (macOS files carry decomposed Hangul) and single spaces."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


class _TextExtractor(HTMLParser):
    """Collects the text of (sanitized) HTML, with a space where blocks and lines break."""

    BREAKS = frozenset((
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul",
    ))  # fmt: skip
    SKIPPED = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


# Texts worked out ahead (by the import's worker process, see app.notes.prepare), by their
# HTML: html_to_text is pure, so a known answer is the answer. Few: taken once, or dropped.
_KNOWN = KnownAnswers(1024)


def know_text(html: str, text: str) -> None:
    """Remember that `text` is html_to_text(html), worked out elsewhere, for its next call."""
    _KNOWN.put(html, text)


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment: no tags, no attributes, entities decoded."""
    if (known := _KNOWN.take(html)) is not None:
        return known
    fast = _plain_tags_text(html)
    if fast is not None:
        return normalize_text(fast)
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return normalize_text("".join(extractor.parts))


# A start or end tag with plainly quoted attributes: what the sanitizer writes.
_PLAIN_TAG = re.compile(
    r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:\s+[^\s"'<>/=]+(?:="[^"<>]*")?)*\s*(/?)>"""
)
# Elements whose content a parser may read as raw text: left to HTMLParser.
_RAW_TEXT_TAG = re.compile(
    r"<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)",
    re.IGNORECASE,
)


def _plain_tags_text(html: str) -> str | None:
    """The text `_TextExtractor` collects, by one regular expression (several times faster),
    when every `<` starts a plain tag (sanitized HTML); None for anything else."""
    if _RAW_TEXT_TAG.search(html):
        return None
    parts: list[str] = []
    position, skipping, tags = 0, 0, 0
    for match in _PLAIN_TAG.finditer(html):
        tags += 1
        if not skipping:
            parts.append(unescape(html[position : match.start()]))
        position = match.end()
        tag = match.group(2).lower()
        if tag in _TextExtractor.SKIPPED and not match.group(3):  # <x/> opens and closes
            skipping = max(0, skipping - 1) if match.group(1) else skipping + 1
        elif tag in _TextExtractor.BREAKS:
            parts.append(" ")
    if tags != html.count("<"):
        return None
    if not skipping:
        parts.append(unescape(html[position:]))
    return "".join(parts)


def highlight_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching any of the words, longest first."""
    if not words:
        return None
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in ordered), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern[str] | None) -> Markup:
    """The text, HTML-escaped, with every match wrapped in <mark>."""
    if pattern is None:
        return escape(text)
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return Markup("".join(pieces))


def snippet(text: str, pattern: re.Pattern[str] | None, width: int = 180) -> Markup:
    """A window of the text around the first match, escaped and highlighted, with ellipses."""
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - width // 3) if found else 0
    end = min(len(text), start + width)
    start = max(0, end - width)
    # Start at a word boundary when the window is cut in the middle of a word.
    if start > 0 and (space := text.find(" ", start, found.start() if found else end)) != -1:
        start = space + 1
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return Markup(prefix) + highlight(text[start:end], pattern) + Markup(suffix)
