"""Search text handling: query parsing into FTS5 expressions, n-grams, plain text, snippets.

Pure: no Flask, no database. `app.search` builds on it.

Korean attaches particles to words (설정을, 카프카의), so words are matched as substrings:
terms of 3 or more characters go to an FTS5 `trigram` table, terms of 1–2 characters to a
second FTS5 table fed with overlapping 2-character grams (as MySQL's ngram parser does).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import Markup, escape

# The trigram tokenizer needs at least this many characters to match anything.
TRIGRAM_MIN = 3
MAX_TERMS = 8
MAX_QUERY_CHARS = 200

# Letters and digits (no underscore): what the bigram table indexes.
_WORD_RUN = re.compile(r"[^\W_]+")
_WHITESPACE = re.compile(r"\s+")
# A quoted phrase (the closing quote may be missing) or a bare term.
_QUERY_PART = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')
# Kept at the end of a term: C++, C#, F#.
_KEPT_TRAILING = "+#"


@dataclass(frozen=True)
class Term:
    """One thing the query asks for: a word or a "quoted phrase" (normalized)."""

    text: str
    phrase: bool = False


@dataclass(frozen=True)
class FtsQuery:
    """FTS5 MATCH expressions for the trigram and bigram tables (None: table not needed).

    Every condition must hold (AND), across both tables. `highlight` lists the strings to
    mark in titles and snippets."""

    trigram: str | None
    bigram: str | None
    highlight: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        """True when the query asks for nothing searchable (e.g. only punctuation)."""
        return self.trigram is None and self.bigram is None


def normalize_text(text: str) -> str:
    """NFC (macOS files carry decomposed Hangul) and single spaces."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _strip_edges(text: str) -> str:
    """Drop punctuation around a term (`설정*`, `(큐)`, `-kafka`), keeping C++ and C#."""
    start, end = 0, len(text)
    while start < end and not _is_word_char(text[start]):
        start += 1
    while end > start and not _is_word_char(text[end - 1]):
        end -= 1
    while end < len(text) and text[end] in _KEPT_TRAILING:
        end += 1
    return text[start:end]


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def parse_query(raw: str) -> list[Term]:
    """Split a search box text into terms and "quoted phrases"; drop what has no letters."""
    text = normalize_text(raw[:MAX_QUERY_CHARS])
    terms: list[Term] = []
    seen: set[str] = set()
    for match in _QUERY_PART.finditer(text):
        quoted, bare = match.groups()
        value = _strip_edges(normalize_text(quoted if quoted is not None else bare))
        if not _WORD_RUN.search(value) or value.lower() in seen:
            continue
        seen.add(value.lower())
        terms.append(Term(value, phrase=quoted is not None and " " in value))
        if len(terms) == MAX_TERMS:
            break
    return terms


def _quoted(text: str) -> str:
    """An FTS5 string: everything inside is literal (NEAR, *, -, :, ^ and parentheses)."""
    return '"' + text.replace('"', '""') + '"'


def fts_query(terms: list[Term]) -> FtsQuery:
    """The MATCH expressions that find documents containing every term as a substring."""
    trigram: list[str] = []
    bigram: list[str] = []
    highlight: list[str] = []
    for term in terms:
        if len(term.text) >= TRIGRAM_MIN:
            trigram.append(_quoted(term.text))
            highlight.append(term.text)
            continue
        # 1–2 characters: each run of letters/digits is a bigram token or a 1-char prefix.
        for run in _WORD_RUN.findall(term.text.lower()):
            bigram.append(_quoted(run) if len(run) == 2 else _quoted(run) + "*")
            highlight.append(run)
    return FtsQuery(
        trigram=" AND ".join(trigram) or None,
        bigram=" AND ".join(dict.fromkeys(bigram)) or None,
        highlight=tuple(dict.fromkeys(highlight)),
    )


def bigram_text(text: str) -> str:
    """The text as overlapping 2-character grams of its letter runs, space separated.

    Each run also yields its last character alone, so a 1-character prefix query finds every
    character of a run ("큐" in "메시지 큐", "카" at the end of "프로카")."""
    grams: list[str] = []
    for run in _WORD_RUN.findall(text.lower()):
        grams.extend(map(operator.add, run, run[1:]))
        grams.append(run[-1])
    return " ".join(grams)


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

    def handle_starttag(self, tag: str, attrs) -> None:
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
