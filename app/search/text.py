"""Search text helpers: plain text from HTML, normalized text, highlighted snippets.

Pure: no Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from markupsafe import Markup, escape

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


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment: no tags, no attributes, entities decoded."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return normalize_text("".join(extractor.parts))


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
