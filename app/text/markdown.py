"""Markdown to safe HTML with markdown-it-py (CommonMark + GitHub's extensions). Pure.

The pipeline: markdown-it-py parses CommonMark with GFM tables, `~~strikethrough~~`,
GitHub-style autolinks, task lists, footnotes and `$` math; raw HTML is kept (tag-like
text that is no HTML is escaped), then nh3 removes everything unsafe. Deliberate
differences from GitHub (Korean emphasis, autolinks ending before a Korean particle,
single `~` as text, tag-like text) are listed in tests/unit/test_gfm_differential.py.
"""

from __future__ import annotations

import gc
import html as html_lib
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import import_module
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it import helpers as md_helpers
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace, unescapeAll
from markdown_it.helpers.parse_link_destination import _Result as _DestinationResult
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import emphasis, strikethrough
from markdown_it.rules_inline.image import image as image_rule
from markdown_it.rules_inline.link import link as link_rule
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote import index as footnote_index
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from app.text.files import IMAGE_SUFFIXES


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


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ----------------------------------------------------------------- tag-like text
# Every HTML element name. A raw tag whose name is not one of them (`<NodeIP>`,
# `List<String>`), or is written in mixed case (`Map<Object>`: people write HTML in
# lower or upper case), is text that only looks like a tag and is shown as written.
HTML_ELEMENTS = _names(
    """a abbr acronym address area article aside audio b base basefont bdi bdo bgsound big
    blink blockquote body br button canvas caption center cite code col colgroup data
    datalist dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure
    font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe
    image img input ins isindex kbd keygen label legend li link listing main map mark
    marquee math menu menuitem meta meter nav nobr noembed noframes noscript object ol
    optgroup option output p param picture plaintext pre progress q rb rp rt rtc ruby s
    samp script search section select slot small source span strike strong style sub
    summary sup svg table tbody td template textarea tfoot th thead time title tr track
    tt u ul var video wbr xmp"""
)
_TAG_START = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")


def _is_element(name: str) -> bool:
    return name.lower() in HTML_ELEMENTS and (name.islower() or name.isupper())


def escape_tag_like_text(raw_html: str) -> str:
    """Escape the `<` of every tag in raw HTML that is no real HTML element."""

    def escape(match: re.Match[str]) -> str:
        if _is_element(match.group(2)):
            return match.group(0)
        return "&lt;" + match.group(0)[1:]

    return _TAG_START.sub(escape, raw_html)


# ------------------------------------------------------------------ Korean emphasis
# CommonMark's flanking rule leaves `**패리티 정보(Parity bit)**를` unbolded: the closing
# `**` follows punctuation and precedes a letter. Next to Hangul or other CJK text, a
# `*` or `~` run counts the CJK character as punctuation, so it opens and closes there.


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x1100 <= code <= 0x11FF
        or 0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
    )


def _scan_delims_cjk(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """StateInline.scanDelims, with CJK characters beside the run taken as punctuation."""
    src, maximum = state.src, state.posMax
    marker = src[start]
    last = src[start - 1] if start > 0 else " "
    pos = start + 1
    while pos < maximum and src[pos] == marker:
        pos += 1
    following = src[pos] if pos < maximum else " "
    cjk = marker in "*~"
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last) or (cjk and _is_cjk(last))
    next_punct = (
        isMdAsciiPunct(ord(following)) or isPunctChar(following) or (cjk and _is_cjk(following))
    )
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    can_open = left and (can_split_word or not right or last_punct)
    can_close = right and (can_split_word or not left or next_punct)
    return Scanned(can_open, can_close, pos - start)


def _with_cjk_flanking(
    tokenize: Callable[[StateInline, bool], bool],
) -> Callable[[StateInline, bool], bool]:
    # Only emphasis and strikethrough call scanDelims: the CJK scan is set once per state.
    def rule(state: StateInline, silent: bool) -> bool:
        if "scanDelims" not in state.__dict__:
            state.scanDelims = partial(_scan_delims_cjk, state)  # type: ignore[method-assign]
        return tokenize(state, silent)

    return rule


# ------------------------------------------------------------------------ autolinks
# GitHub's extended autolinks (cmark-gfm's autolink extension, rule for rule): `www.`
# after the start of a text, a space or one of `*_~(`; `http(s)://` and `ftp://` (any
# case) after anything but a letter; e-mail addresses. Trailing punctuation is not part
# of the link, nor an unbalanced `)`. Korean particles follow a URL with no space
# ("https://example.com에서"): a URL ends where Hangul follows a letter, digit or ")".
_AUTOLINK = re.compile(
    r"(?<![A-Za-z])(?i:https?|ftp)://[^\s<]+"
    r"|(?:^|(?<=[\s*_~(]))www\.[^\s<]+"
    r"|(?<![A-Za-z0-9.+_-])[A-Za-z0-9.+_-]+@[A-Za-z0-9@._-]*",
)
_PARTICLE_AFTER_URL = re.compile(r"(?<=[A-Za-z0-9)])[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_TRAILING_ENTITY = re.compile(r"&[A-Za-z0-9]{1,32};$")
# An e-mail address: a local part, `@`, then letters, digits, `-`, `_`, and `.` before a
# letter or digit (sundown's rules, which cmark-gfm keeps).
_EMAIL = re.compile(r"[A-Za-z0-9.+_-]+@(?:[A-Za-z0-9_-]|\.(?=[A-Za-z0-9]))*")


def _trim_url(url: str) -> str:
    """Cut a bare URL where GitHub ends it. Linear: trailing entities are looked for in the
    last 34 characters only, the end moves as an index and the parentheses are counted once."""
    particle = _PARTICLE_AFTER_URL.search(url)
    if particle is not None:
        url = url[: particle.start()]
    end, opened, closed = len(url), url.count("("), url.count(")")
    while end:
        last = url[end - 1]
        entity = _TRAILING_ENTITY.search(url, max(0, end - 34), end) if last == ";" else None
        if entity is not None:
            removed = url[entity.start() : end]
            opened, closed = opened - removed.count("("), closed - removed.count(")")
            end = entity.start()
        elif last in "?!.,:*_~'\"" or (last == ")" and closed > opened):
            opened -= last == "("
            closed -= last == ")"
            end -= 1
        else:
            break
    return url[:end]


def _underscore_in_last_labels(domain: str) -> bool:
    """cmark-gfm refuses a domain with `_` in its last two labels (host names have none),
    unless it has more than ten labels."""
    labels = domain.split(".")
    return "_" in "".join(labels[-2:]) and len(labels) <= 11


def _is_host_char(char: str) -> bool:
    """Neither space nor punctuation (ASCII symbols count as punctuation, emoji do not)."""
    if char.isascii():
        return char.isalnum()
    return not char.isspace() and not unicodedata.category(char).startswith("P")


def _domain(rest: str) -> str:
    """The domain at the start of a URL's rest: host characters, `-`, `_` and `.`, the
    first a host character; empty when there is none."""
    end = 0
    for char in rest:
        if char not in "-_." and not _is_host_char(char):
            break
        end += 1
    return rest[:end] if end and _is_host_char(rest[0]) else ""


def _url_href(text: str) -> str | None:
    """The href of a bare `www.` or `scheme://` URL, or None when GitHub would not link it."""
    rest = text.split("://", 1)[1] if "://" in text else text
    domain = _domain(rest)
    if not domain or _underscore_in_last_labels(domain):
        return None
    return text if "://" in text else "http://" + text


def _email_href(text: str) -> tuple[str, str] | None:
    """The text and href of a bare e-mail address (sundown's rules), or None."""
    match = _EMAIL.match(text)
    if match is None:
        return None
    address = match.group(0)
    domain = address.split("@", 1)[1]
    followed_by_at = text[len(address) : len(address) + 1] == "@"
    if "." not in domain or followed_by_at or not (address[-1].isascii() and address[-1].isalpha()):
        return None
    return address, "mailto:" + address


def _link_text_and_href(text: str) -> tuple[str, str] | None:
    """The linked text at the start of an autolink match and its href, or None."""
    if "@" in text and "://" not in text and not text.startswith("www."):
        return _email_href(text)
    if _url_href(text) is None:  # the domain is judged before the end is trimmed
        return None
    text = _trim_url(text)
    href = _url_href(text) if text else None
    return (text, href) if href else None


def _link_tokens(state: StateCore, text: str, href: str) -> list[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrs = {"href": state.md.normalizeLink(href)}
    opening.markup, opening.info = "linkify", "auto"
    content = Token("text", "", 0)
    content.content = text
    closing = Token("link_close", "a", -1)
    closing.markup, closing.info = "linkify", "auto"
    return [opening, content, closing]


def _split_text(state: StateCore, content: str) -> list[Token] | None:
    out: list[Token] = []
    last = 0
    for match in _AUTOLINK.finditer(content):
        if match.start() < last:
            continue
        link = _link_text_and_href(match.group(0))
        if link is None:
            continue
        text, href = link
        if match.start() > last:
            out.append(Token("text", "", 0))
            out[-1].content = content[last : match.start()]
        out.extend(_link_tokens(state, text, href))
        last = match.start() + len(text)
    if not out:
        return None
    if last < len(content):
        out.append(Token("text", "", 0))
        out[-1].content = content[last:]
    return out


def _autolink(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        if "." not in block.content and "@" not in block.content and ":" not in block.content:
            continue
        children: list[Token] = []
        depth = 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            content = token.content
            has_link_text = "." in content or "@" in content or ":" in content
            split = None
            if token.type == "text" and depth == 0 and has_link_text:
                split = _split_text(state, token.content)
            children.extend(split if split else [token])
        block.children = children


# ------------------------------------------------------------------ strong in strong
# GitHub (cmark-gfm) shows a strong run directly inside another as one: `****foo****`
# and `__foo, __bar__, baz__` are bold once, where CommonMark nests <strong> twice.


def _collapse_nested_strong(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        if "**" not in block.content and "__" not in block.content:
            continue
        kept, parents, dropped = [], [""], []
        for token in block.children:
            if token.nesting == 1:
                drop = token.type == "strong_open" and parents[-1] == "strong_open"
                parents.append("strong_open" if drop else token.type)
                dropped.append(drop)
                if drop:
                    continue
            elif token.nesting == -1 and len(parents) > 1:
                parents.pop()
                if dropped.pop():
                    continue
            kept.append(token)
        block.children = kept


# ----------------------------------------------------------------------------- math
# `$…$` as on GitHub: the opening `$` is not followed by a space, the closing one is not
# preceded by a space and not followed by a digit or `{`, so prices (`$5 and $10`) and
# shell variables (`${A}/${B}`) stay text. The search is linear: one closing candidate.


def _inline_math(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if src[start] != "$" or (start > 0 and src[start - 1] in "\\$"):
        return False
    if start + 1 >= state.posMax or src[start + 1] in " \t\n$":
        return False
    end = src.find("$", start + 1, state.posMax)
    while end != -1 and src[end - 1] == "\\":
        end = src.find("$", end + 1, state.posMax)
    if end == -1 or src[end - 1] in " \t\n":
        return False
    after = src[end + 1] if end + 1 < state.posMax else " "
    if after.isdigit() or after in "{$" or "\n\n" in src[start:end]:
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content, token.markup = src[start + 1 : end], "$"
    state.pos = end + 1
    return True


def _math_html(content: str, display: bool) -> str:
    escaped = html_lib.escape(content, quote=False)
    if display:
        return f'<div class="arithmatex">\\[\n{escaped.strip(chr(10))}\n\\]</div>\n'
    return f'<span class="arithmatex">\\({escaped}\\)</span>'


# ------------------------------------------------------------------- code and fences
_FORMATTER = HtmlFormatter(cssclass="highlight")


@lru_cache(maxsize=256)
def _lexer(language: str) -> Lexer:
    """The lexer of a fence's language, made once (a lookup costs more than the highlighting
    of a short block); lexers keep no state between texts."""
    try:
        lexer: Lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        return TextLexer()
    return lexer


def _render_fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    if language.lower() == "math":
        return _math_html(token.content, display=True)
    return highlight(token.content, _lexer(language.lower()), _FORMATTER)


# --------------------------------------------------------------------------- headings
_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_SPACES = re.compile(r"[-\s]+")


def slugify(text: str) -> str:
    """The anchor of a heading: Unicode letters kept, spaces to `-` (as the TOC did)."""
    value = _SLUG_DROP.sub("", unicodedata.normalize("NFKC", text)).strip().lower()
    return _SLUG_SPACES.sub("-", value)


def _is_tag_like(raw_html: str) -> bool:
    return escape_tag_like_text(raw_html) != raw_html


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        tag_like = child.type == "html_inline" and _is_tag_like(child.content)
        if child.type in ("text", "code_inline", "math_inline") or tag_like:
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _anchor_headings(state: StateCore) -> None:
    """Give each heading a unique id (`이미지`, `이미지_1`, …) in linear time."""
    used: set[str] = set()
    counters: dict[str, int] = {}
    headings: list[Heading] = []
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = _inline_text(tokens[index + 1])
        base = slugify(text)
        slug = base
        while slug in used or not slug:
            counters[base] = counters.get(base, 0) + 1
            slug = f"{base}_{counters[base]}"
        used.add(slug)
        token.attrSet("id", slug)
        headings.append(Heading(int(token.tag[1]), text, slug))
    state.env["headings"] = headings


def _toc_html(headings: list[Heading]) -> str:
    """The nested list of links to the headings."""
    if not headings:
        return ""
    out: list[str] = []
    stack: list[int] = []
    for heading in headings:
        link = (
            f'<li><a href="#{html_lib.escape(heading.id)}">'
            f"{html_lib.escape(heading.text, quote=False)}</a>"
        )
        if stack and heading.level > stack[-1]:
            out.append("<ul>")
            stack.append(heading.level)
        else:
            while len(stack) > 1 and heading.level < stack[-1]:
                out.append("</li></ul>")
                stack.pop()
            if stack:
                out.append("</li>")
                stack[-1] = min(stack[-1], heading.level) if len(stack) == 1 else stack[-1]
            else:
                out.append("<ul>")
                stack.append(heading.level)
        out.append(link)
    out.append("</li></ul>" * len(stack))
    return "".join(out)


# ------------------------------------------------------------- cmark-gfm's lazy lines
# GitHub (cmark-gfm) ends a list item's paragraph at an unindented line holding one
# complete HTML tag (a lone `<img …>` under a list item): the tag starts an HTML block
# after the list. markdown-it would continue the paragraph lazily.
_LONE_TAG = HTML_SEQUENCES[6][0]


def _lone_tag_ends_lazy_paragraph(
    state: StateBlock, start_line: int, end_line: int, silent: bool
) -> bool:
    if not silent or state.blkIndent == 0 or state.sCount[start_line] >= state.blkIndent:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    return bool(_LONE_TAG.search(state.src[begin : state.eMarks[start_line]]))


# ------------------------------------------------------------------ link labels
# markdown-it's parseLinkLabel walks from a `[` to its `]` token by token, and every `[`
# on the way first looks for its own label: `"[" * N + "]"` walks about 20 steps (its
# nesting limit) from each `[`. This version remembers each label's walk (per state and
# end of range) and jumps over an inner label it has already walked: the same result,
# one walk per `[`. A walk is (end: the `]`, -1 when none before the range ends, or None
# when it stopped early at a nested link; whether a nested link lies before the end).
_Walk = tuple[int | None, bool]
_InlineRule = Callable[[StateInline, bool], bool]


def _walks(state: StateInline) -> dict[tuple[int, int], _Walk]:
    walks: dict[tuple[int, int], _Walk] | None = state.__dict__.get("_label_walks")
    if walks is None:
        walks = state._label_walks = {}  # type: ignore[attr-defined]
    return walks


def _walk_label(state: StateInline, start: int, stop_at_link: bool) -> _Walk:
    """Walk from the `[` at start to its `]` (markdown-it's parseLinkLabel loop)."""
    walks, src, maximum, skip = _walks(state), state.src, state.posMax, state.md.inline.skipToken
    state.pos, level, nested_link = start + 1, 1, False
    while state.pos < maximum:
        pos = state.pos
        marker = src[pos]
        if marker == "]":
            level -= 1
            if level == 0:
                return pos, nested_link
        skip(state)
        if marker != "[":
            continue
        inner = walks.get((maximum, pos)) if state.pos == pos + 1 else (None, True)
        if state.pos == pos + 1:
            level += 1
        if inner is None:
            continue
        nested_link = nested_link or inner[1]
        if nested_link and stop_at_link:
            return None, True
        if inner[0] is not None:
            if inner[0] < 0:
                return -1, nested_link
            state.pos = inner[0]
    return -1, nested_link


def _parse_link_label(state: StateInline, start: int, disableNested: bool = False) -> int:
    """markdown_it.helpers.parseLinkLabel, equal in result, each label walked once."""
    walks, key, old_pos = _walks(state), (state.posMax, start), state.pos
    walk = walks.get(key)
    if walk is None or (walk[0] is None and not disableNested):
        walk = walks[key] = _walk_label(state, start, disableNested)
        state.pos = old_pos
    end, nested_link = walk
    return -1 if end is None or end < 0 or (nested_link and disableNested) else end


# ------------------------------------------------------------------ deep nesting
# markdown-it stops at 20 nested blocks (a quote is one, a list item two) and drops every
# line below. We nest up to 50 and show what lies deeper as written, in one paragraph:
# 10,000 `>` or `- ` still show their words, with the markers left as text.
_MAX_NESTING = 50


def _too_deep_as_text(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    # A list opens two levels at once: from _MAX_NESTING - 2 on, before markdown-it drops.
    if state.level < _MAX_NESTING - 2 or silent:
        return False
    content = state.getLines(start_line, end_line, state.blkIndent, False).strip()
    state.line = end_line
    state.push("paragraph_open", "p", 1).map = [start_line, end_line]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = content, [start_line, end_line], []
    state.push("paragraph_close", "p", -1)
    return True


# ------------------------------------------------------------------ bracket guard
# A `[` after the text's last `]` opens no link (after its last `](` when the note has no
# reference definitions); nor does one whose label walk found no `]` (or, for a link, found
# a link inside): such a `[` is text without another call.


def _needs_closing_bracket(tokenize: _InlineRule, trigger: str, no_nested: bool) -> _InlineRule:
    """The link (`[`) or image (`![`) rule, called only when its label can end."""
    label_offset = len(trigger) - 1

    def rule(state: StateInline, silent: bool) -> bool:
        last = state.__dict__.get("_last_bracket")
        if last is None:
            # With no reference definitions, only `](` ends a link's label.
            closing = "]" if state.env.get("references") else "]("
            last = state._last_bracket = state.src.rfind(closing)  # type: ignore[attr-defined]
        if state.pos > last or not state.src.startswith(trigger, state.pos):
            return False
        # The rule's first step, the label walk, first: when it fails, the rule would too.
        if state.md.helpers.parseLinkLabel(state, state.pos + label_offset, no_nested) < 0:
            return False
        return tokenize(state, silent)

    return rule


def _footnote_ref_rule(md: MarkdownIt) -> _InlineRule:
    """The footnote plugin's `[^ref]` rule, called only at `[^` (it reads the env first)."""
    rules = md.inline.ruler.__rules__
    footnote_ref = next(rule.fn for rule in rules if rule.name == "footnote_ref")

    def rule(state: StateInline, silent: bool) -> bool:
        return state.src.startswith("[^", state.pos) and footnote_ref(state, silent)

    return rule


# ------------------------------------------------------------ link destinations
# markdown-it's parseLinkDestination reads a destination char by char; `[a](` × 20,000
# rescans up to 32 nested `(` from every `(`. The same rules, jumping with a regex to the
# next character that matters (space, control, `\\`, parentheses).
_DESTINATION_STOP = re.compile(r"[\x00-\x20\x7f\\()]")


def _parse_link_destination(string: str, pos: int, maximum: int) -> _DestinationResult:
    """markdown_it.helpers.parseLinkDestination, equal in result, with fewer steps."""
    if pos < maximum and string[pos] == "<":
        return md_helpers.parseLinkDestination(string, pos, maximum)
    start, level = pos, 0
    while pos < maximum:
        stop = _DESTINATION_STOP.search(string, pos, maximum)
        if stop is None:
            pos = maximum
            break
        pos, char = stop.start(), stop.group(0)
        if char == "\\" and pos + 1 < maximum:
            if string[pos + 1] == " ":
                break
            pos += 2
            continue
        if char == "(":
            level += 1
            if level > 32:
                return _DestinationResult()
        elif char == ")":
            if level == 0:
                break
            level -= 1
        elif char != "\\":
            break
        pos += 1
    result = _DestinationResult()
    if start == pos or level != 0:
        return result
    result.str, result.pos, result.ok = unescapeAll(string[start:pos]), pos, True
    return result


_HELPERS = SimpleNamespace(
    parseLinkLabel=_parse_link_label,
    parseLinkDestination=_parse_link_destination,
    parseLinkTitle=md_helpers.parseLinkTitle,
)
_PLAIN_HELPERS = SimpleNamespace(**{**vars(_HELPERS), "parseLinkLabel": md_helpers.parseLinkLabel})
# The footnote plugin's `^[inline note]` calls the helper it imported, not md.helpers.
footnote_index.parseLinkLabel = _parse_link_label  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- renderer rules


def _render_html(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return escape_tag_like_text(tokens[idx].content)


def _render_cell(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    style = token.attrs.pop("style", None) if token.attrs else None
    if isinstance(style, str) and style.startswith("text-align:"):
        token.attrs["align"] = style.removeprefix("text-align:")
    return self.renderToken(tokens, idx, options, env)


def _render_footnote_ref(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    meta = tokens[idx].meta
    number = str(meta["id"] + 1)
    refid = number + (f":{meta['subId']}" if meta.get("subId", -1) > 0 else "")
    return (
        f'<sup class="footnote-ref" id="fnref{refid}">'
        f'<a class="footnote-ref" href="#fn{number}">{number}</a></sup>'
    )


_ENCODED_NON_ASCII = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def _readable_link(normalize: Callable[[str], str]) -> Callable[[str], str]:
    """markdown-it's link normalizing, with non-ASCII text left readable (`#제목`)."""

    def decode(match: re.Match[str]) -> str:
        try:
            return unquote(match.group(0), errors="strict")
        except UnicodeDecodeError:
            return match.group(0)

    return lambda url: _ENCODED_NON_ASCII.sub(decode, normalize(url))


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    token.attrSet("alt", self.renderInlineAsText(token.children or [], options, env))
    alt = token.attrs.pop("alt")
    token.attrs = {"alt": alt, **token.attrs}
    return self.renderToken(tokens, idx, options, env)


# GitHub's task lists (`- [ ] a`, `- [x] b`) in the classes and checkbox markup the page
# styles. mdit-py-plugins' tasklists looks for each item's list backwards (quadratic in a
# list of 12,000 tasks); this keeps the open lists on a stack.
_TASK_MARK = re.compile(r"\[[ xX]\][ \t\n\v\f\r]+")
_LIST_OPEN = ("bullet_list_open", "ordered_list_open")
_LIST_CLOSE = ("bullet_list_close", "ordered_list_close")


def _is_task(tokens: list[Token], index: int) -> bool:
    return (
        index >= 2
        and tokens[index - 1].type == "paragraph_open"
        and tokens[index - 2].type == "list_item_open"
        and _TASK_MARK.match(tokens[index].content) is not None
    )


def _task_lists(state: StateCore) -> None:
    """Turn list items that start with `[ ]` or `[x]` into task list items."""
    tokens, open_lists = state.tokens, []
    for index, token in enumerate(tokens):
        if token.type in _LIST_OPEN:
            open_lists.append(token)
        elif token.type in _LIST_CLOSE:
            open_lists.pop()
        elif token.type == "inline" and open_lists and _is_task(tokens, index):
            checkbox = Token("html_inline", "", 0)
            checked = " checked" if token.content[1] in "xX" else ""
            checkbox.content = f'<input type="checkbox" disabled{checked}>'
            children = token.children or []
            if children:
                children[0].content = children[0].content[3:]
            token.children = [checkbox, *children]
            token.content = token.content[3:]
            tokens[index - 2].attrSet("class", "task-list-item")
            open_lists[-1].attrSet("class", "task-list")


# -------------------------------------------------------------- inline rule dispatch
# markdown-it tries every inline rule (14 here) at every position that ends a text run,
# and again when it skips a token inside a link label; each rule but `text` fires only
# at its own character. One rule in their place calls just the rules of the character
# at hand, in the same order: the same tokens, a fraction of the calls.
_RULE_CHARACTERS = {
    "newline": "\n",
    "math_inline": "$",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "*_",
    "link": "[",
    "image": "!",
    "footnote_inline": "^",
    "footnote_ref": "[",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
}


def _inline_rule_table(
    md: MarkdownIt,
) -> tuple[dict[str, tuple[_InlineRule, ...]], tuple[_InlineRule, ...]]:
    """The inline rules to try at each trigger character, and at any other character."""
    rules = [(rule.name, rule.fn) for rule in md.inline.ruler.__rules__ if rule.enabled]

    def applies(name: str, char: str | None) -> bool:
        if name == "text":  # it stops at (and so never starts at) a terminator character
            return char is None or md.inline.terminator_re.match(char) is None
        return name not in _RULE_CHARACTERS or (char is not None and char in _RULE_CHARACTERS[name])

    def rules_for(char: str | None) -> tuple[_InlineRule, ...]:
        return tuple(fn for name, fn in rules if applies(name, char))

    return {char: rules_for(char) for char in "".join(_RULE_CHARACTERS.values())}, rules_for(None)


def _dispatch_inline_rules(md: MarkdownIt) -> None:
    """markdown-it's inline tokenize and skipToken loops, line for line, trying only the
    rules of the character at hand (and with no rule list looked up per position)."""
    by_char, others = _inline_rule_table(md)
    max_nesting = md.options["maxNesting"]

    def tokenize(state: StateInline) -> None:
        src, end = state.src, state.posMax
        while state.pos < end:
            pos, ok = state.pos, False
            if state.level < max_nesting:
                for rule in by_char.get(src[pos], others):
                    ok = rule(state, False)
                    if ok:
                        break
            if ok:
                if state.pos <= pos:
                    raise RuntimeError("inline rule didn't increment state.pos")
                if state.pos >= end:
                    break
                continue
            state.append_pending(src[pos])
            state.pos += 1
        if state.pending:
            state.pushPending()

    def skip_token(state: StateInline) -> None:
        pos, cache = state.pos, state.cache
        if pos in cache:
            state.pos = cache[pos]
            return
        ok = False
        if state.level < max_nesting:
            state.level += 1  # as markdown-it does: it bounds the rules' recursion
            for rule in by_char.get(state.src[pos], others):
                ok = rule(state, True)
                if ok:
                    break
            state.level -= 1
            if ok and state.pos <= pos:
                raise RuntimeError("inline rule didn't increment state.pos")
        else:
            state.pos = state.posMax  # too deep: markdown-it skips to the end
        if not ok:
            state.pos += 1
        cache[pos] = state.pos

    md.inline.tokenize = tokenize  # type: ignore[method-assign]
    md.inline.skipToken = skip_token  # type: ignore[method-assign]


# The same for block rules, which markdown-it tries at the start of every line (and, to
# see whether a paragraph ends, at each of its lines, twice): each rule named here fires
# only at its characters, read where markdown-it reads them (after the indentation).
_BLOCK_RULE_CHARACTERS = {
    "math_block": "$",
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "footnote_def": "[",
    "reference": "[",
    "gfm_lone_tag": "<",
    "html_block": "<",
    "heading": "#",
}
_BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _block_dispatcher(rules: list[tuple[str, _BlockRule]]) -> _BlockRule:
    def rules_for(char: str | None) -> tuple[_BlockRule, ...]:
        return tuple(
            fn
            for name, fn in rules
            if name not in _BLOCK_RULE_CHARACTERS
            or (char is not None and char in _BLOCK_RULE_CHARACTERS[name])
        )

    by_char = {char: rules_for(char) for char in "".join(_BLOCK_RULE_CHARACTERS.values())}
    others = rules_for(None)

    def dispatch(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[start_line] + state.tShift[start_line]
        line_rules = (
            by_char.get(state.src[pos], others) if pos < state.eMarks[start_line] else others
        )
        for rule in line_rules:  # noqa: SIM110 (a loop: cheaper than any() over a generator)
            if rule(state, start_line, end_line, silent):
                return True
        return False

    return dispatch


def _dispatch_block_rules(md: MarkdownIt) -> None:
    """Give every block rule chain (main, and the rules that may end a paragraph, a
    quote, ...) one rule that calls only those of the line's first character."""
    ruler = md.block.ruler
    ruler.getRules("")  # compiles the chains
    names = {id(rule.fn): rule.name for rule in ruler.__rules__}
    chains = ruler.__cache__ or {}
    for chain, fns in chains.items():
        chains[chain] = [_block_dispatcher([(names[id(fn)], fn) for fn in fns])]


def _new_markdown(*, shortcuts: bool = True) -> MarkdownIt:
    """Our markdown-it parser. Without the shortcuts (the label walk memo and the inline rule
    dispatch), it runs markdown-it's own loops: a test checks both give the same HTML."""
    md = MarkdownIt("commonmark", {"html": True, "highlight": None, "maxNesting": _MAX_NESTING})
    md.block.ruler.before("table", "studyhall_too_deep", _too_deep_as_text)
    md.enable(["table", "strikethrough"])
    md.block.ruler.before(
        "html_block",
        "gfm_lone_tag",
        _lone_tag_ends_lazy_paragraph,
        {"alt": ["paragraph"]},
    )
    md.inline.ruler.at("link", _needs_closing_bracket(link_rule, "[", True))
    md.inline.ruler.at("image", _needs_closing_bracket(image_rule, "![", False))
    md.inline.ruler.at("emphasis", _with_cjk_flanking(emphasis.tokenize))
    md.inline.ruler.at("strikethrough", _with_cjk_flanking(strikethrough.tokenize))
    dollarmath_plugin(md, allow_space=False, allow_digits=False, allow_labels=False)
    md.inline.ruler.at("math_inline", _inline_math)
    footnote_plugin(md)
    md.inline.ruler.at("footnote_ref", _footnote_ref_rule(md))
    md.core.ruler.after("inline", "studyhall_task_list", _task_lists)
    md.core.ruler.push("studyhall_strong", _collapse_nested_strong)
    md.core.ruler.push("studyhall_autolink", _autolink)
    md.core.ruler.push("studyhall_headings", _anchor_headings)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("html_inline", _render_html)
    md.add_render_rule("html_block", _render_html)
    md.add_render_rule("th_open", _render_cell)
    md.add_render_rule("td_open", _render_cell)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    # GitHub draws no rule above the notes (the page's CSS gives .footnote a top border).
    md.add_render_rule(
        "footnote_block_open", lambda s, t, i, o, e: '<div class="footnote">\n<ol>\n'
    )
    md.add_render_rule("footnote_block_close", lambda s, t, i, o, e: "</ol>\n</div>\n")
    md.add_render_rule("image", _render_image)
    md.helpers = _HELPERS if shortcuts else _PLAIN_HELPERS  # type: ignore[assignment]
    # An instance attribute in place of the method: mypy sees a method reassigned.
    md.normalizeLink = _readable_link(md.normalizeLink)  # type: ignore[method-assign,assignment]
    md.add_render_rule("s_open", lambda s, t, i, o, e: "<del>")
    md.add_render_rule("s_close", lambda s, t, i, o, e: "</del>")
    md.add_render_rule("math_inline", lambda s, t, i, o, e: _math_html(t[i].content, False))
    md.add_render_rule("math_block", lambda s, t, i, o, e: _math_html(t[i].content, True))
    if shortcuts:
        _dispatch_inline_rules(md)
        _dispatch_block_rules(md)
    return md


class _SilentLogger:
    """Stands in for the block rules' module loggers: their `LOGGER.debug(...)` on every
    line tried cost several per cent of the parse time; nobody reads markdown-it's debug log."""

    def debug(self, *args: object, **kwargs: object) -> None:
        """Drop the message."""


_LOGGING_RULES = "blockquote code fence heading hr html_block lheading list paragraph reference"
for _name in _LOGGING_RULES.split():
    # Each of these modules has a module-level LOGGER, which the module type does not show.
    import_module(f"markdown_it.rules_block.{_name}").LOGGER = _SilentLogger()  # type: ignore[attr-defined]

_thread_state = threading.local()


def _markdown() -> MarkdownIt:
    """This thread's parser (built once per thread; the env carries per-render state)."""
    md = getattr(_thread_state, "markdown", None)
    if md is None:
        md = _thread_state.markdown = _new_markdown()
    return md


# ---------------------------------------------------------------------- sanitizing
_ALLOWED_TAGS = _names(
    """a abbr b bdi bdo blockquote br caption center cite code col colgroup dd del details
    dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img input ins kbd li mark ol
    p pre q rp rt ruby s samp small span strike strong sub summary sup table tbody td
    tfoot th thead tr tt u ul var wbr"""
)
_ALIGNABLE = ("p", "div", "td", "th", "img", "h1", "h2", "h3", "h4", "h5", "h6", "center")
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value", "id"},
    "sup": {"id"},
    "input": {"checked", "disabled"},
    "details": {"open"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
for _tag in _ALIGNABLE:
    _ALLOWED_ATTRIBUTES.setdefault(_tag, set()).add("align")
_ALLOWED_CLASSES = {
    "span": set(STANDARD_TYPES.values()) - {""} | {"arithmatex"},
    "div": {"highlight", "arithmatex", "footnote"},
    "ul": {"task-list"},
    "li": {"task-list-item"},
    "a": {"footnote-ref", "footnote-backref", "magiclink"},
}
# Removed together with their content, not just their tags.
_DROPPED_WITH_CONTENT = _names(
    """script style template textarea title noscript iframe object embed xmp noembed
    noframes select option plaintext"""
)


def _is_external(url: str) -> bool:
    return url.lower().startswith(("http://", "https://", "//"))


def _local_image_path(src: str) -> str | None:
    """The relative path an image source names, or None for URLs and absolute paths."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("/", "#", "\\")) or not parts.path:
        return None
    return unquote(parts.path)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Map the relative image paths of the text being rendered to their served URLs
    (images, and links straight to an image file: `[![a](./a.png)](./a.png)`)."""
    if (tag, attribute) not in (("img", "src"), ("a", "href")):
        return value
    images: list[str] | None = getattr(_thread_state, "images", None)
    if images is None:
        return value
    path = _local_image_path(value)
    if path is None or (tag == "a" and not path.lower().endswith(IMAGE_SUFFIXES)):
        return value
    if path not in images:
        images.append(path)
    image_url = _thread_state.image_url
    served = image_url(path) if image_url is not None else None
    return served if served is not None else value


_CLEANER = nh3.Cleaner(
    tags=set(_ALLOWED_TAGS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel=None,
    tag_attribute_values={"input": {"type": {"checkbox"}}},
    # Any <input> that survives is a task-list box: shown, never editable. A <pre> may
    # scroll sideways, so it takes keyboard focus (WCAG 2.1.1, axe scrollable-region).
    set_tag_attribute_values={
        "input": {"type": "checkbox", "disabled": "disabled"},
        "pre": {"tabindex": "0"},
    },
    url_schemes={"http", "https", "mailto"},
    allowed_classes={tag: set(names) for tag, names in _ALLOWED_CLASSES.items()},
)
# nh3's output always quotes attribute values with " and escapes " inside them.
_START_TAG = re.compile(r'<([a-z][a-z0-9]*)((?:\s+[^\s=>"/]+(?:="[^"]*")?)*)\s*>')
_HREF = re.compile(r'\shref="([^"]*)"')
_EMPTY_CLASS = ' class=""'  # what nh3 leaves when it removes every class of an element
# A raw <img> written without alt still tells a screen reader that an image is there.
_MISSING_ALT = ' alt="이미지"'


def _finish_tags(html: str) -> str:
    """Add rel="nofollow noopener" to external links, alt to images without one, and drop
    emptied class attributes."""

    def finish(match: re.Match[str]) -> str:
        name, attributes = match.group(1), match.group(2)
        if _EMPTY_CLASS not in attributes and name not in ("a", "img"):
            return match.group(0)
        attributes = attributes.replace(_EMPTY_CLASS, "")
        if name == "img" and " alt=" not in attributes:
            attributes += _MISSING_ALT
        href = _HREF.search(attributes) if name == "a" else None
        if href and _is_external(html_lib.unescape(href.group(1))):
            attributes += ' rel="nofollow noopener"'
        return f"<{name}{attributes}>"

    return _START_TAG.sub(finish, html)


def sanitize_html(html: str) -> str:
    """Remove everything unsafe from HTML (scripts, handlers, javascript: URLs, styles)."""
    return _finish_tags(_CLEANER.clean(html))


# ----------------------------------------------------------------------- rendering
_UNSAFE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def split_front_matter(text: str) -> tuple[list[str], str]:
    """The YAML front matter lines (without the `---` fences) and the rest, line by line."""
    if not text.startswith("---"):
        return [], text
    lines = text.split("\n")
    if lines[0].rstrip(" \t") != "---":
        return [], text
    for index in range(1, len(lines)):
        if lines[index].rstrip(" \t") in ("---", "..."):
            inside = lines[1:index]
            if all(_is_front_matter_line(line) for line in inside):
                return inside, "\n".join(lines[index + 1 :])
            return [], text
    return [], text


_KEY = re.compile(r"[A-Za-z_][\w-]*[ \t]*:")


def _is_front_matter_line(line: str) -> bool:
    return not line.strip() or line[0] in " \t" or line.startswith("- ") or bool(_KEY.match(line))


def _prepare(text: str) -> str:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE_CONTROL.sub("", split_front_matter(text)[1])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while markdown-it builds its tokens: they hold no
    cycles that need it, and a long note's 100,000 tokens set off full collections that
    took a third of the render time. Left to the caller if it had paused it already."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_and_render(text: str, env: EnvType) -> str:
    try:
        with _collector_paused():
            html: str = _markdown().render(_prepare(text), env)
            return html
    except RecursionError:  # absurdly deep nesting: show the text as written
        env.clear()
        return f"<pre>{html_lib.escape(text)}</pre>"


def render_markdown(text: str, *, image_url: Callable[[str], str | None] | None = None) -> Rendered:
    """Render Markdown (raw HTML allowed) and sanitize it. `image_url` maps a relative image
    path to the URL it is served at (None leaves the path as written)."""
    env: EnvType = {}
    raw_html = _parse_and_render(text, env)
    headings: list[Heading] = env.get("headings", [])
    images: list[str] = []
    _thread_state.images, _thread_state.image_url = images, image_url
    try:
        safe_html = sanitize_html(raw_html).strip("\n")
    finally:
        _thread_state.images = _thread_state.image_url = None
    return Rendered(
        html=safe_html, toc_html=_toc_html(headings), headings=headings, local_images=images
    )


def body_html(text: str) -> str:
    """Safe HTML of a question's or an answer's Markdown body; empty for a blank one."""
    return render_markdown(text).html if text.strip() else ""
