"""The 궁금 section's questions: list items, headings and paragraphs (docs/NOTE_FORMAT.md).

A state machine reads the section line by line. Each line is one of five kinds (heading,
top-level list item, blank, code, text); each kind has one transition method that says,
for every state, what the line does to the open question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from app.notes.parse.lines import (
    LIST_ITEM_RE,
    code_mask,
    dedent,
    heading_text,
    indent_width,
    outdent,
    strip_emphasis,
    trim_blank,
)
from app.notes.parse.template import is_placeholder_line
from app.notes.parse.types import ParsedQuestion

MAX_TITLE_CHARS = 500
# Threads one note may make: keeps an import's write transaction short (real notes have <30).
MAX_QUESTIONS = 1000
# An HTML comment is invisible on the page, so it never becomes a question; an unclosed one
# runs to the end (the first match then takes the rest, so this is linear).
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_QUOTE_RE = re.compile(r"^\s*(?:>\s*)+")
_ITEM_TITLE_RE = re.compile(r"^(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*)|[ \t]*$)")


class State(Enum):
    """Where the reader is: which kind of question (if any) the next line may continue."""

    OUTSIDE = "outside"  # no open question: the start, after a paragraph or a placeholder item
    HEADING = "heading"  # under a heading: every line up to the next heading is its body
    ITEM = "item"  # in a list item: indented, code and lazy lines continue it
    ITEM_AFTER_BLANK = "item-after-blank"  # ditto after a blank: only indented lines and code
    PARAGRAPH = "paragraph"  # in a paragraph: it runs up to a blank line


@dataclass
class Draft:
    """A question being read: its title line and body lines."""

    title: str
    body: list[str]
    kind: Literal["item", "heading", "paragraph"]
    raw_title: str = ""
    # Columns where a list item's content starts: its body is read relative to them.
    content_indent: int = 0


def _item_title(text: str) -> str:
    """The title of a list item's first line; `- - text` is titled `text`."""
    inner = _ITEM_TITLE_RE.match(text.strip())
    if inner:
        text = inner.group(1) or ""
    return strip_emphasis(text)


@dataclass
class QuestionReader:
    """The state machine: feed it the section's lines, then take its drafts."""

    drafts: list[Draft] = field(default_factory=list)
    state: State = State.OUTSIDE
    # The indent of the first list item: items at most one column deeper are questions,
    # deeper ones are part of the question above.
    base_indent: int | None = None
    placeholders: int = 0

    def feed(self, line: str, in_code: bool) -> None:
        """Classify one line and take the transition for its kind."""
        heading = None if in_code else heading_text(line)
        if heading:
            self._open(Draft(strip_emphasis(heading), [], "heading", heading), State.HEADING)
        elif self.state is State.HEADING:
            self.drafts[-1].body.append(line)  # a heading's question runs to the next heading
        elif (item := self._top_level_item(line, in_code)) is not None:
            self._on_item(line, item)
        elif not line.strip():
            self._on_blank(line)
        elif in_code:
            self._on_code(line)
        else:
            self._on_text(line)

    def _open(self, draft: Draft, state: State) -> None:
        self.drafts.append(draft)
        self.state = state

    def _continue(self, line: str, state: State) -> None:
        self.drafts[-1].body.append(line)
        self.state = state

    def _top_level_item(self, line: str, in_code: bool) -> re.Match[str] | None:
        """The list-item match of a line that starts a question item, else None."""
        item = None if in_code else LIST_ITEM_RE.match(line)
        if item is None:
            return None
        indent = indent_width(item.group("indent"))
        if self.base_indent is None:
            self.base_indent = indent
        return item if indent <= self.base_indent + 1 else None

    def _on_item(self, line: str, item: re.Match[str]) -> None:
        """Any state: a top-level item starts a question, unless it is template text."""
        if is_placeholder_line(line):
            self.placeholders += 1
            self.state = State.OUTSIDE
            return
        text = item.group("text") or ""
        marker_end = item.end("marker")
        spaces = len(line[marker_end:]) - len(line[marker_end:].lstrip(" "))
        content = marker_end + max(1, min(spaces, 4))
        self._open(Draft(_item_title(text), [], "item", text, content), State.ITEM)

    def _on_blank(self, line: str) -> None:
        """A blank line ends a paragraph; an item keeps it (a later indented line continues)."""
        if self.state is State.PARAGRAPH:
            self.state = State.OUTSIDE
        elif self.state in (State.ITEM, State.ITEM_AFTER_BLANK):
            self._continue(line, State.ITEM_AFTER_BLANK)

    def _on_code(self, line: str) -> None:
        """Code belongs to the open item or paragraph; outside, to the last item if any."""
        if self.state in (State.ITEM, State.ITEM_AFTER_BLANK):
            self._continue(line, State.ITEM)
        elif self.state is State.PARAGRAPH:
            self._continue(line, State.PARAGRAPH)
        elif self.drafts and self.drafts[-1].kind == "item":
            self._continue(line, State.ITEM)  # code under an item after a placeholder line
        else:
            self._on_text(line)

    def _on_text(self, line: str) -> None:
        """Text continues an item (lazily, or indented after a blank) or a paragraph;
        otherwise it starts a paragraph question, unless it is template text."""
        if self.state is State.ITEM or self.state is State.PARAGRAPH:
            self._continue(line, self.state)
        elif self.state is State.ITEM_AFTER_BLANK and indent_width(line) >= 2:
            self._continue(line, State.ITEM)
        elif is_placeholder_line(line):
            self.placeholders += 1  # dropped; the reader stays where it was
        else:
            quoted = _QUOTE_RE.sub("", line)
            self._open(Draft(strip_emphasis(quoted), [], "paragraph", quoted), State.PARAGRAPH)


def _question(draft: Draft, warnings: list[str]) -> ParsedQuestion | None:
    """The question a draft makes (None for an empty item): an untitled item takes its
    first body line as title; a too-long title is cut and kept whole in the body."""
    body = trim_blank(dedent(outdent(draft.body, draft.content_indent)))
    title = draft.title
    if not title or title in ("-", "*", "+"):
        content = [line for line in body if line.strip()]
        if not content:
            return None
        title = _item_title(content[0])
        body = trim_blank(dedent(body[body.index(content[0]) + 1 :]))
        if not title:
            return None
    if len(title) > MAX_TITLE_CHARS:
        warnings.append(f"질문 제목이 {MAX_TITLE_CHARS}자보다 길어 잘랐습니다: {title[:30]}…")
        body = [draft.raw_title.strip() or title, "", *body]
        title = title[: MAX_TITLE_CHARS - 1] + "…"
    return ParsedQuestion(title=title, body="\n".join(body))


def parse_questions(section: list[str], warnings: list[str]) -> list[ParsedQuestion]:
    """Questions of the 궁금 section, in order; template text and empty items are skipped
    with a warning."""
    lines = _COMMENT_RE.sub("", "\n".join(section)).split("\n")
    reader = QuestionReader()
    for line, in_code in zip(lines, code_mask(lines), strict=True):
        reader.feed(line, in_code)
    if reader.placeholders:
        warnings.append(
            f"'특별히 궁금했던 부분'에 템플릿 안내 문구 {reader.placeholders}줄이 남아 있어 "
            "질문으로 만들지 않았습니다."
        )
    questions = [_question(draft, warnings) for draft in reader.drafts]
    empty_items = questions.count(None)
    if empty_items:
        warnings.append(f"'특별히 궁금했던 부분'의 빈 항목 {empty_items}개를 건너뛰었습니다.")
    found = [question for question in questions if question is not None]
    if len(found) > MAX_QUESTIONS:
        warnings.append(
            f"'특별히 궁금했던 부분'의 질문이 {len(found):,}개로 너무 많아 "
            f"앞의 {MAX_QUESTIONS:,}개만 게시판에 올립니다."
        )
    return found[:MAX_QUESTIONS]
