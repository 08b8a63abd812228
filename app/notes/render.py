"""Markdown to safe HTML: the renderer lives in app.text.markdown; re-exported here."""

from app.text.markdown import (
    HTML_ELEMENTS,
    Heading,
    Rendered,
    render_markdown,
    sanitize_html,
)

__all__ = [
    "HTML_ELEMENTS",
    "Heading",
    "Rendered",
    "render_markdown",
    "sanitize_html",
]
