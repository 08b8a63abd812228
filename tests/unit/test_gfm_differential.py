"""Differential test: our renderer against GitHub's (cmark-gfm) on the GFM spec and the notes.

Both HTMLs are sanitized by the same nh3 cleaner and normalized (wrappers, attributes
other than href/src/alt/checked, heading anchors, math markup, whitespace). A difference
is allowed only when a deliberate difference listed in DELIBERATE explains it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from app.notes.render import render_markdown, sanitize_html
from app.text.markdown import escape_tag_like_text

SPEC_DIR = Path(__file__).resolve().parents[3] / "shared" / "gfm-spec"
RAW_HTML_SECTIONS = {"Raw HTML", "HTML blocks", "HTML tag filter"}
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"


def _has_tag_like_text(text: str) -> bool:
    return escape_tag_like_text(text) != text


# The one list of differences we choose on purpose: name -> (reason, does it apply).
# A difference passes when one of these applies to the Markdown it came from.
DELIBERATE: dict[str, tuple[str, Callable[[str], object]]] = {
    "single-tilde": (
        "Korean writes ranges as 10~20분; a single ~ is text, only ~~x~~ strikes through",
        re.compile(r"(?<!~)~(?!~)").search,
    ),
    "autolink-before-particle": (
        "a bare URL ends before a Korean particle (https://example.com에서)",
        re.compile(rf"(?:https?://|www\.)\S*?[A-Za-z0-9)][{_HANGUL}]").search,
    ),
    "tag-like-text": (
        "<NodeIP>, List<String>: tags that are no HTML element are shown as written",
        _has_tag_like_text,
    ),
    "korean-emphasis": (
        "**패리티 정보(Parity bit)**를 is bold: a * run beside Hangul counts it as punctuation",
        re.compile(rf"[*~][{_HANGUL}]|[{_HANGUL}][*~]").search,
    ),
    "front-matter": (
        "a note's YAML front matter (---, key: value lines, ---) is data, not shown",
        re.compile(r"\A---[ \t]*\n").search,
    ),
    "math": (
        "$…$ and $$…$$ are typeset by KaTeX (GitHub does too, outside cmark-gfm)",
        re.compile(r"\$\$|\$[^\s$][^$\n]*\$").search,
    ),
}


def _github_html(text: str) -> str:
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    extensions = ["table", "autolink", "strikethrough", "tasklist"]
    return cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=extensions)


_PUNYCODE_LABEL = re.compile(r"(?<=[/.])xn--([a-z0-9-]+)(?=[./:]|$)")


def _readable_host(url: str) -> str:
    """A URL with its punycode host labels decoded (xn--9ca.com and é.com are one host)."""
    return _PUNYCODE_LABEL.sub(lambda match: match.group(1).encode().decode("punycode"), url)


class _Normalizer(HTMLParser):
    """A canonical text for HTML: kept tags with href/src/alt/checked, collapsed text."""

    DROPPED = frozenset({"div", "span", "section", "code", "colgroup"})
    KEPT_ATTRIBUTES = ("href", "src", "alt", "checked", "align")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.DROPPED:
            return
        kept = [
            f'{name}="{_readable_host(unquote(value or ""))}"'
            for name, value in sorted(attrs)
            if name in self.KEPT_ATTRIBUTES
            and not (name == "href" and (value or "")[:3] in ("#fn", "#fr"))
        ]
        self.parts.append("<" + " ".join([tag, *kept]) + ">")

    def handle_endtag(self, tag):
        if tag not in self.DROPPED:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        # U+FE0E only asks for the text form of a character (our footnote ↩︎, not an emoji).
        self.parts.append(html.escape(data.replace("\ufe0e", ""), quote=False))

    def text(self) -> str:
        joined = "".join(self.parts)
        joined = re.sub(r"\s+", " ", joined)
        return re.sub(r" ?(</?[a-z0-9]+[^>]*>) ?", r"\1", joined).strip()


_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.DOTALL)
_DISPLAY_MATH = re.compile(r'<div class="arithmatex">\\\[\n?(.*?)\n?\\\]</div>', re.DOTALL)


def normalize(rendered: str) -> str:
    """The comparable form of rendered HTML."""
    rendered = _INLINE_MATH.sub(r"$\1$", rendered)
    rendered = _DISPLAY_MATH.sub(r"<p>$$\n\1\n$$</p>", rendered)
    parser = _Normalizer()
    parser.feed(rendered)
    parser.close()
    return parser.text()


def compare(text: str) -> str | None:
    """None when both render alike, else 'deliberate:<name>' or 'unexplained'."""
    ours = normalize(render_markdown(text).html)
    github = normalize(sanitize_html(_github_html(text)))
    if ours == github:
        return None
    for name, (_reason, applies) in DELIBERATE.items():
        if applies(text):
            return f"deliberate:{name}"
    return "unexplained"


def spec_examples(path: Path) -> list[tuple[str, int, str]]:
    """(section, number, markdown) of every example in a GFM spec file."""
    examples, section, number, lines, inside = [], "", 0, [], False
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("```````````````````````````````` example"):
            inside, lines = True, []
        elif inside and line == ".":
            inside = False
            number += 1
            examples.append((section, number, "\n".join(lines).replace("→", "\t") + "\n"))
        elif inside:
            lines.append(line)
        elif line.startswith("## "):
            section = line[3:].strip()
    return examples


def _report(label: str, outcomes: Counter) -> str:
    """How many render the same, and how many differ by each deliberate difference."""
    total = sum(outcomes.values())
    details = ", ".join(f"{name}: {outcomes[f'deliberate:{name}']}" for name in DELIBERATE)
    return f"{label}: {outcomes[None]}/{total} identical; deliberate differences: {details}"


# Ratchets: fixing a difference raises these; a change that loses one fails the test even
# when a deliberate pattern would explain it.
MIN_IDENTICAL = {"spec": 629, "notes": 111}


def test_gfm_spec_examples_render_as_on_github(capsys):
    if not (SPEC_DIR / "spec.txt").is_file():
        pytest.skip(f"the GFM spec is not at {SPEC_DIR} (it lives beside the project)")
    outcomes: Counter = Counter()
    unexplained = []
    for name in ("spec.txt", "extensions.txt"):
        for section, number, text in spec_examples(SPEC_DIR / name):
            if section in RAW_HTML_SECTIONS:
                continue
            outcome = compare(text)
            outcomes[outcome] += 1
            if outcome == "unexplained":
                unexplained.append(f"{name} #{number} ({section}): {text!r}")
    with capsys.disabled():
        print("\n" + _report("GFM spec examples", outcomes))
    assert unexplained == []
    assert outcomes[None] >= MIN_IDENTICAL["spec"]


def test_real_notes_render_as_on_github(corpus, capsys):
    outcomes: Counter = Counter()
    unexplained = []
    for note in sorted((corpus / "real").rglob("*.md")):
        text = note.read_bytes().decode("utf-8-sig", errors="replace")
        outcome = compare(text)
        outcomes[outcome] += 1
        if outcome == "unexplained":
            unexplained.append(str(note.relative_to(corpus)))
    with capsys.disabled():
        print("\n" + _report("real notes", outcomes))
    assert unexplained == []
    assert outcomes[None] >= MIN_IDENTICAL["notes"]
