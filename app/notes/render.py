"""Markdown to safe HTML. Pure: no Flask, no database.

The pipeline: Python-Markdown (with list indentation made CommonMark-like, raw HTML
allowed, tag-like text that is no HTML escaped) turns the text into HTML, then nh3
removes everything unsafe. One Markdown instance per thread and one nh3 cleaner are
built once and reused, because thousands of notes are rendered at import.
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from pygments.token import STANDARD_TYPES
from pymdownx import arithmatex


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


# --------------------------------------------------------------------------- lists
# Python-Markdown nests a list only when it is indented by four spaces and needs a
# blank line before a list that follows a paragraph. Notes are written for GitHub
# (CommonMark): two-space nesting, lists right under a line of text. This
# preprocessor rewrites list indentation into Python-Markdown's four-space form.

_LIST_ITEM = re.compile(r"^( *)([-+*]|\d{1,9}[.)])( +|$)")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_FENCE = re.compile(r"^( *)(`{3,}|~{3,})")
# Lines that end a paragraph even without a blank line before them.
_INTERRUPTS_PARAGRAPH = re.compile(r"^ *(?:#{1,6}(?:\s|$)|>|`{3,}|~{3,}|\$\$)")


@dataclass
class _OpenItem:
    """A list item still open while the lines are walked."""

    child_column: int  # a line indented this far (or more) belongs inside the item
    ordered: bool


def _child_column(indent: int, marker: str, spaces: str) -> int:
    """Where the content of a list item starts, leniently (two spaces nest, as people type)."""
    gap = len(spaces) if 1 <= len(spaces) <= 4 else 1
    return min(indent + len(marker) + gap, indent + 2)


def normalize_list_indentation(lines: list[str]) -> list[str]:
    """Rewrite CommonMark-style list nesting (2 or 4 spaces) into 4 spaces per level."""
    out: list[str] = []
    open_items: list[_OpenItem] = []
    fence: tuple[str, int, int, int] | None = None  # marker char, length, old indent, new
    previous_blank = True
    # A block that started after a blank line inside an item: Python-Markdown lets the
    # next item's line run on into it unless a blank line separates them.
    in_loose_block = False
    # Whether the last item at each depth was numbered: a change of kind starts a new list.
    ordered_at_depth: dict[int, bool] = {}
    block_depth = 0  # the depth of the first line since the last blank line
    for line in lines:
        if fence is not None:
            char, length, old_indent, new_indent = fence
            stripped = line.lstrip(" ")
            removable = min(old_indent, len(line) - len(stripped))
            moved = new_indent != old_indent and line.strip()
            out.append(" " * new_indent + line[removable:] if moved else line)
            if stripped.startswith(char * length) and not stripped.strip(char).strip():
                fence = None
            continue
        if not line.strip():
            out.append(line)
            previous_blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        item = _LIST_ITEM.match(line)
        if item and not _THEMATIC_BREAK.match(line):
            if not line[item.end() :].strip():
                # An empty item ("- " left from the template) would otherwise turn the
                # item above it into a setext heading; GitHub shows nothing there.
                continue
            starts_list = not open_items
            while open_items and indent < open_items[-1].child_column:
                open_items.pop()
            marker, spaces = item.group(2), item.group(3)
            depth, ordered = len(open_items), marker[0].isdigit()
            if starts_list:
                ordered_at_depth.clear()
            new_kind = ordered_at_depth.get(depth, ordered) != ordered
            if previous_blank:
                block_depth = depth
            elif starts_list or in_loose_block or new_kind or depth < block_depth:
                # Python-Markdown reads blank-separated blocks: start a new one where
                # GitHub would start a new list or return to an outer one.
                out.append("")
                block_depth = depth
            out.append("    " * depth + marker + " " + line[item.end() :])
            open_items.append(_OpenItem(_child_column(indent, marker, spaces), ordered))
            ordered_at_depth = {d: o for d, o in ordered_at_depth.items() if d < depth}
            ordered_at_depth[depth] = ordered
            previous_blank = in_loose_block = False
            continue
        new_line = line
        if previous_blank:
            in_loose_block = bool(open_items)
        if open_items:
            if previous_blank or _INTERRUPTS_PARAGRAPH.match(line):
                while open_items and indent < open_items[-1].child_column:
                    open_items.pop()
            if previous_blank:
                block_depth = len(open_items)
            if open_items:
                extra = max(0, indent - open_items[-1].child_column)
                new_line = " " * (4 * len(open_items) + extra) + line.lstrip(" ")
        opening = _FENCE.match(line)
        if opening:
            new_indent = len(new_line) - len(new_line.lstrip(" "))
            fence = (opening.group(2)[0], len(opening.group(2)), indent, new_indent)
        out.append(new_line)
        previous_blank = False
    return out


class _ListIndentPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return normalize_list_indentation(lines)


# GitHub renders Markdown inside <details> (after a blank line); md_in_html does it for
# elements marked markdown="1".
_DETAILS_OPENING = re.compile(r"^(\s*<details\b)(?![^>]*\bmarkdown=)", re.IGNORECASE)


class _DetailsMarkdownPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return [_DETAILS_OPENING.sub(r'\1 markdown="1"', line) for line in lines]


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


def _escape_tag_like_text(raw_html: str) -> str:
    """Escape the `<` of every tag in raw HTML that is no real HTML element."""

    def escape(match: re.Match[str]) -> str:
        name = match.group(2)
        if name.lower() in HTML_ELEMENTS and (name.islower() or name.isupper()):
            return match.group(0)
        return "&lt;" + match.group(0)[1:]

    return _TAG_START.sub(escape, raw_html)


class _TagLikeTextPostprocessor(Postprocessor):
    """Runs over the raw HTML Markdown set aside, before it is put back into the page."""

    # The table of contents runs the postprocessors once per heading: escape each block once.
    escaped_count = 0

    def run(self, text: str) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        for index in range(self.escaped_count, len(blocks)):
            block = blocks[index]
            if isinstance(block, str) and "<" in block:
                blocks[index] = _escape_tag_like_text(block)
        self.escaped_count = len(blocks)
        return text


# -------------------------------------------------------------------- inline math
# `$…$` is math only when the closing `$` is not followed by a digit or `{`, so that
# prices (`$5 and $10`) and shell variables (`${A}/${B}`) stay text.
_INLINE_DOLLAR_MATH = (
    r"(?:(?<!\\)((?:\\{2})+)(?=\$)"
    r"|(?<![\\$])(\$)(?![\s$])((?:\\.|[^\\$\x02\x03\n])+?)(?<![\s\\])\$(?![\d{$]))"
)


# Korean particles follow a URL with no space ("https://example.com에서", "…/docs를"): a
# bare URL ends where Hangul follows a letter, digit or ")". Hangul after "/", "=" and the
# like is a path or query ("https://ko.wikipedia.org/wiki/도커") and stays in the link.
_PARTICLE_AFTER_URL = re.compile(r"(?<=[A-Za-z0-9)])[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def _stop_at_particles(processor: InlineProcessor) -> InlineProcessor:
    """Make magiclink's bare URLs end before a Korean particle."""
    handle_match = processor.handleMatch

    def handle(match: re.Match[str], data: str):
        particle = _PARTICLE_AFTER_URL.search(data, match.end(0))
        if particle is not None:
            data = data[: particle.start()]  # magiclink reads the URL's extent from data
        return handle_match(match, data)

    processor.handleMatch = handle  # type: ignore[method-assign]
    return processor


class _StudyhallExtension(markdown.Extension):
    """The pieces of the renderer that no published extension provides."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.registerExtension(self)
        self.tag_like = _TagLikeTextPostprocessor(md)
        md.preprocessors.register(_ListIndentPreprocessor(md), "studyhall-lists", 29)
        md.preprocessors.register(_DetailsMarkdownPreprocessor(md), "studyhall-details", 28)
        md.postprocessors.register(self.tag_like, "studyhall-tag-like", 35)
        md.inlinePatterns.register(
            arithmatex.InlineArithmatexPattern(_INLINE_DOLLAR_MATH, {"generic": True}),
            "studyhall-dollar-math",
            189.8,
        )

    def reset(self) -> None:
        self.tag_like.escaped_count = 0


def _new_markdown() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            "footnotes",
            "md_in_html",
            "toc",
            "pymdownx.superfences",
            "pymdownx.highlight",
            "pymdownx.tasklist",
            "pymdownx.magiclink",
            "pymdownx.tilde",
            "pymdownx.arithmatex",
            _StudyhallExtension(),
        ],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "footnotes": {"BACKLINK_TITLE": "본문으로 돌아가기 (%d)"},
            "toc": {"slugify": slugify_unicode, "toc_depth": "1-6"},
            "pymdownx.highlight": {
                "use_pygments": True,
                "guess_lang": False,
                "css_class": "highlight",
            },
            "pymdownx.superfences": {
                "custom_fences": [
                    {
                        "name": "math",
                        "class": "arithmatex",
                        "format": arithmatex.arithmatex_fenced_format(which="generic"),
                    }
                ]
            },
            "pymdownx.tasklist": {"custom_checkbox": False, "clickable_checkbox": False},
            "pymdownx.magiclink": {"hide_protocol": False},
            "pymdownx.tilde": {"subscript": False},
            # `$…$` is handled by the stricter pattern above; `\(…\)` and blocks here.
            "pymdownx.arithmatex": {
                "generic": True,
                "inline_syntax": ["round"],
                "block_syntax": ["dollar", "square", "begin"],
            },
        },
        output_format="html",
    )
    _stop_at_particles(md.inlinePatterns["magic-link"])
    return md


_thread_state = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's Markdown instance (an instance is not safe to share between threads)."""
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


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Map the relative image paths of the text being rendered to their served URLs
    (images, and links straight to an image file: `[![a](./a.png)](./a.png)`)."""
    if (tag, attribute) not in (("img", "src"), ("a", "href")):
        return value
    images: list[str] | None = getattr(_thread_state, "images", None)
    if images is None:
        return value
    path = _local_image_path(value)
    if path is None or (tag == "a" and not path.lower().endswith(_IMAGE_SUFFIXES)):
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
    # Any <input> that survives is a task-list box: shown, never editable.
    set_tag_attribute_values={"input": {"type": "checkbox", "disabled": "disabled"}},
    url_schemes={"http", "https", "mailto"},
    allowed_classes={tag: set(names) for tag, names in _ALLOWED_CLASSES.items()},
)
# nh3's output always quotes attribute values with " and escapes " inside them.
_START_TAG = re.compile(r'<([a-z][a-z0-9]*)((?:\s+[^\s=>"/]+(?:="[^"]*")?)*)\s*>')
_HREF = re.compile(r'\shref="([^"]*)"')
_EMPTY_CLASS = ' class=""'  # what nh3 leaves when it removes every class of an element


def _finish_tags(html: str) -> str:
    """Add rel="nofollow noopener" to external links and drop emptied class attributes."""

    def finish(match: re.Match[str]) -> str:
        name, attributes = match.group(1), match.group(2)
        if _EMPTY_CLASS not in attributes and name != "a":
            return match.group(0)
        attributes = attributes.replace(_EMPTY_CLASS, "")
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


# YAML front matter (`chapter: 4`, `member: 김범석`) is data, not part of the page.
_FRONT_MATTER = re.compile(
    r"""\A---[ \t]*\n
    (?:(?:[A-Za-z_][\w-]*[ \t]*:.* | [ \t]+.* | -\ .* | [ \t]*)\n)*?  # key: value, nested, blank
    (?:---|\.\.\.)[ \t]*(?:\n|\Z)""",
    re.VERBOSE,
)


def _prepare(text: str) -> str:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE_CONTROL.sub("", _FRONT_MATTER.sub("", text, count=1))


def _headings(tokens: list[dict]) -> list[Heading]:
    found: list[Heading] = []
    for token in tokens:
        found.append(Heading(token["level"], html_lib.unescape(token["name"]), token["id"]))
        found.extend(_headings(token["children"]))
    return found


def _toc_list(tokens: list[dict]) -> str:
    if not tokens:
        return ""
    items = []
    for token in tokens:
        link = (
            f'<a href="#{html_lib.escape(token["id"])}">'
            f"{html_lib.escape(html_lib.unescape(token['name']), quote=False)}</a>"
        )
        items.append(f"<li>{link}{_toc_list(token['children'])}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def render_markdown(text: str, *, image_url: Callable[[str], str | None] | None = None) -> Rendered:
    """Render Markdown (raw HTML allowed) and sanitize it. `image_url` maps a relative image
    path to the URL it is served at (None leaves the path as written)."""
    md = _markdown()
    md.reset()
    try:
        raw_html = md.convert(_prepare(text))
    except RecursionError:  # absurdly deep nesting: show the text as written
        md.reset()
        raw_html = f"<pre>{html_lib.escape(text)}</pre>"
    tokens = getattr(md, "toc_tokens", [])
    images: list[str] = []
    _thread_state.images, _thread_state.image_url = images, image_url
    try:
        safe_html = sanitize_html(raw_html)
    finally:
        _thread_state.images = _thread_state.image_url = None
    return Rendered(
        html=safe_html,
        toc_html=_toc_list(tokens),
        headings=_headings(tokens),
        local_images=images,
    )


_PREFORMATTED = re.compile(r"(<pre\b.*?</pre>)", re.IGNORECASE | re.DOTALL)
_BLOCK_END = re.compile(
    r"<br\s*/?>|</(?:p|li|h[1-6]|tr|pre|blockquote|div|table|ul|ol|dt|dd|summary|details)>",
    re.IGNORECASE,
)
_CELL_END = re.compile(r"</t[dh]>", re.IGNORECASE)
_STRIP_ALL = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"}, link_rel=None)
_SPACES = re.compile(r"[ \t\u00a0]+")


def html_to_plain_text(html: str) -> str:
    """The text of (rendered) HTML without markup: one line per block, spaces collapsed."""
    # Newlines in the HTML source mean nothing outside <pre>; block ends make the lines.
    parts = _PREFORMATTED.split(html)
    for index in range(0, len(parts), 2):
        parts[index] = parts[index].replace("\n", " ")
    marked = _CELL_END.sub(" ", _BLOCK_END.sub("\n", "".join(parts)))
    text = html_lib.unescape(_STRIP_ALL.clean(marked))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def render_plain_text(markdown_text: str) -> str:
    """The text of a Markdown note without markup, for search indexing and snippets."""
    return html_to_plain_text(render_markdown(markdown_text).html)
