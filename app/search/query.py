"""Search query parsing: the search box text as terms, and as each engine's expressions.

Pure: no Flask, no database. The backends (`sqlite.py`, `postgres.py`) build on it.

Korean attaches particles to words (설정을, 카프카의), so every term is matched as a substring
of a title or a body, case-insensitively, and a document must contain every term (AND):

- SQLite: terms of 3 or more characters go to an FTS5 `trigram` table, terms of 1–2
  characters to a second FTS5 table fed with overlapping 2-character grams (as MySQL's ngram
  parser does).
- PostgreSQL: terms of 3 or more characters are `LIKE` patterns (served by a `pg_trgm` GIN
  index), the letter runs of 1–2 character terms are grams looked up in a GIN index over
  every 1–2 character substring of the text.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from app.search.text import normalize_text
from app.text.known import KnownAnswers

# The trigram tokenizer (and pg_trgm) need at least this many characters to match anything.
TRIGRAM_MIN = 3
MAX_TERMS = 8
MAX_QUERY_CHARS = 200

# Letters and digits (no underscore): what the bigram table indexes.
_WORD_RUN = re.compile(r"[^\W_]+")
# A quoted phrase (the closing quote may be missing) or a bare term.
_QUERY_PART = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')
# Kept at the end of a term: C++, C#, F#.
_KEPT_TRAILING = "+#"


@dataclass(frozen=True)
class Term:
    """One thing the query asks for: a word or a "quoted phrase" (normalized)."""

    text: str
    phrase: bool = False

    @property
    def is_short(self) -> bool:
        """1–2 characters: too short for trigrams, matched by its letter runs instead."""
        return len(self.text) < TRIGRAM_MIN

    @property
    def runs(self) -> list[str]:
        """The lower-cased runs of letters and digits of a short term ("C#" → ["c"])."""
        return _WORD_RUN.findall(self.text.lower())


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


@dataclass(frozen=True)
class SubstringQuery:
    """PostgreSQL's conditions: `LIKE` patterns (3+ characters) and 1–2 character grams.

    A document matches when its lower-cased text is LIKE every pattern and holds every gram."""

    patterns: tuple[str, ...]
    grams: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        """True when the query asks for nothing searchable."""
        return not self.patterns and not self.grams


def _strip_edges(text: str) -> str:
    """Drop punctuation around a term (`설정*`, `(큐)`, `-kafka`), keeping C++ and C#."""
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while end < len(text) and text[end] in _KEPT_TRAILING:
        end += 1
    return text[start:end]


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


def highlight_words(terms: list[Term]) -> tuple[str, ...]:
    """The strings to mark in titles and snippets: long terms whole, short ones by run."""
    words: list[str] = []
    for term in terms:
        words.extend(term.runs if term.is_short else [term.text])
    return tuple(dict.fromkeys(words))


def _quoted(text: str) -> str:
    """An FTS5 string: everything inside is literal (NEAR, *, -, :, ^ and parentheses)."""
    return '"' + text.replace('"', '""') + '"'


def fts_query(terms: list[Term]) -> FtsQuery:
    """The MATCH expressions that find documents containing every term as a substring."""
    trigram: list[str] = []
    bigram: list[str] = []
    for term in terms:
        if not term.is_short:
            trigram.append(_quoted(term.text))
            continue
        # 1–2 characters: each run of letters/digits is a bigram token or a 1-char prefix.
        for run in term.runs:
            bigram.append(_quoted(run) if len(run) == 2 else _quoted(run) + "*")
    return FtsQuery(
        trigram=" AND ".join(trigram) or None,
        bigram=" AND ".join(dict.fromkeys(bigram)) or None,
        highlight=highlight_words(terms),
    )


def like_pattern(text: str) -> str:
    """A `LIKE … ESCAPE '\\'` pattern finding the text anywhere: `%` and `_` are literal."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def substring_query(terms: list[Term]) -> SubstringQuery:
    """PostgreSQL's conditions for every term (the database lower-cases them)."""
    patterns = [like_pattern(term.text) for term in terms if not term.is_short]
    grams = [run for term in terms if term.is_short for run in term.runs]
    return SubstringQuery(tuple(dict.fromkeys(patterns)), tuple(dict.fromkeys(grams)))


# Grams worked out ahead (by the import's worker process), by their text: bigram_text is
# pure, so a known answer is the answer. Few: taken once, or dropped.
_KNOWN = KnownAnswers(4096)


def know_grams(text: str, grams: str) -> None:
    """Remember that `grams` is bigram_text(text), worked out elsewhere, for its next call."""
    _KNOWN.put(text, grams)


def bigram_text(text: str) -> str:
    """The text as overlapping 2-character grams of its letter runs, space separated.

    Each run also yields its last character alone, so a 1-character prefix query finds every
    character of a run ("큐" in "메시지 큐", "카" at the end of "프로카")."""
    if (known := _KNOWN.take(text)) is not None:
        return known
    grams: list[str] = []
    for run in _WORD_RUN.findall(text.lower()):
        grams.extend(map(operator.add, run, run[1:]))
        grams.append(run[-1])
    return " ".join(grams)
