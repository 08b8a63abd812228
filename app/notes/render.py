"""Markdown to safe HTML: the renderer lives in app.text.markdown; re-exported here."""

from app.text.markdown import (
    HTML_ELEMENTS,
    Heading,
    Rendered,
    html_to_plain_text,
    render_markdown,
    render_plain_text,
    sanitize_html,
)

__all__ = [
    "HTML_ELEMENTS",
    "Heading",
    "Rendered",
    "html_to_plain_text",
    "render_markdown",
    "render_plain_text",
    "sanitize_html",
]
