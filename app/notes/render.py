"""Markdown to safe HTML. Pure: no Flask, no database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    """A heading of the rendered note, for the table of contents and for anchors."""

    level: int
    text: str
    id: str


@dataclass(frozen=True)
class Rendered:
    """The sanitized HTML of a Markdown text, with its table of contents."""

    html: str
    toc_html: str
    headings: list[Heading]
    # Relative image paths the text refers to (./images/a.png), in order of appearance.
    local_images: list[str]


def render_markdown(text: str, *, image_url: Callable[[str], str | None] | None = None) -> Rendered:
    """Render Markdown (raw HTML allowed) and sanitize it. `image_url` maps a relative image
    path to the URL it is served at (None leaves the path as written)."""
    raise NotImplementedError


def sanitize_html(html: str) -> str:
    """Remove everything unsafe from HTML (scripts, handlers, javascript: URLs, styles)."""
    raise NotImplementedError
