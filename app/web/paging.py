"""One page of a long list, the one shape every paged list has; templates draw it with the
`pager` macro in templates/_macros.html. Pure: no Flask."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` items fill, at least one (an empty list has one empty page)."""
    return max(1, math.ceil(total / per_page))


def clamp_page(requested: int, total: int, per_page: int) -> int:
    """The requested page number, brought within 1..page_count: past the end is the last."""
    return min(max(1, requested), page_count(total, per_page))


def offset_of(page: int, per_page: int) -> int:
    """How many items come before this page."""
    return (page - 1) * per_page


@dataclass(frozen=True)
class Page(Generic[T]):
    """The items of page `page` (from 1) of a list of `total` items, `per_page` a page."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the whole list fills."""
        return page_count(self.total, self.per_page)

    @property
    def has_prev(self) -> bool:
        """Whether a page comes before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Whether a page comes after this one."""
        return self.page < self.pages

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
