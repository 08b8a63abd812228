"""What a search asks and answers: filters, one ranked page of ids, hits and results.

Shared by the backends and `queries.py`; no Flask, no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from app.search.documents import KIND_LABELS, KINDS

# Matches are counted up to this many per kind (the backends stop there): a larger count is
# shown as "1,000+", so a common word costs no more than the page it shows.
COUNT_CAP = 1000


def shown_count(counts: list[int]) -> str:
    """The sum of capped counts as the page shows it: "352", or "1,000+" when a count
    stopped at the cap (each capped kind counted as COUNT_CAP)."""
    total = sum(min(count, COUNT_CAP) for count in counts)
    return f"{total:,}" + ("+" if any(count > COUNT_CAP for count in counts) else "")


@dataclass(frozen=True)
class Filters:
    """What the results are narrowed to."""

    book_id: int | None = None
    chapter: int | None = None
    member_id: int | None = None
    kind: str | None = None

    def sql(self, chapter_clause: str) -> tuple[str, dict[str, Any]]:
        """A WHERE clause over search_documents `d` (without the kind), and its parameters.

        `chapter_clause` is the engine's test of `:chapter` (" 3 ") inside `d.chapters`."""
        clauses: list[str] = ["1 = 1"]
        params: dict[str, Any] = {}
        if self.book_id is not None:
            clauses.append("d.book_id = :book_id")
            params["book_id"] = self.book_id
        if self.chapter is not None:
            clauses.append(chapter_clause)
            params["chapter"] = f" {self.chapter} "
        if self.member_id is not None:
            clauses.append("d.member_id = :member_id")
            params["member_id"] = self.member_id
        return " AND ".join(clauses), params


@dataclass(frozen=True)
class Page:
    """What a backend finds: matches per kind (the whole query, each at most COUNT_CAP + 1,
    which means "more than COUNT_CAP") and the page's document ids."""

    counts: dict[str, int]
    ids: list[int]

    @classmethod
    def empty(cls) -> Page:
        """No matches."""
        return cls(dict.fromkeys(KINDS, 0), [])


@dataclass(frozen=True)
class SearchHit:
    """One matching note, question or answer, with its highlighted title and snippet."""

    kind: str
    id: int
    title_html: Markup
    snippet_html: Markup
    book_id: int | None
    book_title: str | None
    member_id: int | None
    member_name: str | None
    chapters: tuple[int, ...]
    question_id: int | None
    updated_at: str | None

    @property
    def path(self) -> str:
        """Where the hit lives on the site."""
        if self.kind == "note":
            return f"/notes/{self.id}"
        if self.kind == "question":
            return f"/questions/{self.id}"
        return f"/questions/{self.question_id}#answer-{self.id}"


@dataclass(frozen=True)
class SearchGroup:
    """The hits of one kind on the current page."""

    kind: str
    label: str
    hits: list[SearchHit]


@dataclass(frozen=True)
class FilterOptions:
    """The choices of the filter form."""

    books: list[tuple[int, str]] = field(default_factory=list)
    chapters: list[tuple[int, str]] = field(default_factory=list)
    members: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResults:
    """One page of results, grouped by kind, with counts per kind for the whole query.

    `total` is how many results the pages hold (a kind counted up to COUNT_CAP); `more` says
    the query matches more than that."""

    query: str
    terms: list[str]
    hits: list[SearchHit]
    counts: dict[str, int]
    total: int
    page: int
    per_page: int
    options: FilterOptions = field(default_factory=FilterOptions)
    more: bool = False

    def count_text(self, kind: str | None = None) -> str:
        """How many of one kind match (None: of every kind), as shown: "352" or "1,000+"."""
        return shown_count([self.counts[kind]] if kind else list(self.counts.values()))

    @property
    def total_text(self) -> str:
        """The total as shown: "352" or "1,000+"."""
        return f"{self.total:,}" + ("+" if self.more else "")

    @property
    def pages(self) -> int:
        """How many pages the results fill."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def groups(self) -> list[SearchGroup]:
        """This page's hits grouped by kind, notes first."""
        return [
            SearchGroup(kind, KIND_LABELS[kind], [hit for hit in self.hits if hit.kind == kind])
            for kind in KINDS
            if any(hit.kind == kind for hit in self.hits)
        ]
